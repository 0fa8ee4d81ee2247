package dev.inventory.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
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
import dev.inventory.core.spi.LevelEvents;
import dev.inventory.core.spi.OutboxSource;
import dev.inventory.core.spi.StockRules;
import dev.inventory.core.spi.StoreResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * PostgreSQL as the source of truth (DESIGN sections 2-6 and 9): levels, holds and their lines, an
 * append-only ledger, a transactional outbox and the processed-event table, in one schema.
 *
 * <pre>{@code
 * try (var store = PostgresInventoryStore.builder()
 *             .jdbcUrl("jdbc:postgresql://localhost:5432/shop").username("shop").password(secret)
 *             .build();                                   // creates its own HikariCP pool, migrates the schema
 *      var inventory = Inventory.builder().store(store).build()) {
 *     inventory.stock().receive(Sku.of("TEE-M"), LocationId.of("WH-1"), 100);
 * }
 * }</pre>
 *
 * <p>Every operation is one transaction at READ COMMITTED: it locks the rows it changes
 * ({@code SELECT ... FOR UPDATE}, levels always in one canonical order, so concurrent operations
 * never deadlock), computes the change with the core's shared rules, then writes the levels (guarded
 * by the version it locked), the ledger rows, one outbox row per event and the hold, in one
 * statement, and commits. A reservation call takes two round trips: the hold insert (or the hold
 * lock) together with the level locks, then the write together with the COMMIT (an idempotent call
 * may send both at once: when the connection is lost there, a retry resolves the unknown outcome). No SERIALIZABLE retries, no application-level lock: row locks are the
 * concurrency control, so several application instances may share one database. The sweeper's
 * batches lock due holds with {@code FOR UPDATE SKIP LOCKED}, so each due hold is expired exactly
 * once however many instances sweep.
 *
 * <p>Instants are stored with microsecond precision: the store truncates every instant it is given
 * to microseconds. Infrastructure failures throw {@link InventoryStoreException}, which says whether a
 * retry is safe; a call that throws has applied nothing, with one exception: when the connection is
 * lost during COMMIT the outcome is unknown, and the exception is retry-safe only for an idempotent
 * call (reservation calls, stock commands carrying an event id, reads).
 *
 * <p>Thread-safe. {@link #close()} closes the connection pool only when the store created it
 * ({@link Builder#jdbcUrl}); a {@link Builder#dataSource DataSource} passed in is never closed.
 */
public final class PostgresInventoryStore implements InventoryStore {

    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final int LEDGER_FETCH_SIZE = 64;

    private final JdbcConfig config;
    private final Sql sql;
    private final Jdbc jdbc;
    private final HikariDataSource ownedPool;
    private final JdbcOutbox outbox;
    /** Statement pairs sent in one round trip: insert a hold, then lock its one level or its levels. */
    private final String insertAndLockLevel;
    /** The same for several levels, by count ({@link Sql#lockLevels}). */
    private final Map<Integer, String> insertAndLockLevels = new java.util.concurrent.ConcurrentHashMap<>();
    /** Lock a hold, then the levels of its lines. */
    private final String lockHoldAndLevels;

    private PostgresInventoryStore(JdbcConfig config, DataSource dataSource, HikariDataSource ownedPool) {
        this.config = config;
        this.sql = new Sql(config);
        this.insertAndLockLevel = sql.insertReservation(1) + ";\n" + sql.get("lock_level");
        this.lockHoldAndLevels = sql.get("lock_hold_and_levels");
        this.ownedPool = ownedPool;
        this.jdbc = new Jdbc(dataSource, ownedPool == null && !comesInReadCommitted(dataSource));
        this.outbox = new JdbcOutbox(jdbc, sql);
        if (config.migrateOnStart()) {
            migrate();
        } else {
            int version = jdbc.read("schema version check", c -> Migrations.currentVersion(c, config, sql));
            if (version != Migrations.latest()) {
                throw new IllegalStateException("schema " + config.schema() + " (table prefix \""
                        + config.tablePrefix() + "\") is at version " + version + ", this library needs version "
                        + Migrations.latest() + ": call migrate() or build the store with migrateOnStart(true)");
            }
        }
    }

    /** A builder: say where the database is ({@link Builder#jdbcUrl} or {@link Builder#dataSource}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The schema, table prefix and start-up behaviour of this store. */
    public JdbcConfig config() {
        return config;
    }

    /**
     * The outbox table as a source for relays (the Kafka module's relay is built on it). Each event
     * the store wrote is one row, in version order per SKU x location.
     */
    public OutboxSource outbox() {
        return outbox;
    }

    /**
     * Brings the schema to the version this library needs: creates the schema and tables when absent,
     * applies the missing versioned scripts, and does nothing when the schema is up to date. Safe at
     * every start and from several instances at once (one transaction under an advisory lock).
     *
     * @return how many scripts were applied (0 when the schema was up to date)
     * @throws IllegalStateException when the schema is newer than this library
     */
    public int migrate() {
        int before = jdbc.inTransaction("schema migration", true, tx -> Migrations.migrate(tx.connection, config, sql));
        return Migrations.latest() - before;
    }

    // ---------------------------------------------------------------- reservations

    @Override
    public StoreResult<ReservationResult> reserve(Reservation reservation, Instant now) {
        require("reservation", reservation);
        Instant at = Rows.micros(require("now", now));
        Reservation hold = new Reservation(reservation.id(), reservation.lines(), reservation.cartId(),
                reservation.userId(), reservation.orderId(), reservation.status(),
                Rows.micros(reservation.createdAt()), Rows.micros(reservation.expiresAt()),
                Rows.micros(reservation.updatedAt()));
        List<InventoryEvent> events = new ArrayList<>();
        for (int attempt = 0; ; attempt++) {
            boolean first = attempt == 0;
            ReserveAttempt a = jdbc.inTransaction("reserve " + hold.id(), true, tx -> reserveOnce(tx, hold, at, first));
            if (a.result == null) { // the id exists: replay or conflict, decided on the committed hold
                Optional<Reservation> existing = reservation(hold.id());
                if (existing.isPresent()) {
                    Reservation e = existing.get();
                    return new StoreResult<>(e.lines().equals(hold.lines())
                            ? new ReservationResult.Replayed(e)
                            : new ReservationResult.IdConflict(e), events);
                }
                if (attempt < 2) {
                    continue; // someone deleted the hold by hand between the two reads; try again
                }
                throw new IllegalStateException("hold " + hold.id() + " exists but cannot be read");
            }
            events.addAll(a.events);
            if (a.result instanceof ReservationResult.Success || a.dueOnShortLevels.isEmpty()) {
                return new StoreResult<>(a.result, events);
            }
            // lazy expiry: free the due holds on the short levels (each in its own transaction, which locks
            // the hold before its levels like every transition), then try once more
            for (ReservationId due : a.dueOnShortLevels) {
                events.addAll(transition(due, Transition.EXPIRE, at, Duration.ZERO).events());
            }
        }
    }

    /** One reserve transaction; {@code result} is null when the id already exists. */
    private record ReserveAttempt(ReservationResult result, List<InventoryEvent> events,
            List<ReservationId> dueOnShortLevels) {
    }

    private ReserveAttempt reserveOnce(Jdbc.Tx tx, Reservation hold, Instant now, boolean collectDue)
            throws SQLException {
        Connection c = tx.connection;
        List<Rows.Key> keys = keysOf(hold.lines());
        Map<Rows.Key, StockLevel> levels = insertReservationAndLockLevels(c, hold, keys);
        if (levels == null) {
            tx.rollbackOnly();
            return new ReserveAttempt(null, List.of(), List.of());
        }
        ReservationResult shortage = null;
        List<Rows.Key> shortLevels = new ArrayList<>();
        for (ReservationLine line : hold.lines()) {
            StockLevel level = levels.get(Rows.Key.of(line));
            long available = level == null ? 0 : level.available();
            if (line.quantity() > available) {
                if (shortage == null) {
                    shortage = new ReservationResult.InsufficientStock(hold.id(), line, available);
                }
                shortLevels.add(Rows.Key.of(line));
            }
        }
        if (shortage != null) {
            tx.rollbackOnly();
            List<ReservationId> due = collectDue ? dueOn(c, shortLevels, now) : List.of();
            return new ReserveAttempt(shortage, List.of(), due);
        }
        WriteSet writes = new WriteSet();
        List<InventoryEvent> events = new ArrayList<>();
        for (ReservationLine line : hold.lines()) {
            StockLevel before = levels.get(Rows.Key.of(line));
            StockLevel after = checked(before.withQuantities(before.onHand(), before.allocated(),
                    before.reserved() + line.quantity(), before.damaged(), now));
            writes.level(after, before.version());
            events.add(LevelEvents.reserved(after, now, hold, line));
            LevelEvents.crossings(before, after, now, events);
        }
        writes.events(events);
        writes.execute(tx, sql);
        return new ReserveAttempt(new ReservationResult.Success(hold), events, List.of());
    }

    /**
     * Inserts the hold (the idempotency check: a second transaction inserting the same id waits for
     * the first, then inserts nothing) and then locks the levels of its lines, in one round trip.
     *
     * @return the locked levels (absent ones not in the map), or null when the id already exists
     */
    private Map<Rows.Key, StockLevel> insertReservationAndLockLevels(Connection c, Reservation hold,
            List<Rows.Key> keys) throws SQLException {
        boolean one = keys.size() == 1;
        String statement = one ? insertAndLockLevel : insertAndLockLevels.computeIfAbsent(keys.size(),
                n -> sql.insertReservation(n) + ";\n" + sql.lockLevels(n));
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, hold.id().value());
            ps.setString(2, hold.status().name());
            Rows.setOptional(ps, 3, hold.cartId());
            Rows.setOptional(ps, 4, hold.userId());
            Rows.setOptional(ps, 5, hold.orderId());
            Rows.setInstant(ps, 6, hold.createdAt());
            Rows.setInstant(ps, 7, hold.expiresAt());
            Rows.setInstant(ps, 8, hold.updatedAt());
            int i = Rows.setHoldLines(ps, 9, hold.lines());
            if (one) {
                ps.setString(i, keys.get(0).sku().value());
                ps.setString(i + 1, keys.get(0).locationId().value());
            } else {
                Rows.setLockKeys(c, ps, i, keys);
            }
            try {
                ps.execute();
            } catch (SQLException e) {
                if (isHoldIdTaken(e)) {
                    return null; // the transaction is aborted; the caller rolls it back
                }
                throw e;
            }
            boolean inserted = ps.getUpdateCount() == 1;
            if (!ps.getMoreResults()) {
                throw new IllegalStateException("the level lock returned no result (a bug): rolled back");
            }
            Map<Rows.Key, StockLevel> levels = new HashMap<>();
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    StockLevel level = Rows.level(rs);
                    levels.put(Rows.Key.of(level), level);
                }
            }
            return inserted ? levels : null;
        }
    }

    /** Whether {@code e} is the hold insert failing on the primary key: the id is taken. */
    private boolean isHoldIdTaken(SQLException e) {
        return "23505".equals(e.getSQLState()) && e.getMessage() != null
                && e.getMessage().contains("\"" + config.tablePrefix() + "reservations_pk\"");
    }

    private List<ReservationId> dueOn(Connection c, List<Rows.Key> keys, Instant now) throws SQLException {
        List<ReservationId> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.get("due_on_levels"))) {
            Rows.setKeys(c, ps, 1, keys);
            Rows.setInstant(ps, 3, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(ReservationId.of(rs.getString(1)));
                }
            }
        }
        return due;
    }

    @Override
    public StoreResult<ReservationResult> transition(ReservationId id, Transition transition, Instant now,
            Duration paymentExtension) {
        require("id", id);
        require("transition", transition);
        Instant at = Rows.micros(require("now", now));
        require("paymentExtension", paymentExtension);
        if (paymentExtension.isNegative()) {
            throw new IllegalArgumentException("paymentExtension must not be negative, was " + paymentExtension);
        }
        String what = transition.name().toLowerCase(Locale.ROOT) + " " + id;
        return jdbc.inTransaction(what, true, tx -> transitionOnce(tx, id, transition, at, paymentExtension));
    }

    private StoreResult<ReservationResult> transitionOnce(Jdbc.Tx tx, ReservationId id, Transition transition,
            Instant now, Duration paymentExtension) throws SQLException {
        Connection c = tx.connection;
        Map<Rows.Key, StockLevel> levels = new HashMap<>();
        Reservation current = lockReservationAndLevels(c, id, levels);
        if (current == null) {
            tx.rollbackOnly();
            return StoreResult.unchanged(new ReservationResult.NotFound(id));
        }
        ReservationStatus status = current.status();
        ReservationResult refusal = null;
        boolean due = current.isDue(now);
        if (transition.isReplayFrom(status)) {
            refusal = new ReservationResult.Replayed(current);
        } else if (status == ReservationStatus.EXPIRED) {
            refusal = new ReservationResult.Expired(current);
        } else if (!transition.allowedFrom(status) || (transition == Transition.EXPIRE && !due)) {
            refusal = new ReservationResult.IllegalTransition(current, transition);
        }
        if (refusal != null) {
            tx.rollbackOnly();
            return StoreResult.unchanged(refusal);
        }
        Transition applied = transition.requiresUnexpired() && due ? Transition.EXPIRE : transition;
        Instant expiresAt = applied == Transition.START_PAYMENT
                ? Rows.micros(current.expiresAt().plus(paymentExtension))
                : current.expiresAt();
        Reservation next = current.withStatus(applied.target(), expiresAt, now);
        Set<String> backToSale = FlashTakeBack.of(c, config, applied, List.of(current));
        WriteSet writes = new WriteSet();
        List<InventoryEvent> events = new ArrayList<>();
        applyToLines(applied, current, next, levels, now, writes, events, backToSale.contains(id.value()));
        writes.holdChange(status, next);
        writes.events(events);
        writes.execute(tx, sql);
        ReservationResult result = applied == transition
                ? new ReservationResult.Success(next)
                : new ReservationResult.Expired(next);
        return new StoreResult<>(result, events);
    }

    /** Applies {@code applied} to every line of {@code hold}, updating {@code levels} as it goes. */
    private static void applyToLines(Transition applied, Reservation hold, Reservation next,
            Map<Rows.Key, StockLevel> levels, Instant now, WriteSet writes, List<InventoryEvent> events,
            boolean backToSale) {
        for (ReservationLine line : hold.lines()) {
            Rows.Key key = Rows.Key.of(line);
            StockLevel before = levels.get(key);
            if (before == null) {
                throw new IllegalStateException("hold " + hold.id() + " has a line on " + key.aggregateId()
                        + ", which has no level (a bug): rolled back");
            }
            // a flash-sale buyer's hold going back to its open sale's pool: reserved stays (the sale holds it)
            StockLevel after = checked(backToSale ? before.touched(now) : applied.apply(before, line.quantity(), now));
            levels.put(key, after);
            writes.level(after, before.version());
            if (applied == Transition.FULFIL) {
                writes.ledger(new LedgerEntry(after.sku(), after.locationId(), LedgerEntry.Kind.FULFILMENT,
                        -line.quantity(), after.onHand(), after.version(), Optional.of(hold.id().value()),
                        Optional.empty(), now));
            }
            events.add(LevelEvents.forTransition(applied, after, now, next, line));
            LevelEvents.crossings(before, after, now, events);
        }
    }

    /**
     * Locks the hold, then the levels of its lines in the canonical order (into {@code levels}), with
     * one statement. The levels are locked even when the hold turns out to refuse the transition,
     * which then rolls back at once.
     *
     * @return the hold, or null when there is none
     */
    private Reservation lockReservationAndLevels(Connection c, ReservationId id, Map<Rows.Key, StockLevel> levels)
            throws SQLException {
        Reservation hold = null;
        try (PreparedStatement ps = c.prepareStatement(lockHoldAndLevels)) {
            ps.setString(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (hold == null) {
                        hold = Rows.holdWithLineArrays(rs);
                    }
                    StockLevel level = Rows.level(rs, 12);
                    levels.put(Rows.Key.of(level), level);
                }
            }
        }
        if (hold != null) {
            return hold;
        }
        // no row: no such hold, or none of its levels exists (a bug, which the transition reports)
        try (PreparedStatement ps = c.prepareStatement(sql.get("reservation_for_update"))) {
            ps.setString(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                List<Reservation> found = Rows.reservations(rs);
                return found.isEmpty() ? null : found.get(0);
            }
        }
    }

    @Override
    public StoreResult<List<Reservation>> expireDue(Instant now, int limit) {
        Instant at = Rows.micros(require("now", now));
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("limit must be between 1 and 100000, was " + limit);
        }
        return jdbc.inTransaction("expireDue", true, tx -> {
            Connection c = tx.connection;
            List<Reservation> due;
            try (PreparedStatement ps = c.prepareStatement(sql.get("lock_due"))) {
                Rows.setInstant(ps, 1, at);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    due = Rows.reservations(rs);
                }
            }
            if (due.isEmpty()) {
                return new StoreResult<List<Reservation>>(List.of(), List.of());
            }
            TreeSet<Rows.Key> keys = new TreeSet<>();
            for (Reservation hold : due) {
                keys.addAll(keysOf(hold.lines()));
            }
            Map<Rows.Key, StockLevel> levels = lockLevels(c, keys);
            Set<String> backToSale = FlashTakeBack.of(c, config, Transition.EXPIRE, due);
            WriteSet writes = new WriteSet();
            List<InventoryEvent> events = new ArrayList<>();
            List<Reservation> expired = new ArrayList<>(due.size());
            for (Reservation hold : due) {
                Reservation next = hold.withStatus(ReservationStatus.EXPIRED, hold.expiresAt(), at);
                applyToLines(Transition.EXPIRE, hold, next, levels, at, writes, events,
                        backToSale.contains(hold.id().value()));
                writes.holdChange(hold.status(), next);
                expired.add(next);
            }
            writes.events(events);
            writes.execute(tx, sql);
            return new StoreResult<>(expired, events);
        });
    }

    /**
     * Deletes up to {@code limit} finished holds (fulfilled, released, expired, cancelled) that last
     * changed before {@code cutoff}, with their lines: the retention of the {@code reservations}
     * tables, which otherwise keep every hold (the ledger and the outbox keep the stock history). Call
     * it from a scheduled job, repeating while it returns {@code limit}; several instances may call it
     * at once. A repeated call on a purged hold's id afterwards finds no hold (as for the in-memory
     * store after its retention): keep the cutoff well behind any retry window. Holds a flash-sale
     * purchase points at are kept.
     *
     * @return how many holds were deleted
     * @throws IllegalArgumentException when {@code cutoff} is null or {@code limit} is not within 1..100000
     */
    public int purgeFinishedHolds(Instant cutoff, int limit) {
        Instant before = Rows.micros(require("cutoff", cutoff));
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("limit must be between 1 and 100000, was " + limit);
        }
        return jdbc.inTransaction("purgeFinishedHolds", true, tx -> {
            try (PreparedStatement ps = tx.connection.prepareStatement(sql.get("holds_purge_finished"))) {
                Rows.setInstant(ps, 1, before);
                ps.setInt(2, limit);
                return ps.executeUpdate();
            }
        });
    }

    // ---------------------------------------------------------------- stock commands

    @Override
    public StoreResult<StockResult> apply(StockCommand command, Instant now) {
        require("command", command);
        Instant at = Rows.micros(require("now", now));
        boolean idempotent = command.origin().eventId().isPresent();
        return jdbc.inTransaction(describe(command), idempotent, tx -> applyOnce(tx, command, at));
    }

    private StoreResult<StockResult> applyOnce(Jdbc.Tx tx, StockCommand command, Instant now) throws SQLException {
        Connection c = tx.connection;
        Optional<String> eventId = command.origin().eventId();
        if (eventId.isPresent() && !insertProcessedEvent(c, eventId.get(), now)) {
            tx.rollbackOnly();
            return StoreResult.unchanged(new StockResult.Duplicate(eventId.get()));
        }
        StoreResult<StockResult> result;
        if (command instanceof StockCommand.TransferOut t) {
            result = transfer(tx, t.sku(), t.from(), t.to(), t.quantity(), true, t.origin(), now);
        } else if (command instanceof StockCommand.TransferIn t) {
            result = transfer(tx, t.sku(), t.from(), t.to(), t.quantity(), false, t.origin(), now);
        } else {
            result = single(tx, command, now);
        }
        if (!result.value().isApplied()) {
            tx.rollbackOnly(); // a refusal: nothing stays behind, not even the processed event id
        }
        return result;
    }

    private StoreResult<StockResult> single(Jdbc.Tx tx, StockCommand command, Instant now) throws SQLException {
        Connection c = tx.connection;
        Rows.Key key = new Rows.Key(command.sku(), StockRules.locationOf(command));
        StockLevel before = lockLevelsCreating(c, List.of(key), now).get(key);
        long movedSinceCount = command instanceof StockCommand.CycleCount count
                ? movementsAfter(c, key, StockRules.countInstant(count, now))
                : 0;
        StockRules.Change change = StockRules.change(command, before, movedSinceCount, now);
        if (change.rejection() != null) {
            return StoreResult.unchanged(change.rejection());
        }
        StockLevel after = checked(change.after());
        WriteSet writes = new WriteSet();
        writes.level(after, before.version());
        writes.ledger(new LedgerEntry(after.sku(), after.locationId(), change.kind(), change.delta(), after.onHand(),
                after.version(), change.reference(), command.origin().eventId(), now));
        List<InventoryEvent> events = new ArrayList<>(2);
        events.add(change.event().apply(after));
        LevelEvents.crossings(before, after, now, events);
        writes.events(events);
        writes.execute(tx, sql);
        return new StoreResult<>(new StockResult.Applied(after, change.delta()), events);
    }

    private StoreResult<StockResult> transfer(Jdbc.Tx tx, Sku sku, LocationId from, LocationId to, long quantity,
            boolean out, Origin origin, Instant now) throws SQLException {
        Connection c = tx.connection;
        Rows.Key source = new Rows.Key(sku, from);
        Rows.Key target = new Rows.Key(sku, to);
        Map<Rows.Key, StockLevel> levels = lockLevelsCreating(c, List.of(source, target), now);
        StockLevel src = levels.get(source);
        StockLevel dst = levels.get(target);
        StockRules.Transfer transfer = StockRules.transfer(src, dst, quantity, out, now);
        if (transfer.rejection() != null) {
            return StoreResult.unchanged(transfer.rejection());
        }
        StockLevel srcAfter = transfer.source();
        StockLevel dstAfter = transfer.target();
        checked(srcAfter);
        checked(dstAfter);
        WriteSet writes = new WriteSet();
        writes.level(srcAfter, src.version());
        writes.level(dstAfter, dst.version());
        LedgerEntry.Kind kind = out ? LedgerEntry.Kind.TRANSFER_OUT : LedgerEntry.Kind.TRANSFER_IN;
        writes.ledger(new LedgerEntry(sku, from, kind, out ? -quantity : 0, srcAfter.onHand(), srcAfter.version(),
                origin.reference(), origin.eventId(), now));
        writes.ledger(new LedgerEntry(sku, to, kind, out ? 0 : quantity, dstAfter.onHand(), dstAfter.version(),
                origin.reference(), origin.eventId(), now));
        List<InventoryEvent> events = new ArrayList<>(4);
        for (StockLevel[] pair : new StockLevel[][] {{src, srcAfter}, {dst, dstAfter}}) {
            StockLevel after = pair[1];
            events.add(out
                    ? new InventoryEvent.TransferShipped(EventIds.next(), after, now, from, to, quantity,
                            origin.reference())
                    : new InventoryEvent.TransferReceived(EventIds.next(), after, now, from, to, quantity,
                            origin.reference()));
            LevelEvents.crossings(pair[0], after, now, events);
        }
        writes.events(events);
        writes.execute(tx, sql);
        StockLevel primary = out ? srcAfter : dstAfter;
        return new StoreResult<>(new StockResult.Applied(primary, out ? -quantity : quantity), events);
    }

    private boolean insertProcessedEvent(Connection c, String eventId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("insert_processed_event"))) {
            ps.setString(1, eventId);
            Rows.setInstant(ps, 2, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** The onHand movements of a level recorded after {@code instant} (newest ledger rows first, as few as needed). */
    private long movementsAfter(Connection c, Rows.Key key, Instant instant) throws SQLException {
        long sum = 0;
        try (PreparedStatement ps = c.prepareStatement(sql.get("ledger_newest_first"))) {
            ps.setFetchSize(LEDGER_FETCH_SIZE);
            ps.setString(1, key.sku().value());
            ps.setString(2, key.locationId().value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!Rows.instant(rs, 2).isAfter(instant)) {
                        break;
                    }
                    sum += rs.getLong(1);
                }
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- locking

    /** Locks the existing levels of {@code keys} in the canonical order; absent levels are not in the map. */
    private Map<Rows.Key, StockLevel> lockLevels(Connection c, Collection<Rows.Key> keys) throws SQLException {
        Map<Rows.Key, StockLevel> out = new HashMap<>();
        if (keys.size() == 1) {
            Rows.Key key = keys.iterator().next();
            try (PreparedStatement ps = c.prepareStatement(sql.get("lock_level"))) {
                ps.setString(1, key.sku().value());
                ps.setString(2, key.locationId().value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(key, Rows.level(rs));
                    }
                }
            }
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.lockLevels(keys.size()))) {
            Rows.setLockKeys(c, ps, 1, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StockLevel level = Rows.level(rs);
                    out.put(Rows.Key.of(level), level);
                }
            }
        }
        return out;
    }

    /**
     * Locks the levels of {@code keys}, creating absent ones as version-0 rows (every quantity 0,
     * sellable) that the caller updates or rolls back.
     */
    private Map<Rows.Key, StockLevel> lockLevelsCreating(Connection c, List<Rows.Key> keys, Instant now)
            throws SQLException {
        Map<Rows.Key, StockLevel> levels = lockLevels(c, keys);
        if (levels.size() == keys.size()) {
            return levels;
        }
        List<Rows.Key> missing = new ArrayList<>();
        for (Rows.Key key : keys) {
            if (!levels.containsKey(key)) {
                missing.add(key);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(sql.get("insert_missing_levels"))) {
            Rows.setInstant(ps, 1, now);
            Rows.setKeys(c, ps, 2, missing);
            ps.executeUpdate();
        }
        levels = lockLevels(c, keys);
        if (levels.size() != keys.size()) {
            throw new IllegalStateException("could not create the levels " + missing + " (a bug): rolled back");
        }
        return levels;
    }

    private static List<Rows.Key> keysOf(List<ReservationLine> lines) {
        List<Rows.Key> keys = new ArrayList<>(lines.size());
        for (ReservationLine line : lines) {
            keys.add(Rows.Key.of(line));
        }
        return keys;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<StockLevel> level(Sku sku, LocationId locationId) {
        require("sku", sku);
        require("locationId", locationId);
        return jdbc.read("level " + sku + "@" + locationId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.get("level"))) {
                ps.setString(1, sku.value());
                ps.setString(2, locationId.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.level(rs)) : Optional.<StockLevel>empty();
                }
            }
        });
    }

    @Override
    public List<StockLevel> levels(Sku sku) {
        require("sku", sku);
        return jdbc.read("levels " + sku, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.get("levels"))) {
                ps.setString(1, sku.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<StockLevel> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(Rows.level(rs));
                    }
                    return List.copyOf(out);
                }
            }
        });
    }

    @Override
    public Optional<Reservation> reservation(ReservationId id) {
        require("id", id);
        return jdbc.read("reservation " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.get("reservation"))) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<Reservation> found = Rows.reservations(rs);
                    return found.isEmpty() ? Optional.<Reservation>empty() : Optional.of(found.get(0));
                }
            }
        });
    }

    @Override
    public List<LedgerEntry> ledger(Sku sku, LocationId locationId) {
        require("sku", sku);
        require("locationId", locationId);
        return jdbc.read("ledger " + sku + "@" + locationId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.get("ledger"))) {
                ps.setString(1, sku.value());
                ps.setString(2, locationId.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<LedgerEntry> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(Rows.ledgerEntry(rs));
                    }
                    return List.copyOf(out);
                }
            }
        });
    }

    /** The store's connections, for the flash-sale store working on the same tables. */
    Jdbc jdbc() {
        return jdbc;
    }

    /** Closes the connection pool if this store created it; a data source passed in stays open. */
    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    // ---------------------------------------------------------------- internals

    private static StockLevel checked(StockLevel level) {
        if (!level.isConsistent()) {
            throw new IllegalStateException("invariant violated, change refused: " + level);
        }
        return level;
    }

    private static <T> T require(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    private static String describe(StockCommand command) {
        String name = command.getClass().getSimpleName();
        String where;
        if (command instanceof StockCommand.TransferOut t) {
            where = t.from() + "->" + t.to();
        } else if (command instanceof StockCommand.TransferIn t) {
            where = t.from() + "->" + t.to();
        } else {
            where = StockRules.locationOf(command).value();
        }
        return name + " " + command.sku() + "@" + where;
    }

    /** Whether a host's connections come at READ COMMITTED (PostgreSQL's default); if not, each transaction sets it. */
    private static boolean comesInReadCommitted(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED;
        } catch (SQLException e) {
            throw Failures.of("the first connection", e, false, true);
        }
    }

    /**
     * Builds a {@link PostgresInventoryStore}. Give either a {@link #jdbcUrl} (the store creates and
     * owns a HikariCP pool, closed by {@link PostgresInventoryStore#close()}) or a {@link #dataSource}
     * (the host's pool, never closed by the store). Every setter validates its argument and names it
     * in the error.
     */
    public static final class Builder {
        private DataSource dataSource;
        private String jdbcUrl;
        private String username;
        private String password;
        private Integer maxPoolSize;
        private Duration connectionTimeout;
        private JdbcConfig config = JdbcConfig.defaults();

        private Builder() {
        }

        /** Uses the host's data source (a pool); the store never closes it. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = require("dataSource", dataSource);
            return this;
        }

        /** Creates and owns a HikariCP pool for {@code jdbcUrl} ({@code jdbc:postgresql://...}). */
        public Builder jdbcUrl(String jdbcUrl) {
            require("jdbcUrl", jdbcUrl);
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, was \"" + jdbcUrl + "\"");
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /** The user of the pool the store creates (or give it in the URL). */
        public Builder username(String username) {
            this.username = require("username", username);
            return this;
        }

        /** The password of the pool the store creates (or give it in the URL). */
        public Builder password(String password) {
            this.password = require("password", password);
            return this;
        }

        /** The size of the pool the store creates, 1-1000; default 10. */
        public Builder maxPoolSize(int maxPoolSize) {
            if (maxPoolSize < 1 || maxPoolSize > 1000) {
                throw new IllegalArgumentException("maxPoolSize must be between 1 and 1000, was " + maxPoolSize);
            }
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /**
         * How long a call waits for a connection of the pool the store creates, 250 ms to 10 min;
         * default 30 s. A call that waits longer throws a retry-safe {@link InventoryStoreException}.
         */
        public Builder connectionTimeout(Duration timeout) {
            require("connectionTimeout", timeout);
            if (timeout.compareTo(Duration.ofMillis(250)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("connectionTimeout must be between 250 ms and 10 min, was "
                        + timeout);
            }
            this.connectionTimeout = timeout;
            return this;
        }

        /** The schema of the tables; default {@code inventory}. See {@link JdbcConfig#schema()}. */
        public Builder schema(String schema) {
            this.config = new JdbcConfig(schema, config.tablePrefix(), config.migrateOnStart());
            return this;
        }

        /** A prefix for every table name; default none. See {@link JdbcConfig#tablePrefix()}. */
        public Builder tablePrefix(String tablePrefix) {
            this.config = new JdbcConfig(config.schema(), tablePrefix, config.migrateOnStart());
            return this;
        }

        /** Whether {@link #build()} migrates the schema; default true. See {@link JdbcConfig#migrateOnStart()}. */
        public Builder migrateOnStart(boolean migrateOnStart) {
            this.config = new JdbcConfig(config.schema(), config.tablePrefix(), migrateOnStart);
            return this;
        }

        /** Replaces schema, table prefix and start-up behaviour at once. */
        public Builder config(JdbcConfig config) {
            this.config = require("config", config);
            return this;
        }

        /**
         * Builds the store: creates the pool (for a {@link #jdbcUrl}), then migrates the schema or
         * checks its version.
         *
         * @throws IllegalArgumentException when the settings do not fit together
         * @throws InventoryStoreException when the database cannot be reached (retry-safe) or refuses
         */
        public PostgresInventoryStore build() {
            if ((dataSource == null) == (jdbcUrl == null)) {
                throw new IllegalArgumentException("exactly one of dataSource and jdbcUrl must be set, was "
                        + (dataSource == null ? "neither" : "both"));
            }
            if (dataSource != null) {
                if (username != null || password != null || maxPoolSize != null || connectionTimeout != null) {
                    throw new IllegalArgumentException("username, password, maxPoolSize and connectionTimeout"
                            + " configure the pool the store creates from a jdbcUrl; set them on your own"
                            + " dataSource instead");
                }
                return new PostgresInventoryStore(config, dataSource, null);
            }
            HikariDataSource pool = createPool();
            try {
                return new PostgresInventoryStore(config, pool, pool);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }

        private HikariDataSource createPool() {
            HikariConfig hikari = new HikariConfig();
            hikari.setPoolName("inventory-jdbc-" + POOLS.incrementAndGet());
            hikari.setJdbcUrl(jdbcUrl);
            if (username != null) {
                hikari.setUsername(username);
            }
            if (password != null) {
                hikari.setPassword(password);
            }
            hikari.setMaximumPoolSize(maxPoolSize == null ? 10 : maxPoolSize);
            hikari.setConnectionTimeout((connectionTimeout == null ? Duration.ofSeconds(30) : connectionTimeout)
                    .toMillis());
            hikari.setAutoCommit(true);
            hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            try {
                return new HikariDataSource(hikari);
            } catch (HikariPool.PoolInitializationException e) {
                throw new InventoryStoreException("cannot open a connection to " + jdbcUrl + ": " + e.getMessage()
                        + "; nothing was applied and a retry is safe", e, true);
            }
        }
    }
}
