package dev.inventory.redis;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.Transition;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.EventIds;
import dev.inventory.core.spi.InventoryStore;
import dev.inventory.core.spi.StockRules;
import dev.inventory.core.spi.StoreResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.Tuple;

/**
 * The Redis store: every operation is one atomic Lua script (DESIGN sections 3-6 and 9).
 *
 * <pre>{@code
 * JedisPooled jedis = new JedisPooled("localhost", 6379);      // or a JedisCluster
 * InventoryStore store = RedisInventoryStore.builder(jedis).keyPrefix("shop1:").build();
 * Inventory inventory = Inventory.builder().store(store).build();
 * }</pre>
 *
 * <p><b>Keys.</b> Every key of a SKU carries the SKU as hash tag ({@code <prefix>inv:{<sku>}:...}), so
 * every script that touches one SKU runs in one cluster slot. The prefix (namespace) keeps several
 * shops or test runs apart on one server.
 *
 * <p><b>Holds over several slots.</b> On a single node one script holds every line of a reservation.
 * On a Redis Cluster, when a hold's SKUs live in different slots, the store writes one part per slot
 * group through idempotent steps: the group of the first SKU (the anchor) first, marked "reserving",
 * then the others, then the anchor is committed; a step that finds too little stock aborts the anchor
 * and gives back what the other steps took. The anchor is the only place where a hold's state is
 * decided (commit, confirm, expire, ...); the other parts replay the anchor's path. Every part carries
 * the expiry and sits in its SKU's due index, so a process that dies between the steps leaves nothing
 * held past the expiry: the sweeper (or lazy expiry) aborts a reserving anchor and releases every part
 * no committed anchor stands behind. A transition interrupted between slots completes when it is
 * called again, or when the sweeper meets the hold.
 *
 * <p><b>Batches.</b> On a single node, concurrent reserves (and concurrent transitions) are sent
 * together, at most {@link Builder#concurrentBatches(int)} script calls in flight, each still atomic
 * per reservation; {@link #reserveAll} places a list of holds in as few calls. The common cases run
 * through small standalone scripts; everything else through the general hold script.
 *
 * <p><b>Journal.</b> Every script appends its events to the SKU's stream {@code <prefix>inv:{<sku>}:journal}
 * in the same atomic step; {@link RedisOutboxSource} relays them.
 *
 * <p>Times are kept at millisecond precision. Infrastructure failures throw
 * {@link InventoryStoreException}. The store is thread-safe; it closes the client only when built with
 * {@link Builder#closeClient(boolean)}.
 */
public final class RedisInventoryStore implements InventoryStore {
    private static final Logger log = LoggerFactory.getLogger(RedisInventoryStore.class);

    /** Width of the buckets of the registry of due times (the sweeper's index of SKUs with holds). */
    static final long BUCKET_MS = 5_000;
    private static final int MAX_ATTEMPTS = 40;
    private static final int REGISTRY_SCAN = 1_000;
    private static final int ANCHOR_CACHE_MAX = 100_000;
    private static final int DUE_CACHE_MAX = 50_000;
    private static final int EXPIRE_CHUNK = 500;
    /** Reservations per call of the fast reserve script (bounds how long one call blocks the server). */
    static final int BATCH_MAX = 100;
    private static final int DEFAULT_BATCHES = 4;

    private static final ReentrantLock CROSS_NODE_PIPELINE = new ReentrantLock();

    final UnifiedJedis jedis;
    final Keys keys;
    /**
     * How long a finished hold (fulfilled, released, expired, cancelled) stays, its parts and its id key:
     * the scripts' FINISHED_TTL_MS, as long as the in-memory store keeps finished holds by default.
     */
    static final long FINISHED_RETENTION_MS = Duration.ofDays(1).toMillis();

    final boolean multiSlot;
    private final boolean journal;
    private final boolean closeClient;
    private final StepHook hook;
    private final Set<Sku> registered = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<ReservationId, Sku> anchors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> dueRegistered = new ConcurrentHashMap<>();
    private final Batcher<Timed<Reservation>, StoreResult<ReservationResult>> reserves;
    private final Batcher<Move, Reply> moves;
    private final int batches;

    /** A key every script checks first (KEYS[2], see guard.lua); null for none. */
    private final String requiredKey;

    private RedisInventoryStore(Builder b) {
        this(b.jedis, new Keys(b.keyPrefix), b.cluster != null ? b.cluster : b.jedis instanceof JedisCluster,
                b.journal, b.closeClient, b.hook, null, b.batches);
    }

    /** The same client, namespace and settings as {@code base}, checking {@code requiredKey}; never closes the client. */
    private RedisInventoryStore(RedisInventoryStore base, String requiredKey) {
        this(base.jedis, base.keys, base.multiSlot, base.journal, false, base.hook, requiredKey, base.batches);
    }

    private RedisInventoryStore(UnifiedJedis jedis, Keys keys, boolean multiSlot, boolean journal, boolean closeClient,
            StepHook hook, String requiredKey, int batches) {
        this.jedis = jedis;
        this.keys = keys;
        this.multiSlot = multiSlot;
        this.journal = journal;
        this.closeClient = closeClient;
        this.hook = hook;
        this.requiredKey = requiredKey;
        this.batches = batches;
        boolean batching = !multiSlot && batches > 0;
        this.reserves = batching ? new Batcher<>(batches, BATCH_MAX, batch -> reserveBatchOnOneNode(batch, false))
                : null;
        this.moves = batching ? new Batcher<>(batches, BATCH_MAX, this::transitionBatchOnOneNode) : null;
    }

    /**
     * A store on the same client, namespace and settings whose every script first checks, atomically
     * with its work, that {@code key} exists, and refuses with a retry-safe
     * {@link InventoryStoreException} (having changed nothing) when it does not. A tiered setup passes
     * the marker key its loader sets after rebuilding Redis, so that no write lands on a Redis that lost
     * its data and is not rebuilt yet. Single node only ({@code key} may be in any slot); the returned
     * store never closes the client.
     *
     * @throws IllegalArgumentException when {@code key} is blank
     * @throws IllegalStateException when this store talks to a Redis Cluster
     */
    public RedisInventoryStore requiringKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank, was " + key);
        }
        if (multiSlot) {
            throw new IllegalStateException("requiringKey works on a single Redis node only (the key lives in"
                    + " one slot), this store is in cluster mode");
        }
        return new RedisInventoryStore(this, key);
    }

    /** Whether {@code e} is the refusal of a store built with {@link #requiringKey} whose key was missing. */
    public static boolean isMissingRequiredKey(InventoryStoreException e) {
        return e.getCause() instanceof JedisDataException && e.getCause().getMessage() != null
                && e.getCause().getMessage().startsWith(Scripts.REQUIRED_KEY_MISSING);
    }

    private Object eval(Scripts.Script script, String routingKey, List<String> args) {
        return Scripts.eval(jedis, script, routingKey, requiredKey, args);
    }

    /** Starts a builder over {@code jedis} (a {@code JedisPooled}, a {@code JedisCluster}, any {@link UnifiedJedis}). */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(jedis);
    }

    /** The key prefix (namespace) this store writes under. */
    public String keyPrefix() {
        return keys.namespace;
    }

    // ================================================================== reservations

    @Override
    public StoreResult<ReservationResult> reserve(Reservation reservation, Instant now) {
        notNull("reservation", reservation);
        notNull("now", now);
        return guard("reserve " + reservation.id(), true,
                () -> multiSlot ? reserveAcrossSlots(reservation, now) : reserveOnOneNode(reservation, now));
    }

    /**
     * Holds every reservation, one after another in list order, with the same outcome as calling
     * {@link #reserve(Reservation, Instant)} for each in turn, but in as few round trips as possible: on
     * a single node up to 100 reservations go to Redis in one script call (each still
     * atomic on its own: all of its lines or none). Use it where a host has many holds to place at
     * once (an import, a queue consumer, a load test); a reservation that fails does not stop the
     * others.
     *
     * <pre>{@code
     * List<StoreResult<ReservationResult>> results = store.reserveAll(reservations, Instant.now());
     * for (StoreResult<ReservationResult> r : results) {
     *     inventory.publish(r.events());         // listeners, caches: what Inventory does for reserve
     * }
     * }</pre>
     *
     * <p>Idempotent like {@code reserve}: a reservation whose id already holds the same lines comes back
     * {@link ReservationResult.Replayed} (also when the id repeats within the list), with other lines
     * {@link ReservationResult.IdConflict}; a short line gives {@link ReservationResult.InsufficientStock}
     * for that reservation only. On a Redis Cluster ({@link Builder#cluster(boolean)}) the reservations
     * are held one by one.
     *
     * @param reservations the holds to place, each built as for {@code reserve} (at most one per id
     *     wins; later ones with that id replay or conflict)
     * @param now the caller's clock, for every reservation of the list
     * @return one result per reservation, in the same order; each carries the events of its change,
     *     which the caller publishes (this method does not go through an {@code Inventory})
     * @throws IllegalArgumentException when {@code reservations} or {@code now} is null or holds null
     * @throws InventoryStoreException when Redis fails; the reservations before the failure may be held
     *     (retrying the whole list is safe: held ones replay)
     */
    public List<StoreResult<ReservationResult>> reserveAll(List<Reservation> reservations, Instant now) {
        notNull("reservations", reservations);
        notNull("now", now);
        List<Timed<Reservation>> calls = new ArrayList<>(reservations.size());
        for (Reservation r : reservations) {
            notNull("reservation", r);
            calls.add(new Timed<>(r, now));
        }
        if (calls.isEmpty()) {
            return List.of();
        }
        return guard("reserveAll of " + calls.size(), true, () -> {
            if (!multiSlot) {
                return reserveBatchOnOneNode(calls, true);
            }
            List<StoreResult<ReservationResult>> out = new ArrayList<>(calls.size());
            for (Reservation r : reservations) {
                out.add(reserveAcrossSlots(r, now));
            }
            return out;
        });
    }

    private StoreResult<ReservationResult> reserveOnOneNode(Reservation r, Instant now) {
        Timed<Reservation> call = new Timed<>(r, now);
        if (reserves == null) {
            return reserveBatchOnOneNode(List.of(call), true).get(0);
        }
        // a call the fast script left to hold.lua runs here, in the caller's thread (its failure is its own)
        StoreResult<ReservationResult> fast = reserves.submit(call);
        return fast != null ? fast : reserveThroughHoldScript(r, now);
    }

    /**
     * Holds each reservation as {@link #reserve} would, in as few script calls as the batch allows: the
     * fast script ({@code reserve.lua}) takes the new holds; a reservation it answers SLOW for (an id
     * seen before, lazy expiry to do, ...) runs alone through {@code hold.lua}. With {@code inOrder} the
     * batch stops there and goes on after it (list order, for {@link #reserveAll}); else its result is
     * null and its caller runs it after the batch (concurrent callers, whose order is any).
     */
    private List<StoreResult<ReservationResult>> reserveBatchOnOneNode(List<Timed<Reservation>> batch,
            boolean inOrder) {
        List<StoreResult<ReservationResult>> out = new ArrayList<>(batch.size());
        int from = 0;
        while (from < batch.size()) {
            int to = Math.min(batch.size(), from + BATCH_MAX);
            List<Timed<Reservation>> chunk = batch.subList(from, to);
            List<Object> results = Codec.list(Codec.list(eval(Scripts.RESERVE,
                    keys.id(chunk.get(0).value().id()), fastReserveArgs(chunk, inOrder))).get(1));
            for (Object item : results) {
                Timed<Reservation> call = batch.get(from);
                Reservation r = call.value();
                List<Object> res = Codec.list(item);
                String code = Codec.str(res.get(0));
                switch (code) {
                    case "CREATED" -> out.add(result(new ReservationResult.Success(created(r, call.now())),
                            Reply.events(res.subList(1, res.size()))));
                    case "SHORT" -> out.add(result(insufficient(r, shortOf(Codec.strings(res.get(1)), 0)), List.of()));
                    case "SLOW" -> {
                        out.add(inOrder ? reserveThroughHoldScript(r, call.now()) : null);
                    }
                    default -> throw new IllegalStateException("unexpected answer to reserve: " + code);
                }
                from++;
            }
        }
        return out;
    }

    private List<String> fastReserveArgs(List<Timed<Reservation>> batch, boolean stop) {
        List<String> a = new ArrayList<>(6 + batch.size() * 14);
        a.add(keys.prefix);
        a.add(Codec.eventIdBase());
        a.add(journal ? "1" : "0");
        a.add(Long.toString(BUCKET_MS));
        a.add(stop ? "1" : "0");
        a.add(Integer.toString(batch.size()));
        for (Timed<Reservation> call : batch) {
            Reservation r = call.value();
            List<ReservationLine> lines = r.lines();
            a.add(r.id().value());
            a.add(Codec.ms(call.now()));
            a.add(Codec.lines(lines));
            a.add(lines.size() == 1 ? lines.get(0).sku().value() : Codec.groups(List.of(Codec.skus(lines))));
            a.add(Codec.ms(r.expiresAt()));
            a.add(Codec.ms(r.createdAt()));
            a.add(r.cartId().orElse(""));
            a.add(r.userId().orElse(""));
            a.add(r.orderId().orElse(""));
            a.add(newToken());
            a.add(Integer.toString(lines.size()));
            for (ReservationLine line : lines) {
                a.add(line.sku().value());
                a.add(line.locationId().value());
                a.add(Long.toString(line.quantity()));
            }
        }
        return a;
    }

    /** A call's input with the caller's {@code now}. */
    private record Timed<T>(T value, Instant now) {
    }

    /** One transition of a single-node store, as the batcher carries it. */
    private record Move(ReservationId id, Transition transition, Instant now, String extension) {
    }

    /** Transitions through {@code transition.lua}, in turn; null for those it leaves to {@code hold.lua}. */
    private List<Reply> transitionBatchOnOneNode(List<Move> batch) {
        List<String> a = new ArrayList<>(4 + batch.size() * 4);
        a.add(keys.prefix);
        a.add(Codec.eventIdBase());
        a.add(journal ? "1" : "0");
        a.add(Integer.toString(batch.size()));
        for (Move m : batch) {
            a.add(m.id().value());
            a.add(Codec.ms(m.now()));
            a.add(m.transition().name());
            a.add(m.extension());
        }
        List<Object> results = Codec.list(Codec.list(eval(Scripts.TRANSITION, keys.id(batch.get(0).id()),
                a)).get(1));
        List<Reply> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            List<Object> raw = Codec.list(results.get(i));
            out.add(Codec.str(raw.get(0)).equals("SLOW") ? null : Reply.of(raw));
        }
        return out;
    }

    /** The hold a CREATED answer of {@code reserve.lua} wrote, as a part read back would show it. */
    private static Reservation created(Reservation r, Instant now) {
        return new Reservation(r.id(), r.lines(), nonEmpty(r.cartId()), nonEmpty(r.userId()), nonEmpty(r.orderId()),
                ReservationStatus.ACTIVE, Instant.ofEpochMilli(r.createdAt().toEpochMilli()),
                Instant.ofEpochMilli(r.expiresAt().toEpochMilli()), Instant.ofEpochMilli(now.toEpochMilli()));
    }

    private static Optional<String> nonEmpty(Optional<String> s) {
        return s.filter(v -> !v.isEmpty());
    }

    /** One reservation through the general hold script (every case the fast script leaves to it). */
    private StoreResult<ReservationResult> reserveThroughHoldScript(Reservation r, Instant now) {
        List<InventoryEvent> events = new ArrayList<>();
        String lines = Codec.lines(r.lines());
        String groups = Codec.groups(List.of(Codec.skus(r.lines())));
        Reply rep = step(r, "full", newToken(), lines, groups, 0, false, now, events);
        return switch (rep.code()) {
            case "CREATED" -> result(new ReservationResult.Success(visible(r.id(), rep)), events);
            case "REPLAYED" -> result(new ReservationResult.Replayed(visible(r.id(), rep)), events);
            case "IDCONFLICT" -> result(new ReservationResult.IdConflict(visible(r.id(), rep)), events);
            case "SHORT" -> result(insufficient(r, shortOf(rep.strings(), 0)), events);
            default -> throw unexpected("reserve", rep);
        };
    }

    private StoreResult<ReservationResult> reserveAcrossSlots(Reservation asked, Instant now) {
        Reservation r = asked;
        List<InventoryEvent> events = new ArrayList<>();
        ReservationId id = r.id();
        String lines = Codec.lines(r.lines());
        List<List<Sku>> groups = slotGroups(r.lines());
        String groupText = Codec.groups(groups);
        Sku anchor = groups.get(0).get(0);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                pause(attempt);
            }
            r = asked;
            String token = newToken();
            // 1. the id key names the lines (and so the anchor) of the id; written ahead, with the registry.
            //    The claim's generation goes with every anchor step: a fence for it (or a later one)
            //    stops this attempt once another call took the id over for other lines.
            List<String> claim = claim(id, lines, token, now);
            String generation;
            boolean owner;
            if (claim.get(0).equals("NEW")) {
                generation = claim.get(1);
                owner = true;
            } else if (claim.get(0).equals("SAME")) {
                generation = claim.get(2);
                owner = false;
            } else {
                // the id names other lines: a hold (conflict), an attempt in flight (wait) or a dead one (take over)
                Sku other = Codec.parseLines(claim.get(1)).get(0).sku();
                Reply fence = hold(other, now, "fence", id.value(), other.value(), claim.get(3));
                events.addAll(fence.events());
                followUp(fence, now, events, false);
                if (fence.is("EXISTS")) {
                    return result(new ReservationResult.IdConflict(visible(id, fence)), events);
                }
                if (fence.is("BUSY")) {
                    continue;
                }
                List<String> taken = claimOp("replace", id, lines, token, claim.get(1), claim.get(2));
                if (!taken.get(0).equals("OK")) {
                    continue;
                }
                generation = taken.get(1);
                owner = true;
            }
            hook.after("claim", id);

            registerDue(Codec.skus(r.lines()), r.expiresAt());

            // 2. when several slots are involved, check every line first (after the idempotency check at
            //    the anchor): a short line then costs no hold and no event
            if (groups.size() > 1) {
                Reply first = step(r, "check", generation, lines, groupText, 0, false, now, events);
                if (first.is("REPLAYED")) {
                    anchors.put(id, anchor);
                    return result(new ReservationResult.Replayed(visible(id, first)), events);
                }
                if (first.is("IDCONFLICT")) {
                    return result(new ReservationResult.IdConflict(visible(id, first)), events);
                }
                if (first.is("FENCED")) {
                    continue;
                }
                if (first.is("CHECKED")) {
                    long[] shortage = precheck(r, lines, groupText, groups, first, now, events);
                    if (shortage != null) {
                        return result(insufficient(r, shortage), events);
                    }
                }
            }

            // 3. the anchor group
            Reply a = step(r, "anchor", generation, lines, groupText, 0, false, now, events);
            String attemptToken;
            switch (a.code()) {
                case "REPLAYED":
                    anchors.put(id, anchor);
                    return result(new ReservationResult.Replayed(visible(id, a)), events);
                case "IDCONFLICT":
                    return result(new ReservationResult.IdConflict(visible(id, a)), events);
                case "FENCED":
                    continue;
                case "SHORT":
                    return result(insufficient(r, shortOf(a.strings(), 0)), events);
                case "JOIN": {
                    // another call with this id is writing the hold: finish it together
                    Map<String, String> part = a.part();
                    if (!lines.equals(part.get("L"))) {
                        continue;
                    }
                    attemptToken = part.get("tk");
                    // the hold keeps what its first attempt gave it (times, cart, user, order)
                    r = Codec.reservation(id, part, ReservationStatus.ACTIVE);
                    break;
                }
                case "CREATED":
                    attemptToken = a.part().get("tk");
                    if (groups.size() == 1) {
                        if (!owner) {
                            ensureClaim(id, lines, token);
                        }
                        anchors.put(id, anchor);
                        return result(new ReservationResult.Success(visible(id, a)), events);
                    }
                    break;
                default:
                    throw unexpected("reserve", a);
            }
            hook.after("anchor", id);

            // 4. the other groups, in order
            long[] shortage = null;
            boolean superseded = false;
            for (int gi = 1; gi < groups.size() && shortage == null; gi++) {
                Reply f = step(r, "follower", attemptToken, lines, groupText, gi, false, now, events);
                if (f.is("FOREIGN")) {
                    // a part of an older attempt: release it, unless this attempt is the older one
                    String anchorToken = partToken(keys.hold(anchor, id));
                    if (!attemptToken.equals(anchorToken)) {
                        superseded = true;
                        break;
                    }
                    f = step(r, "follower", attemptToken, lines, groupText, gi, true, now, events);
                }
                if (f.is("SHORT")) {
                    shortage = shortOf(f.strings(), 0);
                } else if (!f.is("CREATED") && !f.is("EXISTS") && !f.is("ABORTED")) {
                    throw unexpected("reserve", f);
                }
                hook.after("group " + gi, id);
            }
            if (superseded) {
                continue;
            }

            // 5. the decision, at the anchor
            if (shortage != null) {
                Reply ab = hold(anchor, now, "abort", id.value(), anchor.value(), attemptToken, "R",
                        shortage[0] + "," + shortage[1]);
                events.addAll(ab.events());
                if (ab.is("ALREADY")) {
                    ensureClaim(id, lines, token);
                    syncFollowers(id, ab.part(), now, events);
                    anchors.put(id, anchor);
                    return result(new ReservationResult.Replayed(visible(id, ab)), events);
                }
                if (ab.is("ABORTED")) {
                    syncFollowers(id, ab.part(), now, events);
                    return result(aborted(r, ab.part(), shortage), events);
                }
                return result(insufficient(r, shortage), events);
            }
            Reply commit = hold(anchor, now, "commit", id.value(), anchor.value(), attemptToken);
            events.addAll(commit.events());
            switch (commit.code()) {
                case "COMMITTED":
                    if (!owner) {
                        ensureClaim(id, lines, token);
                    }
                    anchors.put(id, anchor);
                    return result(new ReservationResult.Success(visible(id, commit)), events);
                case "ALREADY":
                    anchors.put(id, anchor);
                    return result(new ReservationResult.Replayed(visible(id, commit)), events);
                case "ABORTED":
                    syncFollowers(id, commit.part(), now, events);
                    return result(aborted(r, commit.part(), null), events);
                default:
                    continue;
            }
        }
        throw new InventoryStoreException("reservation " + id + " is being written by concurrent calls; retry",
                null, true);
    }

    /** The outcome of an attempt whose anchor was aborted: the short line it recorded, or an expiry. */
    private static ReservationResult aborted(Reservation r, Map<String, String> anchorPart, long[] fallback) {
        String sh = anchorPart.get("sh");
        if (sh != null && !sh.isEmpty()) {
            String[] p = sh.split(",");
            return insufficient(r, new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])});
        }
        if (fallback != null) {
            return insufficient(r, fallback);
        }
        // the hold's expiry passed before all of its parts were written: nothing is held
        return new ReservationResult.Expired(r.withStatus(ReservationStatus.EXPIRED, r.expiresAt(), r.updatedAt()));
    }

    /**
     * Checks the other groups (with lazy expiry) after the anchor group's check; the first short line in
     * canonical order, or null.
     */
    private long[] precheck(Reservation r, String lines, String groupText, List<List<Sku>> groups, Reply first,
            Instant now, List<InventoryEvent> events) {
        long[] best = null;
        for (int gi = 0; gi < groups.size(); gi++) {
            Reply rep = gi == 0 ? first : step(r, "check", "", lines, groupText, gi, false, now, events);
            List<String> d = rep.strings();
            for (int i = 0; i + 1 < d.size(); i += 2) {
                long[] s = shortOf(d, i);
                if (best == null || s[0] < best[0]) {
                    best = s;
                }
            }
        }
        return best;
    }

    /**
     * One reserve step on group {@code gi}; when it is short because of due holds that only their
     * anchor can expire, expires them there and runs the step once more (lazy expiry's retry).
     */
    private Reply step(Reservation r, String mode, String token, String lines, String groupText, int gi,
            boolean force, Instant now, List<InventoryEvent> events) {
        Sku routing = mode.equals("full") ? null : Codec.parseGroups(groupText).get(gi).get(0);
        String key = routing == null ? keys.id(r.id()) : keys.base(routing);
        List<String> args = reserveArgs(r, mode, token, lines, groupText, gi, force, now);
        Reply rep = Reply.of(eval(Scripts.HOLD, key, args));
        events.addAll(rep.events());
        boolean isShort = rep.is("SHORT") || rep.is("CHECKED") && !rep.strings().isEmpty();
        boolean resolved = followUp(rep, now, events, isShort);
        if (isShort && resolved) {
            rep = Reply.of(eval(Scripts.HOLD, key, reserveArgs(r, mode, token, lines, groupText, gi,
                    force, now)));
            events.addAll(rep.events());
            followUp(rep, now, events, false);
        }
        return rep;
    }

    private List<String> reserveArgs(Reservation r, String mode, String token, String lines, String groupText,
            int gi, boolean force, Instant now) {
        return args(now, "reserve", r.id().value(), mode, token, lines, groupText, Integer.toString(gi + 1),
                Codec.ms(r.expiresAt()), Codec.ms(r.createdAt()), r.cartId().orElse(""), r.userId().orElse(""),
                r.orderId().orElse(""), force ? "1" : "0", Long.toString(BUCKET_MS),
                mode.equals("anchor") || mode.equals("full") ? newToken() : "");
    }

    /** Claims the id key for {@code lines}: NEW, SAME (with the claim's token) or OTHER (lines, token). */
    private List<String> claim(ReservationId id, String lines, String token, Instant now) {
        return Codec.strings(eval(Scripts.CLAIM, keys.id(id),
                args(now, "claim", id.value(), lines, token)));
    }

    /**
     * Writes the registry entries (due bucket, SKU) and the SKUs ahead of a hold, so the sweeper finds it
     * even if this process dies before the hold's last step. Remembered per process: a bucket that was
     * registered stays until the sweeper closes it, which happens only once its end has passed.
     */
    void registerDue(List<Sku> skus, Instant expiresAt) {
        long bucket = bucket(expiresAt.toEpochMilli());
        List<String> members = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (Sku sku : skus) {
            String member = bucket + ":" + sku.value();
            if (!dueRegistered.containsKey(member)) {
                members.add(member);
            }
            if (!registered.contains(sku)) {
                fresh.add(sku.value());
            }
        }
        if (members.isEmpty() && fresh.isEmpty()) {
            return;
        }
        Map<String, Double> scores = new HashMap<>();
        for (String m : members) {
            scores.put(m, (double) bucket);
        }
        // both keys carry the registry's tag: one node, one pipeline, one connection
        try (AbstractPipeline p = jedis.pipelined()) {
            if (!scores.isEmpty()) {
                p.zadd(keys.registryDue(), scores, ZAddParams.zAddParams().nx());
            }
            if (!fresh.isEmpty()) {
                p.sadd(keys.registrySkus(), fresh.toArray(String[]::new));
            }
            p.sync();
        }
        if (dueRegistered.size() > DUE_CACHE_MAX) {
            dueRegistered.keySet().removeIf(m -> Long.parseLong(m.substring(0, m.indexOf(':'))) < bucket - BUCKET_MS);
        }
        for (String m : members) {
            dueRegistered.put(m, Boolean.TRUE);
        }
        for (String sku : fresh) {
            registered.add(Sku.of(sku));
        }
    }

    List<String> claimOp(String op, ReservationId id, String lines, String token, String... more) {
        List<String> a = args(Instant.EPOCH, op, id.value(), lines, token);
        Collections.addAll(a, more);
        return Codec.strings(eval(Scripts.CLAIM, keys.id(id), a));
    }

    private void ensureClaim(ReservationId id, String lines, String token) {
        List<String> r = claimOp("ensure", id, lines, token);
        if (!r.get(0).equals("OK")) {
            log.warn("reservation id {} names other lines ({}) than its hold ({})", id, r.get(1), lines);
        }
    }

    // ------------------------------------------------------------------ transitions

    @Override
    public StoreResult<ReservationResult> transition(ReservationId id, Transition transition, Instant now,
            Duration paymentExtension) {
        notNull("id", id);
        notNull("transition", transition);
        notNull("now", now);
        notNull("paymentExtension", paymentExtension);
        return guard(transition + " " + id, true, () -> {
            List<InventoryEvent> events = new ArrayList<>();
            String ext = Long.toString(paymentExtension.toMillis());
            Reply rep;
            if (!multiSlot) {
                Move move = new Move(id, transition, now, ext);
                rep = moves == null ? transitionBatchOnOneNode(List.of(move)).get(0) : moves.submit(move);
                if (rep == null) {
                    rep = Reply.of(eval(Scripts.HOLD, keys.id(id),
                            args(now, "transition", id.value(), "", transition.name(), ext)));
                }
            } else {
                Optional<Sku> anchor = anchorOf(id, true);
                if (anchor.isEmpty()) {
                    return StoreResult.unchanged(new ReservationResult.NotFound(id));
                }
                rep = hold(anchor.get(), now, "transition", id.value(), anchor.get().value(), transition.name(), ext);
                if (rep.is("NOTFOUND")) {
                    anchors.remove(id);
                    Optional<Sku> again = anchorOf(id, false);
                    if (again.isPresent() && !again.equals(anchor)) {
                        rep = hold(again.get(), now, "transition", id.value(), again.get().value(),
                                transition.name(), ext);
                    }
                }
            }
            events.addAll(rep.events());
            followUp(rep, now, events, false);
            if (rep.is("NOTFOUND")) {
                return result(new ReservationResult.NotFound(id), events);
            }
            hook.after("transition " + transition, id);
            // the other slots replay the anchor's path (also completes a transition interrupted earlier)
            Map<String, String> part = rep.part();
            syncFollowers(id, part, now, events);
            Reservation current = visible(id, part);
            if (multiSlot && current.status().isTerminal()) {
                // the scripts gave the finished parts their retention; the id key lives in its own slot
                jedis.pexpire(keys.id(id), FINISHED_RETENTION_MS);
            }
            ReservationResult result = switch (rep.code()) {
                case "SUCCESS" -> new ReservationResult.Success(current);
                case "REPLAYED" -> new ReservationResult.Replayed(current);
                case "EXPIRED", "EXPIRED_NOW" -> new ReservationResult.Expired(current);
                case "ILLEGAL" -> new ReservationResult.IllegalTransition(current, transition);
                default -> throw unexpected("transition", rep);
            };
            return result(result, events);
        });
    }

    // ------------------------------------------------------------------ expiry

    @Override
    public StoreResult<List<Reservation>> expireDue(Instant now, int limit) {
        notNull("now", now);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        return guard("expireDue", true, () -> sweep(now, limit));
    }

    private StoreResult<List<Reservation>> sweep(Instant now, int limit) {
        long nowMs = now.toEpochMilli();
        String nowText = Long.toString(nowMs);
        // the SKUs that may have due holds, from the registry of (due bucket, SKU) entries
        List<Tuple> entries = jedis.zrangeByScoreWithScores(keys.registryDue(), "-inf", nowText, 0, REGISTRY_SCAN);
        if (entries.isEmpty()) {
            return StoreResult.unchanged(List.of());
        }
        Map<Sku, List<String>> entriesBySku = new LinkedHashMap<>();
        for (Tuple t : entries) {
            String member = t.getElement();
            Sku sku = Sku.of(member.substring(member.indexOf(':') + 1));
            entriesBySku.computeIfAbsent(sku, k -> new ArrayList<>()).add(member);
        }
        List<Sku> skus = new ArrayList<>(entriesBySku.keySet());
        // their due holds, oldest first
        List<Response<List<Tuple>>> dueResponses = new ArrayList<>(skus.size());
        List<Response<List<Tuple>>> firstResponses = new ArrayList<>(skus.size());
        // a cluster pipeline holds a connection per node while it borrows the next: one at a time, or
        // two of them could wait for each other's connections
        if (multiSlot) {
            CROSS_NODE_PIPELINE.lock();
        }
        try (AbstractPipeline p = jedis.pipelined()) {
            for (Sku sku : skus) {
                dueResponses.add(p.zrangeByScoreWithScores(keys.due(sku), "-inf", nowText, 0, limit));
                firstResponses.add(p.zrangeWithScores(keys.due(sku), 0, 0));
            }
            p.sync();
        } finally {
            if (multiSlot) {
                CROSS_NODE_PIPELINE.unlock();
            }
        }
        record Candidate(Sku sku, String rid, long dueAt) {
        }
        List<Candidate> candidates = new ArrayList<>();
        Map<Sku, String> nextDue = new HashMap<>();
        for (int i = 0; i < skus.size(); i++) {
            List<Tuple> due = dueResponses.get(i).get();
            if (due.isEmpty()) {
                List<Tuple> first = firstResponses.get(i).get();
                nextDue.put(skus.get(i), first.isEmpty() ? "" : Long.toString((long) first.get(0).getScore()));
            }
            for (Tuple t : due) {
                candidates.add(new Candidate(skus.get(i), t.getElement(), (long) t.getScore()));
            }
        }
        candidates.sort(Comparator.comparingLong(Candidate::dueAt).thenComparing(Candidate::rid)
                .thenComparing(c -> c.sku().value()));
        Map<Sku, List<String>> chosen = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Candidate c : candidates) {
            if (seen.size() >= limit) {
                break;
            }
            if (seen.add(c.rid())) {
                chosen.computeIfAbsent(c.sku(), k -> new ArrayList<>()).add(c.rid());
            }
        }
        List<InventoryEvent> events = new ArrayList<>();
        List<Reservation> expired = new ArrayList<>();
        for (Map.Entry<Sku, List<String>> e : chosen.entrySet()) {
            Sku sku = e.getKey();
            List<String> rids = e.getValue();
            for (int from = 0; from < rids.size(); from += EXPIRE_CHUNK) {
                expireChunk(sku, rids.subList(from, Math.min(rids.size(), from + EXPIRE_CHUNK)), now, events,
                        expired, nextDue);
            }
        }
        maintainRegistry(entriesBySku, nextDue, nowMs);
        if (!expired.isEmpty()) {
            // the expire script gave the parts their retention; the id keys are not in the SKUs' slots:
            // one pipeline for the batch (under the same lock as the sweep's other cross-node pipeline)
            if (multiSlot) {
                CROSS_NODE_PIPELINE.lock();
            }
            try (AbstractPipeline p = jedis.pipelined()) {
                for (Reservation r : expired) {
                    p.pexpire(keys.id(r.id()), FINISHED_RETENTION_MS);
                }
                p.sync();
            } finally {
                if (multiSlot) {
                    CROSS_NODE_PIPELINE.unlock();
                }
            }
        }
        expired.sort(Comparator.comparing(Reservation::expiresAt).thenComparing(Reservation::id));
        return new StoreResult<>(expired, events);
    }

    /** Expires some due holds found at one SKU (a bounded number per script). */
    private void expireChunk(Sku sku, List<String> rids, Instant now, List<InventoryEvent> events,
            List<Reservation> expired, Map<Sku, String> nextDue) {
        List<String> rest = new ArrayList<>();
        rest.add(sku.value());
        rest.addAll(rids);
        Reply rep = hold(sku, now, "expire", rest.toArray(String[]::new));
        events.addAll(rep.events());
        List<Object> data = Codec.list(rep.data());
        nextDue.put(sku, Codec.str(data.get(0)));
        collectExpired(Codec.list(data.get(1)), expired);
        for (String line : rep.report()) {
            String[] p = line.split("\\|", 3);
            ReservationId id = ReservationId.of(p[1]);
            if (p[0].equals("F")) {
                expireThroughAnchor(id, p[2], now, events, expired);
            } else if (p[0].equals("O")) {
                releaseOrphan(id, p[2], now, events);
            } else if (p[0].equals("S")) {
                syncFromAnchor(id, Sku.of(p[2]), now, events);
            }
        }
    }

    private void collectExpired(List<Object> flat, List<Reservation> out) {
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            ReservationId id = ReservationId.of(Codec.str(flat.get(i)));
            Codec.reservation(id, Codec.fields(flat.get(i + 1))).ifPresent(out::add);
        }
    }

    /** Closes the registry entries of buckets that are over and hold nothing due any more. */
    private void maintainRegistry(Map<Sku, List<String>> entriesBySku, Map<Sku, String> nextDue, long nowMs) {
        List<String[]> changes = new ArrayList<>();
        for (Map.Entry<Sku, List<String>> e : entriesBySku.entrySet()) {
            String next = nextDue.get(e.getKey());
            if (next == null) {
                continue;
            }
            long nextMs = next.isEmpty() ? Long.MAX_VALUE : Long.parseLong(next);
            for (String member : e.getValue()) {
                long bucket = Long.parseLong(member.substring(0, member.indexOf(':')));
                if (bucket + BUCKET_MS <= nowMs && nextMs >= bucket + BUCKET_MS) {
                    changes.add(new String[] {member, next.isEmpty() ? null : Long.toString(bucket(nextMs)),
                            e.getKey().value()});
                }
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        try (AbstractPipeline p = jedis.pipelined()) {
            for (String[] c : changes) {
                if (c[1] != null) {
                    p.zadd(keys.registryDue(), Long.parseLong(c[1]), c[1] + ":" + c[2], ZAddParams.zAddParams().nx());
                }
                p.zrem(keys.registryDue(), c[0]);
            }
            p.sync();
        }
    }

    /**
     * Expires a hold found due in a non-anchor group ({@code report}: anchor SKU, the part's SKU, its
     * token): the anchor decides, the other groups follow; a part whose anchor is gone is an orphan.
     */
    private void expireThroughAnchor(ReservationId id, String report, Instant now, List<InventoryEvent> events,
            List<Reservation> expired) {
        Sku anchor = Sku.of(report.substring(0, report.indexOf(',')));
        Reply rep = hold(anchor, now, "expire", anchor.value(), id.value());
        events.addAll(rep.events());
        List<Object> data = Codec.list(rep.data());
        if (expired != null) {
            collectExpired(Codec.list(data.get(1)), expired);
        }
        Map<String, String> part = Codec.part(jedis.hgetAll(keys.hold(anchor, id)));
        if (part.isEmpty()) {
            releaseOrphan(id, report, now, events);
        } else {
            syncFollowers(id, part, now, events);
        }
    }

    /**
     * Finishes what a script reported for other slots: syncs the other groups of holds whose anchor
     * changed ("S"), and, when {@code resolveDue}, expires through their anchor the due holds found
     * in a non-anchor group ("F").
     *
     * @return whether a due hold was resolved
     */
    private boolean followUp(Reply rep, Instant now, List<InventoryEvent> events, boolean resolveDue) {
        boolean resolved = false;
        for (String line : rep.report()) {
            String[] p = line.split("\\|", 3);
            ReservationId id = ReservationId.of(p[1]);
            switch (p[0]) {
                case "S" -> syncFromAnchor(id, Sku.of(p[2]), now, events);
                case "F" -> {
                    if (resolveDue) {
                        expireThroughAnchor(id, p[2], now, events, null);
                        resolved = true;
                    }
                }
                case "O" -> releaseOrphan(id, p[2], now, events);
                default -> log.warn("part of reservation {} at {} diverges from its anchor; left as is", id, p[2]);
            }
        }
        return resolved;
    }

    /**
     * A part written by another attempt than the anchor snapshot a sync carried: released when the
     * anchor's current token differs from the part's (that attempt was superseded and can never
     * commit), left alone otherwise (the snapshot was stale).
     */
    private void releaseOrphan(ReservationId id, String report, Instant now, List<InventoryEvent> events) {
        String[] p = report.split(",", 3);
        Sku anchor = Sku.of(p[0]);
        String token = p[2];
        if (!token.equals(partToken(keys.hold(anchor, id)))) {
            Reply rep = hold(Sku.of(p[1]), now, "orphan", id.value(), p[1], token);
            events.addAll(rep.events());
        }
    }

    private void syncFromAnchor(ReservationId id, Sku anchor, Instant now, List<InventoryEvent> events) {
        Map<String, String> part = Codec.part(jedis.hgetAll(keys.hold(anchor, id)));
        if (!part.isEmpty()) {
            syncFollowers(id, part, now, events);
        }
    }

    /** Brings every non-anchor group of a hold to the anchor's state. */
    private void syncFollowers(ReservationId id, Map<String, String> anchorPart, Instant now,
            List<InventoryEvent> events) {
        String g = anchorPart.get("G");
        String st = anchorPart.get("st");
        if (g == null || g.indexOf('|') < 0 || st == null || st.equals("Z")) {
            return;
        }
        List<List<Sku>> groups = Codec.parseGroups(g);
        for (int gi = 1; gi < groups.size(); gi++) {
            List<Sku> group = groups.get(gi);
            String members = String.join(",", group.stream().map(Sku::value).toList());
            Reply rep = hold(group.get(0), now, "sync", id.value(), members, anchorPart.get("p"),
                    anchorPart.get("tk"), anchorPart.get("ex"), groups.get(0).get(0).value());
            events.addAll(rep.events());
            followUp(rep, now, events, false);
        }
    }

    // ================================================================== stock commands

    @Override
    public StoreResult<StockResult> apply(StockCommand command, Instant now) {
        notNull("command", command);
        notNull("now", now);
        Optional<String> eventId = command.origin().eventId();
        return guard(command.getClass().getSimpleName() + " " + command.sku(), eventId.isPresent(), () -> {
            Sku sku = command.sku();
            List<String> rest = new ArrayList<>();
            String op;
            if (command instanceof StockCommand.TransferOut t) {
                op = "tout";
                Collections.addAll(rest, t.from().value(), t.to().value(), Long.toString(t.quantity()));
            } else if (command instanceof StockCommand.TransferIn t) {
                op = "tin";
                Collections.addAll(rest, t.from().value(), t.to().value(), Long.toString(t.quantity()));
            } else {
                rest.add(StockRules.locationOf(command).value());
                if (command instanceof StockCommand.Receive c) {
                    op = "receive";
                    rest.add(Long.toString(c.quantity()));
                } else if (command instanceof StockCommand.Adjust c) {
                    op = "adjust";
                    Collections.addAll(rest, Long.toString(c.delta()), c.reason());
                } else if (command instanceof StockCommand.CycleCount c) {
                    op = "count";
                    Collections.addAll(rest, Long.toString(c.counted()), Codec.ms(c.countedAt()));
                } else if (command instanceof StockCommand.MarkDamaged c) {
                    op = "damage";
                    rest.add(Long.toString(c.quantity()));
                } else if (command instanceof StockCommand.SetThresholds c) {
                    op = "thresholds";
                    Collections.addAll(rest, Long.toString(c.reorderPoint()), Long.toString(c.safetyStock()),
                            Long.toString(c.maxStock()));
                } else if (command instanceof StockCommand.SetFlags c) {
                    op = "flags";
                    Collections.addAll(rest, c.sellable() ? "1" : "0", c.receivingBlocked() ? "1" : "0");
                } else {
                    throw new IllegalArgumentException("command must be a known stock command, was " + command);
                }
            }
            if (multiSlot) {
                register(sku);
            }
            List<String> a = args(now, op, sku.value(), eventId.orElse(""), command.origin().reference().orElse(""),
                    multiSlot ? "0" : "1");
            a.addAll(rest);
            Reply rep = Reply.of(eval(Scripts.STOCK, keys.base(sku), a));
            List<String> d = rep.strings();
            StockResult result = switch (rep.code()) {
                case "APPLIED" -> new StockResult.Applied(Codec.level(sku, LocationId.of(d.get(0)), d.get(1)),
                        Long.parseLong(d.get(2)));
                case "REJECTED" -> new StockResult.Rejected(StockResult.Reason.valueOf(d.get(0)), d.get(1));
                case "DUPLICATE" -> new StockResult.Duplicate(d.get(0));
                default -> throw unexpected("stock command", rep);
            };
            return result(result, rep.events());
        });
    }

    /** Writes the SKU into the registry (relays find its journal there) before its first write from here. */
    private void register(Sku sku) {
        if (!registered.contains(sku)) {
            jedis.sadd(keys.registrySkus(), sku.value());
            registered.add(sku);
        }
    }

    // ================================================================== reads

    @Override
    public Optional<StockLevel> level(Sku sku, LocationId locationId) {
        notNull("sku", sku);
        notNull("locationId", locationId);
        return guard("level " + sku, true, () -> Optional.ofNullable(
                Codec.level(sku, locationId, jedis.hmget(keys.level(sku, locationId), Codec.LEVEL_FIELDS))));
    }

    @Override
    public List<StockLevel> levels(Sku sku) {
        notNull("sku", sku);
        return guard("levels " + sku, true, () -> {
            if (!multiSlot && requiredKey == null) {
                return levelsBySort(sku);
            }
            List<String> flat = Codec.strings(eval(Scripts.READ, keys.base(sku),
                    args(Instant.EPOCH, "levels", sku.value())));
            List<StockLevel> out = new ArrayList<>(flat.size() / 2);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                out.add(Codec.level(sku, LocationId.of(flat.get(i)), flat.get(i + 1)));
            }
            return out;
        });
    }

    /**
     * Every level of {@code sku} in one plain command, no script: {@code SORT <locs> BY nosort GET # GET
     * <lvl:*->field>...} answers, per location in the location index's order, the location and the
     * level's 13 fields (nil when the level is absent). Single node only (the GET patterns name keys
     * the command does not declare); about half the server time of {@code read.lua}'s {@code levels}.
     */
    private List<StockLevel> levelsBySort(Sku sku) {
        byte[] base = keys.base(sku).getBytes(StandardCharsets.UTF_8);
        byte[][] args = new byte[5 + 2 * LEVEL_PATTERN_TAILS.length][];
        args[0] = concat(base, LOCS);
        args[1] = SORT_BY;
        args[2] = SORT_NOSORT;
        args[3] = SORT_GET;
        args[4] = SORT_SELF;
        for (int i = 0; i < LEVEL_PATTERN_TAILS.length; i++) {
            args[5 + 2 * i] = SORT_GET;
            args[6 + 2 * i] = concat(base, LEVEL_PATTERN_TAILS[i]);
        }
        List<Object> flat = Codec.list(jedis.sendCommand(Protocol.Command.SORT, args));
        int width = 1 + LEVEL_PATTERN_TAILS.length;
        List<StockLevel> out = new ArrayList<>(flat.size() / width);
        for (int i = 0; i + width <= flat.size(); i += width) {
            StockLevel l = Codec.level(sku, flat, i);
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    private static final byte[] LOCS = "locs".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SORT_BY = "BY".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SORT_NOSORT = "nosort".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SORT_GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SORT_SELF = "#".getBytes(StandardCharsets.US_ASCII);
    /** {@code lvl:*->oh} ... {@code lvl:*->u}: the GET patterns of the level fields after the SKU's key base. */
    private static final byte[][] LEVEL_PATTERN_TAILS = new byte[Codec.LEVEL_FIELDS.length][];

    static {
        for (int i = 0; i < Codec.LEVEL_FIELDS.length; i++) {
            LEVEL_PATTERN_TAILS[i] = ("lvl:*->" + Codec.LEVEL_FIELDS[i]).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public Optional<Reservation> reservation(ReservationId id) {
        notNull("id", id);
        return guard("reservation " + id, true, () -> {
            if (!multiSlot) {
                Map<String, String> part = Codec.part(Codec.fields(eval(Scripts.READ, keys.id(id),
                        args(Instant.EPOCH, "hold", id.value()))));
                return part.isEmpty() ? Optional.<Reservation>empty() : Codec.reservation(id, part);
            }
            Optional<Sku> anchor = anchorOf(id, true);
            if (anchor.isEmpty()) {
                return Optional.<Reservation>empty();
            }
            Map<String, String> part = Codec.part(jedis.hgetAll(keys.hold(anchor.get(), id)));
            if (part.isEmpty()) {
                anchors.remove(id);
                Optional<Sku> again = anchorOf(id, false);
                if (again.isEmpty() || again.equals(anchor)) {
                    return Optional.<Reservation>empty();
                }
                part = Codec.part(jedis.hgetAll(keys.hold(again.get(), id)));
            }
            return part.isEmpty() ? Optional.<Reservation>empty() : Codec.reservation(id, part);
        });
    }

    @Override
    public List<LedgerEntry> ledger(Sku sku, LocationId locationId) {
        notNull("sku", sku);
        notNull("locationId", locationId);
        return guard("ledger " + sku, true, () -> {
            List<String> raw = jedis.lrange(keys.ledger(sku, locationId), 0, -1);
            List<LedgerEntry> out = new ArrayList<>(raw.size());
            for (String entry : raw) {
                out.add(Codec.ledger(sku, locationId, entry));
            }
            return out;
        });
    }

    /**
     * The ledger entries of a level with a version above {@code afterVersion}, oldest first: the tail of
     * {@link #ledger}, read from its end in growing chunks, so an incremental reader (the tiered store's
     * copy to PostgreSQL, an export) pays for what is new rather than for the whole history. Entries are
     * appended in version order; ones appended while this reads are included or not, never twice.
     *
     * @throws IllegalArgumentException when {@code afterVersion} is below -1
     */
    public List<LedgerEntry> ledgerAfter(Sku sku, LocationId locationId, long afterVersion) {
        notNull("sku", sku);
        notNull("locationId", locationId);
        if (afterVersion < -1) {
            throw new IllegalArgumentException("afterVersion must be -1 or more, was " + afterVersion);
        }
        return guard("ledger " + sku, true, () -> {
            String key = keys.ledger(sku, locationId);
            List<LedgerEntry> newestFirst = new ArrayList<>();
            long below = Long.MAX_VALUE; // the oldest version taken so far: a shifted window repeats newer ones
            long read = 0;
            int chunk = 16;
            while (true) {
                List<String> raw = jedis.lrange(key, -(read + chunk), -(read + 1));
                boolean reachedOlder = false;
                for (int i = raw.size() - 1; i >= 0; i--) {
                    LedgerEntry entry = Codec.ledger(sku, locationId, raw.get(i));
                    if (entry.version() <= afterVersion) {
                        reachedOlder = true;
                        break;
                    }
                    if (entry.version() < below) {
                        newestFirst.add(entry);
                        below = entry.version();
                    }
                }
                if (reachedOlder || raw.size() < chunk) {
                    break; // everything newer than afterVersion is read, or the list's head is reached
                }
                read += raw.size();
                chunk = Math.min(chunk * 4, 4096);
            }
            Collections.reverse(newestFirst);
            return newestFirst;
        });
    }

    /** Closes the client when the builder was told to; never otherwise. */
    @Override
    public void close() {
        if (closeClient) {
            jedis.close();
        }
    }

    // ================================================================== internals

    /** The anchor SKU of a hold, from the id key (cached: a committed hold's lines never change). */
    private Optional<Sku> anchorOf(ReservationId id, boolean useCache) {
        if (useCache) {
            Sku cached = anchors.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        String lines = jedis.hget(keys.id(id), "l");
        if (lines == null) {
            return Optional.empty();
        }
        Sku anchor = Codec.parseLines(lines).get(0).sku();
        if (anchors.size() >= ANCHOR_CACHE_MAX) {
            anchors.clear();
        }
        anchors.put(id, anchor);
        return Optional.of(anchor);
    }

    /** The hold's SKUs grouped by cluster slot, groups ordered by their first SKU. */
    private static List<List<Sku>> slotGroups(List<ReservationLine> lines) {
        Map<Integer, List<Sku>> bySlot = new LinkedHashMap<>();
        for (Sku sku : Codec.skus(lines)) {
            bySlot.computeIfAbsent(Keys.slot(sku), k -> new ArrayList<>()).add(sku);
        }
        return new ArrayList<>(bySlot.values());
    }

    /** The token of the hold part at {@code key} (packed, or of the previous layout), or null. */
    private String partToken(String key) {
        List<String> v = jedis.hmget(key, "h", "tk");
        return v.get(0) != null ? Codec.part(Map.of("h", v.get(0))).get("tk") : v.get(1);
    }

    private Reply hold(Sku routing, Instant now, String op, String... rest) {
        return Reply.of(eval(Scripts.HOLD, keys.base(routing), args(now, op, rest)));
    }

    List<String> args(Instant now, String op, String... rest) {
        List<String> a = new ArrayList<>(5 + rest.length + 4);
        a.add(keys.prefix);
        a.add(Codec.eventIdBase());
        a.add(Codec.ms(now));
        a.add(journal ? "1" : "0");
        a.add(op);
        Collections.addAll(a, rest);
        return a;
    }

    private static Reservation visible(ReservationId id, Reply rep) {
        return visible(id, rep.part());
    }

    private static Reservation visible(ReservationId id, Map<String, String> part) {
        return Codec.reservation(id, part).orElseThrow(
                () -> new IllegalStateException("reservation " + id + " is not visible: " + part));
    }

    private static ReservationResult insufficient(Reservation r, long[] shortage) {
        return new ReservationResult.InsufficientStock(r.id(), r.lines().get((int) shortage[0]), shortage[1]);
    }

    private static long[] shortOf(List<String> data, int at) {
        return new long[] {Long.parseLong(data.get(at)), Long.parseLong(data.get(at + 1))};
    }

    private static long bucket(long ms) {
        return Math.floorDiv(ms, BUCKET_MS) * BUCKET_MS;
    }

    /** A fresh attempt token: a version 7 UUID (thread-local randomness, no shared SecureRandom). */
    private static String newToken() {
        return EventIds.next().toString();
    }

    private static void pause(int attempt) {
        long millis = Math.min(50, 1L << Math.min(attempt, 6));
        LockSupport.parkNanos(Duration.ofMillis(millis).toNanos());
    }

    private static <T> StoreResult<T> result(T value, List<InventoryEvent> events) {
        return new StoreResult<>(value, events);
    }

    private static IllegalStateException unexpected(String what, Reply rep) {
        return new IllegalStateException("unexpected answer to " + what + ": " + rep.code());
    }

    static <T> T guard(String what, boolean retrySafe, Supplier<T> body) {
        try {
            return body.get();
        } catch (JedisDataException e) {
            // a missing required key (requiringKey) refuses before the script changed anything
            throw new InventoryStoreException("Redis refused " + what + ": " + e.getMessage(), e,
                    e.getMessage() != null && e.getMessage().startsWith(Scripts.REQUIRED_KEY_MISSING));
        } catch (JedisException e) {
            throw new InventoryStoreException("Redis failed during " + what + ": " + e.getMessage(), e, retrySafe);
        }
    }

    private static void notNull(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }

    /** Called after each step of a reservation written across slots; tests use it to stop a process there. */
    interface StepHook {
        StepHook NONE = (step, id) -> {
        };

        void after(String step, ReservationId id);
    }

    /** Builds a {@link RedisInventoryStore}; every setter validates and names the field in its error. */
    public static final class Builder {

        private final UnifiedJedis jedis;
        private String keyPrefix = "";
        private boolean journal = true;
        private Boolean cluster;
        private boolean closeClient;
        private StepHook hook = StepHook.NONE;
        private int batches = DEFAULT_BATCHES;

        private Builder(UnifiedJedis jedis) {
            notNull("jedis", jedis);
            this.jedis = jedis;
        }

        /**
         * The namespace every key starts with (default none), so several shops or test runs share one
         * server: 0-64 characters of {@code A-Z a-z 0-9 . _ - :}, e.g. {@code "shop1:"}.
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Keys.requireNamespace(keyPrefix);
            return this;
        }

        /**
         * Whether scripts append their events to the per-SKU journal streams (default true). Turn it
         * off only when nothing relays or drains the journal: the streams grow until a relay
         * acknowledges and trims them.
         */
        public Builder journal(boolean enabled) {
            this.journal = enabled;
            return this;
        }

        /**
         * Whether the client talks to a Redis Cluster, so that a hold whose SKUs live in different slots
         * is written through the multi-slot protocol (default: whether the client is a
         * {@link JedisCluster}). True also works on a single node, only with more round trips.
         */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        /** Whether {@link RedisInventoryStore#close()} closes the client (default false: the host owns it). */
        public Builder closeClient(boolean closeClient) {
            this.closeClient = closeClient;
            return this;
        }

        /**
         * How many batches of concurrent calls may be in flight at once (default 4; single node only).
         * Concurrent reserves, and concurrent transitions, are sent together: a caller whose call finds
         * that many batches in flight waits for the next, which carries every call queued meanwhile
         * (one script call and one connection per batch; each call still atomic on its own, with its
         * own result and events). This is what keeps thousands of concurrent callers (virtual threads)
         * from fighting over a pool of connections. 0 sends every call on its own. A Redis Cluster
         * ({@link #cluster(boolean)}) always sends every call on its own.
         */
        public Builder concurrentBatches(int batches) {
            if (batches < 0 || batches > 1024) {
                throw new IllegalArgumentException("concurrentBatches must be 0-1024, was " + batches);
            }
            this.batches = batches;
            return this;
        }

        Builder stepHook(StepHook hook) {
            notNull("stepHook", hook);
            this.hook = hook;
            return this;
        }

        /** Builds the store; no command is sent before the first operation. */
        public RedisInventoryStore build() {
            return new RedisInventoryStore(this);
        }
    }
}
