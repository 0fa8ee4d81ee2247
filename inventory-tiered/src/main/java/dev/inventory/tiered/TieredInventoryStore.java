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
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The tiered store of DESIGN section 4: Redis (the hot store) decides every write atomically and serves
 * checks; PostgreSQL is the source of truth. Each write runs on Redis, then copies the state it touched
 * (levels with their ledger, holds) to PostgreSQL before it returns (write-through). The copy is
 * idempotent and order-tolerant (levels by version, ledger by version, holds only forward), so the
 * {@link TieredDrainer}, which copies whatever the Redis journal says changed, can apply the same change
 * again at any time.
 *
 * <p>If PostgreSQL fails during the copy, the call throws {@link InventoryStoreException}: the change
 * stands on Redis and in its journal, and the drainer (or a repeat of the call) copies it later.
 * Reservation calls and stock commands with an event id are idempotent, so the exception is retry-safe
 * for them; a stock command without an event id is not repeated safely (the message says so).
 *
 * <p>Reads follow the routing table: {@code level}, {@code levels} and {@code reservation} from Redis,
 * falling back to PostgreSQL when Redis fails; {@code ledger} (reporting) from PostgreSQL only.
 */
public final class TieredInventoryStore implements InventoryStore {

    private static final Pattern ID = Pattern.compile("[a-z_][a-z0-9_]*");

    private final RedisInventoryStore hot;
    private final PostgresInventoryStore truth;
    private final TruthWriter writer;
    private final TieredLoader loader;

    private TieredInventoryStore(Builder b) {
        this.hot = b.hot;
        this.truth = PostgresInventoryStore.builder().dataSource(b.dataSource).schema(b.schema)
                .tablePrefix(b.tablePrefix).build();
        this.writer = new TruthWriter(b.dataSource, b.schema, b.tablePrefix);
        this.loader = new TieredLoader(this, b.redis);
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

    @Override
    public StoreResult<ReservationResult> reserve(Reservation reservation, Instant now) {
        ensureLoaded(now);
        StoreResult<ReservationResult> result = hot.reserve(reservation, now);
        Set<ReservationId> holds = new LinkedHashSet<>();
        holds.add(reservation.id());
        writeThrough(levelsOf(reservation.lines(), result.events()), holds, result.events(), now, true,
                "reserve " + reservation.id());
        if ((result.value() instanceof ReservationResult.Success || result.value() instanceof ReservationResult.Replayed)
                && hot.reservation(reservation.id()).isEmpty()) {
            throw new InventoryStoreException("reserve " + reservation.id() + ": Redis lost its data during the"
                    + " call; it is rebuilt from PostgreSQL, repeat the call", null, true);
        }
        return result;
    }

    @Override
    public StoreResult<ReservationResult> transition(ReservationId id, Transition transition, Instant now,
            Duration paymentExtension) {
        ensureLoaded(now);
        StoreResult<ReservationResult> result = hot.transition(id, transition, now, paymentExtension);
        List<ReservationLine> lines = hot.reservation(id).map(Reservation::lines).orElse(List.of());
        Set<ReservationId> holds = new LinkedHashSet<>();
        holds.add(id);
        writeThrough(levelsOf(lines, result.events()), holds, result.events(), now, true,
                transition + " " + id);
        return result;
    }

    @Override
    public StoreResult<StockResult> apply(StockCommand command, Instant now) {
        ensureLoaded(now);
        StoreResult<StockResult> result = hot.apply(command, now);
        Set<Key> levels = new LinkedHashSet<>();
        for (StockLevel l : hot.levels(command.sku())) {
            levels.add(new Key(l.sku(), l.locationId()));
        }
        levels.addAll(levelsOf(List.of(), result.events()));
        writeThrough(levels, new LinkedHashSet<>(), result.events(), now, command.origin().eventId().isPresent(),
                "stock command " + command);
        return result;
    }

    @Override
    public StoreResult<List<Reservation>> expireDue(Instant now, int limit) {
        ensureLoaded(now);
        StoreResult<List<Reservation>> result = hot.expireDue(now, limit);
        List<ReservationLine> lines = new ArrayList<>();
        Set<ReservationId> holds = new LinkedHashSet<>();
        for (Reservation r : result.value()) {
            lines.addAll(r.lines());
            holds.add(r.id());
        }
        writeThrough(levelsOf(lines, result.events()), holds, result.events(), now, true, "expiry");
        return result;
    }

    @Override
    public StoreResult<InventoryEvent> recordDerived(InventoryEvent event, Instant now) {
        ensureLoaded(now);
        return hot.recordDerived(event, now);
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

    /** From Redis; from PostgreSQL when Redis fails or does not have it (a finished hold after a rebuild). */
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

    private void ensureLoaded(Instant now) {
        if (!loader.loaded()) {
            loader.loadIfNeeded(now);
        }
    }

    /**
     * Copies the current Redis state of the given levels and holds to PostgreSQL (idempotent). The drainer
     * and the write-through both use it.
     */
    void copy(Set<Key> levels, Set<ReservationId> holds, Instant now) throws SQLException {
        List<TruthWriter.LevelSnapshot> snapshots = new ArrayList<>();
        for (Key k : levels) {
            Optional<StockLevel> level = hot.level(k.sku(), k.location());
            if (level.isPresent()) {
                snapshots.add(new TruthWriter.LevelSnapshot(level.get(), hot.ledger(k.sku(), k.location())));
            }
        }
        List<Reservation> reservations = new ArrayList<>();
        for (ReservationId id : holds) {
            hot.reservation(id).ifPresent(reservations::add);
        }
        writer.write(snapshots, reservations, now);
    }

    private void writeThrough(Set<Key> levels, Set<ReservationId> holds, List<InventoryEvent> events, Instant now,
            boolean idempotent, String what) {
        for (InventoryEvent e : events) {
            if (e instanceof InventoryEvent.HoldEvent) {
                holds.add(((InventoryEvent.HoldEvent) e).reservationId());
            }
        }
        try {
            copy(levels, holds, now);
        } catch (SQLException | RuntimeException e) {
            throw new InventoryStoreException(what + " is applied on Redis (and its journal) but not yet on"
                    + " PostgreSQL: " + e.getMessage() + "; the drainer copies it when PostgreSQL is back"
                    + (idempotent ? "; repeating the call is safe" : "; do NOT repeat this command (it has no"
                    + " event id), the drainer completes it"), e, idempotent);
        }
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

        private Builder() {
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
