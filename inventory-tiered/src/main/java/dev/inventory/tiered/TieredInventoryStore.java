package dev.inventory.tiered;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.Transition;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.InventoryStore;
import dev.inventory.core.spi.OutboxSource.OutboxRecord;
import dev.inventory.core.spi.StoreResult;
import dev.inventory.jdbc.PostgresInventoryStore;
import dev.inventory.redis.RedisInventoryStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tiered store of DESIGN section 4: Redis (the hot store) decides every write atomically and serves
 * checks; PostgreSQL is the source of truth. Each write runs on Redis, then copies the state it touched
 * (levels with their ledger, holds) to PostgreSQL before it returns (write-through). The copy is
 * idempotent and order-tolerant (levels by version, ledger by version, holds only forward), so the
 * {@link TieredDrainer}, which copies whatever the Redis journal says changed, can apply the same change
 * again at any time.
 *
 * <p>If PostgreSQL fails during the copy, the call throws {@link InventoryStoreException} and PostgreSQL
 * has nothing of it (one transaction); the change stands on Redis and in its journal, and the drainer
 * (or a repeat of the call) completes it, exactly once. It is not compensated on Redis: a confirmation
 * cannot be taken back without inventing events, and an idempotent repeat must find the hold it asked
 * for. Reservation calls and stock commands with an event id are idempotent, so the exception is
 * retry-safe for them; a stock command without an event id must not be repeated (the message says so).
 *
 * <p>Redis restarts: every script runs through a store that requires the loader's marker inside the
 * script ({@link RedisInventoryStore#requiringKey}), so nothing is written on a Redis that lost its data
 * and is not rebuilt yet (the call rebuilds it and runs once more). Each write remembers the Redis
 * lifetime (the marker's epoch) it ran in; a copy whose lifetime ended is refused by PostgreSQL (the
 * loader's epoch fence), and the call then tells the caller to repeat it, or, for a stock command
 * without an event id, finds out from PostgreSQL's ledger whether it got there first.
 *
 * <p>Reads follow the routing table: {@code level}, {@code levels} and {@code reservation} from Redis,
 * falling back to PostgreSQL when Redis fails or is being rebuilt; {@code ledger} (reporting) from
 * PostgreSQL only.
 */
public final class TieredInventoryStore implements InventoryStore {

    private static final Pattern ID = Pattern.compile("[a-z_][a-z0-9_]*");

    private static final Logger log = LoggerFactory.getLogger(TieredInventoryStore.class);

    private final RedisInventoryStore hot;
    /**
     * Per level, the newest ledger version PostgreSQL had after a copy this instance committed: a copy
     * reads only the Redis entries above it (PostgreSQL's ledger only grows, so it stays a lower bound).
     */
    private final ConcurrentHashMap<Key, Long> ledgerCopied = new ConcurrentHashMap<>();
    private final RedisInventoryStore writes;
    private final PostgresInventoryStore truth;
    private final TruthWriter writer;
    private final TieredLoader loader;
    private final Hook hook;

    /** Test hook: called before each write's script on Redis and before its copy to PostgreSQL. */
    interface Hook {
        Hook NONE = new Hook() {
        };

        default void beforeHot(String what) {
        }

        default void beforeCopy(String what) {
        }
    }

    /** What a write's script answered, and the Redis lifetime (epoch) it ran in. */
    private record Ran<T>(StoreResult<T> result, String epoch) {
    }

    /**
     * Why a write's copy to PostgreSQL did not commit.
     *
     * @param truth true: PostgreSQL failed, Redis (and its journal) has the change and the drainer
     *     completes it; false: Redis restarted (its lifetime ended) or failed while being read, so the
     *     change may be gone
     * @param cause what failed
     */
    private record Failed(boolean truth, Exception cause) {
    }

    private TieredInventoryStore(Builder b) {
        this.hot = b.hot;
        this.truth = PostgresInventoryStore.builder().dataSource(b.dataSource).schema(b.schema)
                .tablePrefix(b.tablePrefix).build();
        this.writer = new TruthWriter(b.dataSource, b.schema, b.tablePrefix);
        writer.migrate();
        this.loader = new TieredLoader(this, b.redis);
        RedisInventoryStore guarded;
        try {
            guarded = hot.requiringKey(loader.markerKey());
        } catch (IllegalStateException cluster) {
            guarded = hot; // Redis Cluster: no marker check inside the scripts (see the README's limits)
        }
        this.writes = guarded;
        this.hook = b.hook;
        loader.loadIfNeeded(Instant.now());
    }

    /** A builder; {@link Builder#hot}, {@link Builder#redis} and {@link Builder#dataSource} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The hot store (Redis). */
    public RedisInventoryStore hot() {
        return hot;
    }

    /** The source of truth (PostgreSQL), a store on the host's data source. */
    public PostgresInventoryStore truth() {
        return truth;
    }

    TruthWriter writer() {
        return writer;
    }

    TieredLoader loader() {
        return loader;
    }

    @Override
    public StoreResult<ReservationResult> reserve(Reservation reservation, Instant now) {
        String what = "reserve " + reservation.id();
        Ran<ReservationResult> ran = run(now, what, () -> writes.reserve(reservation, now));
        Set<ReservationId> holds = new LinkedHashSet<>();
        holds.add(reservation.id());
        Failed failed = writeThrough(ran.epoch(), levelsOf(reservation.lines(), ran.result().events()), holds,
                ran.result().events(), now, what);
        if (failed != null) {
            throw failure(failed, what, true);
        }
        return ran.result();
    }

    @Override
    public StoreResult<ReservationResult> transition(ReservationId id, Transition transition, Instant now,
            Duration paymentExtension) {
        String what = transition + " " + id;
        Ran<ReservationResult> ran = run(now, what, () -> writes.transition(id, transition, now, paymentExtension));
        List<ReservationLine> lines = ran.result().value() instanceof ReservationResult.NotFound ? List.of()
                : hot.reservation(id).map(Reservation::lines).orElse(List.of());
        Set<ReservationId> holds = new LinkedHashSet<>();
        holds.add(id);
        Failed failed = writeThrough(ran.epoch(), levelsOf(lines, ran.result().events()), holds,
                ran.result().events(), now, what);
        if (failed != null) {
            throw failure(failed, what, true);
        }
        return ran.result();
    }

    @Override
    public StoreResult<StockResult> apply(StockCommand command, Instant now) {
        String what = "stock command " + command;
        boolean idempotent = command.origin().eventId().isPresent();
        Ran<StockResult> ran = run(now, what, () -> writes.apply(command, now));
        Set<Key> levels = new LinkedHashSet<>();
        for (StockLevel l : hot.levels(command.sku())) {
            levels.add(new Key(l.sku(), l.locationId()));
        }
        levels.addAll(levelsOf(List.of(), ran.result().events()));
        Failed failed = writeThrough(ran.epoch(), levels, new LinkedHashSet<>(), ran.result().events(), now, what);
        if (failed == null || !ran.result().value().isApplied()) {
            return ran.result(); // a refusal or a duplicate changed nothing: its answer stands
        }
        if (failed.truth() || idempotent) {
            throw failure(failed, what, idempotent);
        }
        return resolve(ran, what, now);
    }

    @Override
    public StoreResult<List<Reservation>> expireDue(Instant now, int limit) {
        Ran<List<Reservation>> ran = run(now, "expiry", () -> writes.expireDue(now, limit));
        List<ReservationLine> lines = new ArrayList<>();
        Set<ReservationId> holds = new LinkedHashSet<>();
        for (Reservation r : ran.result().value()) {
            lines.addAll(r.lines());
            holds.add(r.id());
        }
        Failed failed = writeThrough(ran.epoch(), levelsOf(lines, ran.result().events()), holds,
                ran.result().events(), now, "expiry");
        if (failed != null) {
            throw failure(failed, "expiry", true);
        }
        return ran.result();
    }

    @Override
    public StoreResult<InventoryEvent> recordDerived(InventoryEvent event, Instant now) {
        return run(now, "derived event", () -> writes.recordDerived(event, now)).result();
    }

    @Override
    public Optional<StockLevel> level(Sku sku, LocationId locationId) {
        try {
            if (loader.loaded()) {
                return hot.level(sku, locationId);
            }
        } catch (InventoryStoreException | redis.clients.jedis.exceptions.JedisException e) {
            // Redis failed: the persistent store answers
        }
        return truth.level(sku, locationId);
    }

    @Override
    public List<StockLevel> levels(Sku sku) {
        try {
            if (loader.loaded()) {
                return hot.levels(sku);
            }
        } catch (InventoryStoreException | redis.clients.jedis.exceptions.JedisException e) {
            // Redis failed: the persistent store answers
        }
        return truth.levels(sku);
    }

    /** From Redis; from PostgreSQL when Redis fails, is being rebuilt or does not have it. */
    @Override
    public Optional<Reservation> reservation(ReservationId id) {
        try {
            if (loader.loaded()) {
                Optional<Reservation> found = hot.reservation(id);
                if (found.isPresent()) {
                    return found;
                }
            }
        } catch (InventoryStoreException | redis.clients.jedis.exceptions.JedisException e) {
            // Redis failed: the persistent store answers
        }
        return truth.reservation(id);
    }

    @Override
    public List<LedgerEntry> ledger(Sku sku, LocationId locationId) {
        return truth.ledger(sku, locationId);
    }

    /** Closes the PostgreSQL store it created on the host's data source; never the hot store or the pool. */
    @Override
    public void close() {
        truth.close();
    }

    /**
     * Rebuilds Redis from PostgreSQL if Redis lost its data (its marker key is missing); writes do this
     * themselves before they run.
     *
     * @return the number of levels loaded, 0 when Redis was intact
     */
    public int loadIfNeeded(Instant now) {
        return loader.loadIfNeeded(now);
    }

    /**
     * Runs a write's script on Redis, through the store that requires the loader's marker inside the
     * script: when Redis lost its data since the marker was read, the script refuses having changed
     * nothing, the loader rebuilds Redis and the script runs once more.
     */
    private <T> Ran<T> run(Instant now, String what, java.util.function.Supplier<StoreResult<T>> script) {
        for (int attempt = 0; ; attempt++) {
            String epoch = loader.epoch();
            if (epoch == null) {
                loader.loadIfNeeded(now);
                epoch = loader.epoch();
                if (epoch == null) {
                    throw new InventoryStoreException(what + ": Redis lost its data and is being rebuilt; retry",
                            null, true);
                }
            }
            hook.beforeHot(what);
            try {
                return new Ran<>(script.get(), epoch);
            } catch (InventoryStoreException e) {
                if (attempt > 0 || !RedisInventoryStore.isMissingRequiredKey(e)) {
                    throw e;
                }
                // Redis lost its data after the marker was read; the script changed nothing
            }
        }
    }

    /**
     * Copies the current Redis state of the given levels and holds, and the given journal records, to
     * PostgreSQL (idempotent), provided Redis is still in lifetime {@code epoch} (null: the current one)
     * after the state was read and PostgreSQL accepts copies of that lifetime. The drainer and the
     * write-through both use it.
     *
     * @throws TruthWriter.StaleEpochException when Redis restarted (or was rebuilt) since {@code epoch}
     */
    void copy(Set<Key> levels, Set<ReservationId> holds, List<OutboxRecord> events, String epoch, Instant now)
            throws SQLException {
        String lifetime = epoch != null ? epoch : loader.epoch();
        if (lifetime == null) {
            throw new TruthWriter.StaleEpochException("Redis is not loaded: nothing to copy");
        }
        for (int attempt = 0;; attempt++) {
            List<TruthWriter.LevelSnapshot> snapshots = new ArrayList<>();
            for (Key k : levels) {
                Optional<StockLevel> level = hot.level(k.sku(), k.location());
                if (level.isPresent()) {
                    // only the entries PostgreSQL cannot have yet: its newest version as of an earlier copy
                    long after = attempt == 0 ? ledgerCopied.getOrDefault(k, -1L) : -1L;
                    snapshots.add(new TruthWriter.LevelSnapshot(level.get(),
                            hot.ledgerAfter(k.sku(), k.location(), after), after));
                }
            }
            List<Reservation> reservations = new ArrayList<>();
            for (ReservationId id : holds) {
                hot.reservation(id).ifPresent(reservations::add);
            }
            if (!lifetime.equals(loader.epoch())) {
                throw new TruthWriter.StaleEpochException("Redis restarted while the copy read it");
            }
            try {
                writer.write(snapshots, reservations, events, lifetime, now)
                        .forEach((k, v) -> ledgerCopied.merge(k, v, Math::max));
                return;
            } catch (TruthWriter.LedgerGapException e) {
                if (attempt > 0) {
                    throw e;
                }
                log.warn("{}; copying again with the whole ledger", e.getMessage());
                for (Key k : levels) {
                    ledgerCopied.remove(k);
                }
            }
        }
    }

    /** The write-through of one write: null when PostgreSQL has it, else why not. */
    private Failed writeThrough(String epoch, Set<Key> levels, Set<ReservationId> holds, List<InventoryEvent> events,
            Instant now, String what) {
        for (InventoryEvent e : events) {
            if (e instanceof InventoryEvent.HoldEvent) {
                holds.add(((InventoryEvent.HoldEvent) e).reservationId());
            }
        }
        hook.beforeCopy(what);
        try {
            copy(levels, holds, List.of(), epoch, now);
            return null;
        } catch (TruthWriter.StaleEpochException e) {
            return new Failed(false, e);
        } catch (InventoryStoreException | redis.clients.jedis.exceptions.JedisException e) {
            return new Failed(false, e); // Redis failed while the copy read it
        } catch (SQLException | RuntimeException e) {
            return new Failed(true, e);
        }
    }

    private static InventoryStoreException failure(Failed failed, String what, boolean retrySafe) {
        if (!failed.truth()) {
            return new InventoryStoreException(what + ": Redis restarted or failed right after the change, before"
                    + " PostgreSQL had it (" + failed.cause().getMessage() + "); Redis is rebuilt from PostgreSQL:"
                    + " repeat the call (it answers as a first call, or as a replay if the change reached"
                    + " PostgreSQL)", failed.cause(), true);
        }
        return new InventoryStoreException(what + " is applied on Redis (and its journal) but not yet on"
                + " PostgreSQL: " + failed.cause().getMessage() + "; the drainer copies it when PostgreSQL is back"
                + (retrySafe ? "; repeating the call is safe (it answers as a replay)"
                        : "; do NOT repeat this command (it has no event id), the drainer completes it"),
                failed.cause(), retrySafe);
    }

    /**
     * A stock command without an event id whose copy did not commit because Redis restarted (or failed)
     * right after it: waits for Redis to be loaded again, then finds out whether PostgreSQL has its ledger
     * entry (copied before the restart) and answers the command's result, or else tells the caller it
     * is not applied (it was lost with Redis, and the fence keeps any late copy of it out), so a repeat
     * applies it once.
     */
    private StoreResult<StockResult> resolve(Ran<StockResult> ran, String what, Instant now) {
        StockLevel after = ((StockResult.Applied) ran.result().value()).level();
        if (!loader.awaitLoaded(now, Duration.ofSeconds(10))) {
            throw new InventoryStoreException(what + ": Redis failed right after applying it and is not back;"
                    + " whether PostgreSQL has it is unknown: check the ledger before repeating", null, false);
        }
        if (ran.epoch().equals(loader.epoch())) {
            // Redis did not restart (it failed for a moment): the change is there; copy it now
            Set<Key> levels = new LinkedHashSet<>();
            levels.add(new Key(after.sku(), after.locationId()));
            levels.addAll(levelsOf(List.of(), ran.result().events()));
            Failed again = writeThrough(ran.epoch(), levels, new LinkedHashSet<>(), ran.result().events(), now, what);
            if (again == null) {
                return ran.result();
            }
            if (again.truth()) {
                throw failure(again, what, false);
            }
        }
        try {
            if (writer.hasLedgerEntry(after.sku(), after.locationId(), after.version(), after.onHand(),
                    after.updatedAt())) {
                return ran.result();
            }
        } catch (SQLException e) {
            throw new InventoryStoreException(what + ": Redis restarted right after applying it and PostgreSQL"
                    + " cannot be asked whether it has it (" + e.getMessage() + "): check the ledger before"
                    + " repeating", e, false);
        }
        throw new InventoryStoreException(what + " is NOT applied: Redis restarted right after applying it,"
                + " before PostgreSQL had it, and Redis is rebuilt from PostgreSQL; repeat the command", null, true);
    }

    private static Set<Key> levelsOf(List<ReservationLine> lines, List<InventoryEvent> events) {
        Set<Key> out = new LinkedHashSet<>();
        for (ReservationLine l : lines) {
            out.add(new Key(l.sku(), l.locationId()));
        }
        for (InventoryEvent e : events) {
            out.add(new Key(e.sku(), e.locationId()));
        }
        return out;
    }

    /** One SKU x location. */
    record Key(Sku sku, LocationId location) {
    }

    /** Builds a {@link TieredInventoryStore}. */
    public static final class Builder {
        private RedisInventoryStore hot;
        private redis.clients.jedis.UnifiedJedis redis;
        private DataSource dataSource;
        private String schema = "inventory";
        private String tablePrefix = "";
        private Hook hook = Hook.NONE;

        private Builder() {
        }

        Builder hook(Hook hook) {
            this.hook = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /** The hot store; the host owns it (the tiered store never closes it). Its journal must be on. */
        public Builder hot(RedisInventoryStore hot) {
            this.hot = Objects.requireNonNull(hot, "hot");
            return this;
        }

        /** The client of the hot store's Redis (for the loader's marker and writes); the host owns it. */
        public Builder redis(redis.clients.jedis.UnifiedJedis redis) {
            this.redis = Objects.requireNonNull(redis, "redis");
            return this;
        }

        /** The PostgreSQL pool of the source of truth; the host owns it. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The schema of the PostgreSQL store's tables (default {@code inventory}); migrated at build. */
        public Builder schema(String schema) {
            if (schema == null || !ID.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must match [a-z_][a-z0-9_]*, got " + schema);
            }
            this.schema = schema;
            return this;
        }

        /** The table prefix of the PostgreSQL store (default none). */
        public Builder tablePrefix(String tablePrefix) {
            if (tablePrefix == null || !(tablePrefix.isEmpty() || ID.matcher(tablePrefix).matches())) {
                throw new IllegalArgumentException("tablePrefix must be empty or match [a-z_][a-z0-9_]*, got "
                        + tablePrefix);
            }
            this.tablePrefix = tablePrefix;
            return this;
        }

        /** The store; migrates the PostgreSQL schema and loads Redis from it if Redis has no marker. */
        public TieredInventoryStore build() {
            if (hot == null) {
                throw new IllegalStateException("hot is required (a RedisInventoryStore), got null");
            }
            if (redis == null) {
                throw new IllegalStateException("redis is required (the hot store's Jedis client), got null");
            }
            if (dataSource == null) {
                throw new IllegalStateException("dataSource is required (the PostgreSQL pool), got null");
            }
            return new TieredInventoryStore(this);
        }
    }
}
