package dev.inventory.redis;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.Sku;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.flashsale.FlashSaleSpec;
import dev.inventory.core.flashsale.FlashSaleState;
import dev.inventory.core.flashsale.FlashSaleStore;
import dev.inventory.core.flashsale.LotteryDraw;
import dev.inventory.core.flashsale.LotteryEntry;
import dev.inventory.core.flashsale.LotterySpec;
import dev.inventory.core.flashsale.PurchaseCommand;
import dev.inventory.core.flashsale.PurchaseResult;
import dev.inventory.core.flashsale.RateLimit;
import dev.inventory.core.flashsale.SaleClosed;
import dev.inventory.core.flashsale.SaleStart;
import dev.inventory.core.flashsale.SaleStatus;
import dev.inventory.core.flashsale.TokenProblem;
import dev.inventory.core.spi.StoreResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The flash-sale store of a {@link RedisInventoryStore}: every write is one Lua script
 * ({@code flash.lua}) on the keys of the sale's SKU (one hash tag, so one cluster slot), with the
 * level, the buyers' holds, the SKU's due index and journal stream; the store's own release and
 * expiry scripts give a purchase hold back to its sale's pool in the same atomic step (see
 * {@link FlashSaleStore}). Two hints live outside the SKU's slot, under the tag {@code {:fs}}: which
 * SKU a sale id belongs to, and the open sales by end time (for {@link #dueSales}); both are written
 * ahead of the sale and checked against it. Get it with {@link #on}.
 */
public final class RedisFlashSaleStore implements FlashSaleStore {
    private static final int DUE_PAGE = 200;
    private static final int MAX_ATTEMPTS = 40;

    private final RedisInventoryStore store;
    private final UnifiedJedis jedis;
    private final Keys keys;
    /** Sale id to its spec (a spec never changes once the sale exists). */
    private final ConcurrentHashMap<String, FlashSaleSpec> specs = new ConcurrentHashMap<>();

    private RedisFlashSaleStore(RedisInventoryStore store) {
        this.store = store;
        this.jedis = store.jedis;
        this.keys = store.keys;
    }

    /** A flash-sale store on the client and key prefix of {@code store}. */
    public static RedisFlashSaleStore on(RedisInventoryStore store) {
        if (store == null) {
            throw new IllegalArgumentException("store must not be null");
        }
        return new RedisFlashSaleStore(store);
    }

    // ------------------------------------------------------------------ sales

    @Override
    public StoreResult<SaleStart> open(FlashSaleSpec spec, Instant now) {
        notNull("spec", spec);
        notNull("now", now);
        return RedisInventoryStore.guard("open sale " + spec.saleId(), true, () -> {
            String sid = spec.saleId();
            String sku = spec.sku().value();
            // the hints ahead of the sale: its SKU, and its end for dueSales
            if (jedis.hsetnx(registrySku(), sid, sku) == 0) {
                String other = jedis.hget(registrySku(), sid);
                if (other != null && !other.equals(sku)) {
                    Optional<FlashSaleState> there = read(Sku.of(other), sid);
                    if (there.isPresent()) {
                        return StoreResult.unchanged((SaleStart) new SaleStart.IdConflict(there.get()));
                    }
                    jedis.hset(registrySku(), sid, sku);
                }
            }
            jedis.zadd(registryDue(), (double) spec.endsAt().toEpochMilli(), sid);
            Reply rep = flash(spec.sku(), now, "open", sku, spec.locationId().value(), sid, encode(spec),
                    Long.toString(spec.quantity()), Integer.toString(spec.pools()), Codec.ms(spec.startsAt()),
                    Codec.ms(spec.endsAt()), Long.toString(spec.perUserLimit()),
                    Long.toString(spec.holdDuration().toMillis()));
            SaleStart result = switch (rep.code()) {
                case "STARTED" -> new SaleStart.Started(state(rep.strings(), 0));
                case "REPLAYED" -> new SaleStart.Replayed(state(rep.strings(), 0));
                case "IDCONFLICT" -> new SaleStart.IdConflict(state(rep.strings(), 0));
                case "SHORT" -> new SaleStart.InsufficientStock(Long.parseLong(rep.strings().get(0)));
                default -> throw unexpected("open", rep);
            };
            if (rep.is("STARTED") || rep.is("REPLAYED")) {
                specs.put(sid, spec);
            }
            return new StoreResult<>(result, rep.events());
        });
    }

    @Override
    public Optional<FlashSaleState> sale(String saleId) {
        notNull("saleId", saleId);
        return RedisInventoryStore.guard("sale " + saleId, true,
                () -> specOf(saleId).flatMap(spec -> read(spec.sku(), saleId)));
    }

    @Override
    public StoreResult<PurchaseResult> purchase(PurchaseCommand c, Instant now) {
        notNull("command", c);
        notNull("now", now);
        return RedisInventoryStore.guard("purchase in " + c.saleId(), true, () -> {
            Optional<FlashSaleSpec> found = specOf(c.saleId());
            if (found.isEmpty()) {
                return StoreResult.unchanged((PurchaseResult) new PurchaseResult.UnknownSale(c.saleId()));
            }
            FlashSaleSpec spec = found.get();
            if (c.preferredPool() >= spec.pools()) {
                throw new IllegalArgumentException("preferredPool must be below the sale's " + spec.pools()
                        + " pools, was " + c.preferredPool());
            }
            // the sweeper finds the buyer's hold through the registry, written ahead
            store.registerDue(List.of(spec.sku()), now.plus(spec.holdDuration()));
            return store.multiSlot ? purchaseAcrossSlots(spec, c, now) : purchaseOnOneNode(spec, c, now);
        });
    }

    /** One script: the purchase writes the hold's id key itself. */
    private StoreResult<PurchaseResult> purchaseOnOneNode(FlashSaleSpec spec, PurchaseCommand c, Instant now) {
        Reply rep = purchaseScript(spec, c, UUID.randomUUID().toString(), true, "", now);
        return new StoreResult<>(outcome(c, rep), rep.events());
    }

    /**
     * On a cluster the id key lives in the id's own slot: it is claimed ahead for the id the purchase
     * will get (the caller's, or the derived one from the user's purchase count), then the purchase
     * runs in the SKU's slot with that expected id; a claim that bought nothing is deleted again.
     */
    private StoreResult<PurchaseResult> purchaseAcrossSlots(FlashSaleSpec spec, PurchaseCommand c, Instant now) {
        Sku sku = spec.sku();
        List<InventoryEvent> events = new ArrayList<>();
        String lines = Codec.lines(List.of(new ReservationLine(sku, spec.locationId(), c.quantity())));
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                LockSupport.parkNanos(Duration.ofMillis(Math.min(50, 1L << Math.min(attempt, 6))).toNanos());
            }
            ReservationId id = c.reservationId().orElseGet(() -> spec.purchaseId(c.userId(),
                    purchasesOf(sku, c.saleId(), c.userId()) + 1));
            String token = UUID.randomUUID().toString();
            List<String> claim = store.claimOp("claim", id, lines, token);
            boolean fresh = claim.get(0).equals("NEW");
            if (claim.get(0).equals("OTHER") && !Codec.parseLines(claim.get(1)).get(0).sku().equals(sku)) {
                // the id names another SKU's hold: a conflict the SKU's slot cannot see
                return new StoreResult<>(new PurchaseResult.IdConflict(id), events);
            }
            Reply rep = purchaseScript(spec, c, token, false, id.value(), now);
            events.addAll(rep.events());
            if (rep.is("STALE")) {
                if (fresh) {
                    store.claimOp("delete", id, lines, token);
                }
                continue; // the user bought concurrently: derive the next id
            }
            if (!rep.is("PURCHASED")) {
                if (fresh) {
                    store.claimOp("delete", id, lines, token);
                }
                return new StoreResult<>(outcome(c, rep), events);
            }
            if (!fresh) {
                // claimed earlier by an attempt that bought nothing: the id key now names this hold
                // (compare and set: another attempt may delete or rewrite its claim meanwhile)
                for (int i = 0; i < MAX_ATTEMPTS; i++) {
                    List<String> ensured = store.claimOp("ensure", id, lines, token);
                    if (ensured.get(0).equals("OK") || store.claimOp("replace", id, lines, token, ensured.get(1),
                            ensured.get(2)).get(0).equals("OK")) {
                        break;
                    }
                }
            }
            return new StoreResult<>(outcome(c, rep), events);
        }
        throw new InventoryStoreException("purchase in " + c.saleId() + " by " + c.userId()
                + " did not settle after " + MAX_ATTEMPTS + " attempts", null, true);
    }

    private Reply purchaseScript(FlashSaleSpec spec, PurchaseCommand c, String holdToken, boolean writeId,
            String expectedId, Instant now) {
        return flash(spec.sku(), now, "purchase", spec.sku().value(), c.saleId(), c.userId(),
                Long.toString(c.quantity()), Integer.toString(c.preferredPool()),
                c.reservationId().map(ReservationId::value).orElse(""), c.tokenId().orElse(""), holdToken,
                writeId ? "1" : "0", expectedId);
    }

    private long purchasesOf(Sku sku, String saleId, String userId) {
        String v = jedis.hget(saleKey(sku, saleId) + ":users", userId);
        return v == null ? 0 : Long.parseLong(v.substring(v.indexOf(',') + 1));
    }

    private static PurchaseResult outcome(PurchaseCommand c, Reply rep) {
        return switch (rep.code()) {
            case "UNKNOWN" -> new PurchaseResult.UnknownSale(c.saleId());
            case "REPLAYED", "PURCHASED" -> purchased(rep, rep.is("REPLAYED"));
            case "IDCONFLICT" -> new PurchaseResult.IdConflict(ReservationId.of(rep.strings().get(0)));
            case "NOTACTIVE" -> new PurchaseResult.NotActive(c.saleId(), SaleStatus.valueOf(rep.strings().get(0)));
            case "USED" -> new PurchaseResult.TokenRejected(TokenProblem.USED);
            case "LIMIT" -> new PurchaseResult.LimitReached(c.saleId(), c.userId(),
                    Long.parseLong(rep.strings().get(0)), Long.parseLong(rep.strings().get(1)));
            case "SOLDOUT" -> new PurchaseResult.SoldOut(c.saleId());
            default -> throw unexpected("purchase", rep);
        };
    }

    private static PurchaseResult purchased(Reply rep, boolean replayed) {
        List<Object> data = Codec.list(rep.data());
        ReservationId id = ReservationId.of(Codec.str(data.get(0)));
        int pool = Integer.parseInt(Codec.str(data.get(1)));
        Map<String, String> part = Codec.fields(data.subList(2, data.size()));
        return new PurchaseResult.Purchased(Codec.reservation(id, part).orElseThrow(), pool, replayed);
    }

    @Override
    public StoreResult<Optional<SaleClosed>> close(String saleId, SaleStatus closedAs, Instant now) {
        notNull("saleId", saleId);
        notNull("now", now);
        if (closedAs == null || !closedAs.isClosed()) {
            throw new IllegalArgumentException("closedAs must be ENDED or CANCELLED, was " + closedAs);
        }
        return RedisInventoryStore.guard("close sale " + saleId, true, () -> {
            Optional<FlashSaleSpec> spec = specOf(saleId);
            if (spec.isEmpty()) {
                return StoreResult.unchanged(Optional.<SaleClosed>empty());
            }
            Reply rep = flash(spec.get().sku(), now, "close", spec.get().sku().value(), saleId,
                    closedAs == SaleStatus.CANCELLED ? "C" : "N");
            if (rep.is("UNKNOWN")) {
                return StoreResult.unchanged(Optional.<SaleClosed>empty());
            }
            if (!rep.is("CLOSED")) {
                throw unexpected("close", rep);
            }
            List<String> data = rep.strings();
            jedis.zrem(registryDue(), saleId);
            return new StoreResult<>(Optional.of(new SaleClosed(state(data, 0), Long.parseLong(data.get(7)))),
                    rep.events());
        });
    }

    @Override
    public List<String> dueSales(Instant now, int limit) {
        notNull("now", now);
        return RedisInventoryStore.guard("dueSales", true, () -> {
            List<String> out = new ArrayList<>();
            int offset = 0;
            while (out.size() < limit) {
                List<Tuple> page = jedis.zrangeByScoreWithScores(registryDue(), "-inf", Codec.ms(now), offset,
                        DUE_PAGE);
                for (Tuple t : page) {
                    String sid = t.getElement();
                    Optional<FlashSaleState> s = sale(sid);
                    if (s.isEmpty() || s.get().status().isClosed()) {
                        continue; // a hint left by a failed start or an interrupted close
                    }
                    if (out.size() < limit) {
                        out.add(sid);
                    }
                }
                if (page.size() < DUE_PAGE) {
                    break;
                }
                offset += DUE_PAGE;
            }
            return out;
        });
    }

    @Override
    public long bought(String saleId, String userId) {
        notNull("saleId", saleId);
        notNull("userId", userId);
        return RedisInventoryStore.guard("bought", true, () -> {
            Optional<FlashSaleSpec> spec = specOf(saleId);
            if (spec.isEmpty()) {
                return 0L;
            }
            String v = jedis.hget(saleKey(spec.get().sku(), saleId) + ":users", userId);
            return v == null ? 0L : Long.parseLong(v.substring(0, v.indexOf(',')));
        });
    }

    // ------------------------------------------------------------------ token bucket

    @Override
    public Duration acquire(Sku sku, RateLimit limit, long permits, Instant now) {
        notNull("sku", sku);
        notNull("limit", limit);
        notNull("now", now);
        if (permits < 1 || permits > limit.burst()) {
            throw new IllegalArgumentException("permits must be between 1 and " + limit.burst() + ", was " + permits);
        }
        long nowMicros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        return RedisInventoryStore.guard("acquire " + sku, false, () -> {
            Reply rep = flash(sku, now, "acquire", sku.value(), Long.toString(nowMicros),
                    Long.toString(limit.emissionIntervalMicros()), Long.toString(limit.burst()),
                    Long.toString(permits));
            return Duration.ofNanos(Long.parseLong(rep.strings().get(0)) * 1_000);
        });
    }

    // ------------------------------------------------------------------ lottery

    @Override
    public LotteryEntry enter(String saleId, String userId, double score, Instant now) {
        notNull("saleId", saleId);
        notNull("userId", userId);
        notNull("now", now);
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite, was " + score);
        }
        return RedisInventoryStore.guard("enter " + saleId, true, () -> {
            Optional<FlashSaleSpec> spec = specOf(saleId);
            if (spec.isEmpty()) {
                return LotteryEntry.of(userId, LotteryEntry.State.CLOSED);
            }
            Reply rep = flash(spec.get().sku(), now, "enter", spec.get().sku().value(), saleId, userId,
                    Double.toString(score));
            return entry(userId, rep.strings());
        });
    }

    @Override
    public LotteryEntry entry(String saleId, String userId) {
        notNull("saleId", saleId);
        notNull("userId", userId);
        return RedisInventoryStore.guard("entry " + saleId, true, () -> {
            Optional<FlashSaleSpec> spec = specOf(saleId);
            if (spec.isEmpty()) {
                return LotteryEntry.of(userId, LotteryEntry.State.CLOSED);
            }
            Reply rep = flash(spec.get().sku(), Instant.EPOCH, "entry", spec.get().sku().value(), saleId, userId);
            return entry(userId, rep.strings());
        });
    }

    private static LotteryEntry entry(String userId, List<String> e) {
        switch (e.get(0)) {
            case "W":
                return LotteryEntry.waiting(userId, Long.parseLong(e.get(1)));
            case "T":
                return LotteryEntry.won(userId, e.get(1), Instant.parse(e.get(2)));
            case "L":
                return LotteryEntry.of(userId, LotteryEntry.State.LOST);
            case "NONE":
                return LotteryEntry.of(userId, LotteryEntry.State.NOT_ENTERED);
            default:
                return LotteryEntry.of(userId, LotteryEntry.State.CLOSED);
        }
    }

    @Override
    public LotteryDraw draw(String saleId, List<String> tokenIds, Instant tokenExpiresAt, Instant now) {
        notNull("saleId", saleId);
        notNull("tokenIds", tokenIds);
        notNull("tokenExpiresAt", tokenExpiresAt);
        notNull("now", now);
        return RedisInventoryStore.guard("draw " + saleId, false, () -> {
            Optional<FlashSaleSpec> spec = specOf(saleId);
            if (spec.isEmpty()) {
                return new LotteryDraw(List.of(), false);
            }
            List<String> a = new ArrayList<>(List.of(spec.get().sku().value(), saleId, Codec.ms(tokenExpiresAt),
                    tokenExpiresAt.toString()));
            a.addAll(tokenIds);
            Reply rep = flash(spec.get().sku(), now, "draw", a.toArray(String[]::new));
            if (rep.is("SHUT")) {
                return new LotteryDraw(List.of(), false);
            }
            List<String> data = rep.strings();
            List<LotteryEntry> winners = new ArrayList<>(data.size() / 2);
            for (int i = 0; i < data.size(); i += 2) {
                winners.add(LotteryEntry.won(data.get(i), data.get(i + 1), tokenExpiresAt));
            }
            return new LotteryDraw(winners, true);
        });
    }

    @Override
    public List<String> dropWaiting(String saleId, int limit) {
        notNull("saleId", saleId);
        if (limit < 1) {
            return List.of();
        }
        return RedisInventoryStore.guard("dropWaiting " + saleId, false, () -> {
            Optional<FlashSaleSpec> spec = specOf(saleId);
            if (spec.isEmpty()) {
                return List.<String>of();
            }
            return flash(spec.get().sku(), Instant.EPOCH, "drop", spec.get().sku().value(), saleId,
                    Integer.toString(limit)).strings();
        });
    }

    // ------------------------------------------------------------------ internals

    private Reply flash(Sku sku, Instant now, String op, String... rest) {
        return Reply.of(Scripts.eval(jedis, Scripts.FLASH, keys.base(sku), store.args(now, op, rest)));
    }

    private Optional<FlashSaleSpec> specOf(String saleId) {
        FlashSaleSpec cached = specs.get(saleId);
        if (cached != null) {
            return Optional.of(cached);
        }
        String sku = jedis.hget(registrySku(), saleId);
        if (sku == null) {
            return Optional.empty();
        }
        Optional<FlashSaleState> s = read(Sku.of(sku), saleId);
        s.ifPresent(state -> specs.put(saleId, state.spec()));
        return s.map(FlashSaleState::spec);
    }

    private Optional<FlashSaleState> read(Sku sku, String saleId) {
        Reply rep = flash(sku, Instant.EPOCH, "sale", sku.value(), saleId);
        return rep.is("SALE") ? Optional.of(state(rep.strings(), 0)) : Optional.empty();
    }

    /** {spec, st, held, sold, returned, purchases, pools csv} from {@code at}. */
    private static FlashSaleState state(List<String> d, int at) {
        FlashSaleSpec spec = decode(d.get(at));
        SaleStatus status = switch (d.get(at + 1)) {
            case "O" -> SaleStatus.OPEN;
            case "C" -> SaleStatus.CANCELLED;
            default -> SaleStatus.ENDED;
        };
        List<Long> pools = new ArrayList<>();
        for (String p : d.get(at + 6).split(",")) {
            pools.add(Long.parseLong(p));
        }
        return new FlashSaleState(spec, status, pools, Long.parseLong(d.get(at + 2)), Long.parseLong(d.get(at + 3)),
                Long.parseLong(d.get(at + 4)), Long.parseLong(d.get(at + 5)));
    }

    /** The spec as one canonical line; equal specs give equal lines. */
    static String encode(FlashSaleSpec s) {
        String rate = s.rateLimit().map(r -> r.permits() + "," + r.per() + "," + r.burst()).orElse("");
        String lottery = s.lottery().map(l -> l.batchSize() + "," + l.drawInterval() + "," + l.tokenTtl() + ","
                + l.shuffleWindow()).orElse("");
        return String.join("|", s.saleId(), s.sku().value(), s.locationId().value(), Long.toString(s.quantity()),
                Integer.toString(s.pools()), s.startsAt().toString(), s.endsAt().toString(),
                Long.toString(s.perUserLimit()), s.holdDuration().toString(), rate, lottery);
    }

    static FlashSaleSpec decode(String text) {
        String[] p = text.split("\\|", -1);
        Optional<RateLimit> rate = Optional.empty();
        if (!p[9].isEmpty()) {
            String[] r = p[9].split(",");
            rate = Optional.of(new RateLimit(Long.parseLong(r[0]), Duration.parse(r[1]), Long.parseLong(r[2])));
        }
        Optional<LotterySpec> lottery = Optional.empty();
        if (!p[10].isEmpty()) {
            String[] l = p[10].split(",");
            lottery = Optional.of(new LotterySpec(Integer.parseInt(l[0]), Duration.parse(l[1]), Duration.parse(l[2]),
                    Duration.parse(l[3])));
        }
        return new FlashSaleSpec(p[0], Sku.of(p[1]), LocationId.of(p[2]), Long.parseLong(p[3]), Integer.parseInt(p[4]),
                Instant.parse(p[5]), Instant.parse(p[6]), Long.parseLong(p[7]), Duration.parse(p[8]), rate, lottery);
    }

    private String saleKey(Sku sku, String saleId) {
        return keys.base(sku) + "fs:" + saleId;
    }

    private String registrySku() {
        return keys.prefix + "{:fs}:sku";
    }

    private String registryDue() {
        return keys.prefix + "{:fs}:due";
    }

    private static IllegalStateException unexpected(String what, Reply rep) {
        return new IllegalStateException("unexpected answer to " + what + ": " + rep.code());
    }

    private static void notNull(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }
}
