package dev.inventory.jdbc;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.EventJson;
import dev.inventory.core.event.InventoryEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one operation writes, sent as one statement made of the {@code write.*} fragments of
 * {@code statements.sql} it needs (a single level, event or hold change with scalar parameters, a
 * few as rows of a VALUES list, many as arrays): the new state of each level it locked, its ledger
 * entries, one outbox row per event in event order, and hold state changes (a new hold, lines
 * included, is inserted before its levels are locked).
 */
final class WriteSet {
    private final Map<Rows.Key, StockLevel> levels = new LinkedHashMap<>();
    private final Map<Rows.Key, Long> lockedVersions = new LinkedHashMap<>();
    private final List<LedgerEntry> ledger = new ArrayList<>();
    private final List<InventoryEvent> events = new ArrayList<>();
    private final List<HoldChange> holdChanges = new ArrayList<>();

    private record HoldChange(ReservationStatus from, Reservation next) {
    }

    /**
     * One fragment of the write statement: its number (a bit of the statement's cache key), its name,
     * the CTE it defines, and how many rows it must write.
     */
    record Part(int bit, String fragment, String cte, long rows) {
    }

    /**
     * Records the new state of a level; a level changed several times keeps its last state.
     *
     * @param lockedVersion the version the transaction locked (the update is guarded by it)
     */
    void level(StockLevel after, long lockedVersion) {
        Rows.Key key = Rows.Key.of(after);
        levels.put(key, after);
        lockedVersions.putIfAbsent(key, lockedVersion);
    }

    void ledger(LedgerEntry entry) {
        ledger.add(entry);
    }

    void events(List<InventoryEvent> more) {
        events.addAll(more);
    }

    /** A hold leaving {@code from} for the state of {@code next}. */
    void holdChange(ReservationStatus from, Reservation next) {
        holdChanges.add(new HoldChange(from, next));
    }

    /**
     * Writes everything in one round trip, with only the fragments that have rows to write; the
     * statement itself checks that every row was written (a guarded update that misses its row fails
     * it, so nothing is committed). When the transaction allows it ({@link Jdbc.Tx#mayCommitWithLastStatement}),
     * the COMMIT travels in the same round trip and the transaction is over when this returns.
     *
     * @throws IllegalStateException when a guarded update missed its row: a bug, the transaction rolls back
     */
    void execute(Jdbc.Tx tx, Sql sql) throws SQLException {
        execute(tx.connection, tx, sql);
    }

    /**
     * Writes everything in one statement on {@code c} and leaves the transaction open, for work that
     * runs more statements after it (the flash-sale store).
     */
    void execute(Connection c, Sql sql) throws SQLException {
        execute(c, null, sql);
    }

    private void execute(Connection c, Jdbc.Tx tx, Sql sql) throws SQLException {
        List<Part> parts = new ArrayList<>(4);
        long key = 0;
        int levelCount = levels.size();
        int eventCount = events.size();
        for (Part part : new Part[] {
                levelCount == 1 ? new Part(0, "level", "level_rows", 1)
                        : levelCount <= Sql.MAX_VALUES ? new Part(10, "levels_values", "level_rows", levelCount)
                        : new Part(1, "levels", "level_rows", levelCount),
                new Part(2, "ledger", "ledger_rows", ledger.size()),
                eventCount == 1 ? new Part(3, "event", "outbox_rows", 1)
                        : eventCount <= Sql.MAX_VALUES ? new Part(11, "outbox_values", "outbox_rows", eventCount)
                        : new Part(4, "outbox", "outbox_rows", eventCount),
                holdChanges.size() == 1 ? new Part(7, "hold", "hold_rows", 1) : new Part(8, "holds", "hold_rows", holdChanges.size())}) {
            if (part.rows() > 0) {
                parts.add(part);
                key |= 1L << part.bit();
            }
        }
        // the row counts of the *_values fragments (each at most MAX_VALUES, 6 bits) make the statement's text
        key |= (long) (levelCount <= Sql.MAX_VALUES ? levelCount : 0) << 16
                | (long) (eventCount <= Sql.MAX_VALUES ? eventCount : 0) << 22;
        boolean commit = tx != null && tx.mayCommitWithLastStatement();
        if (parts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.write(commit ? key | 1L << 9 : key, parts, commit))) {
            int i = 1;
            for (Part part : parts) {
                switch (part.fragment()) {
                    case "level" -> i = bindLevel(ps, i);
                    case "levels" -> i = bindLevels(c, ps, i);
                    case "levels_values" -> i = bindLevelValues(ps, i);
                    case "outbox_values" -> i = bindOutboxValues(ps, i);
                    case "ledger" -> i = bindLedger(c, ps, i);
                    case "event" -> i = bindEvent(ps, i);
                    case "outbox" -> i = bindOutbox(c, ps, i);
                    case "hold" -> i = bindHoldChange(ps, i);
                    default -> i = bindHoldChanges(c, ps, i);
                }
            }
            for (Part part : parts) {
                ps.setLong(i++, part.rows());
            }
            if (commit) {
                tx.committingNow();
            }
            ps.execute();
            if (commit) {
                tx.committed();
            }
        } catch (SQLException e) {
            if (Sql.isWriteCheckFailure(e)) {
                throw new IllegalStateException(e.getMessage()
                        + "; a row was not in the state the transaction locked (a bug): rolled back", e);
            }
            throw e;
        }
    }

    /** The one level of {@code levels}, as scalar parameters (a plan that always uses the primary key). */
    private int bindLevel(PreparedStatement ps, int i) throws SQLException {
        Map.Entry<Rows.Key, StockLevel> e = levels.entrySet().iterator().next();
        StockLevel l = e.getValue();
        i = bindQuantities(ps, i, l);
        ps.setString(i++, l.sku().value());
        ps.setString(i++, l.locationId().value());
        ps.setLong(i++, lockedVersions.get(e.getKey()));
        return i;
    }

    /** A level's quantities, flags, version and update time, in the column order of the level row. */
    private static int bindQuantities(PreparedStatement ps, int i, StockLevel l) throws SQLException {
        ps.setLong(i++, l.onHand());
        ps.setLong(i++, l.allocated());
        ps.setLong(i++, l.reserved());
        ps.setLong(i++, l.damaged());
        ps.setLong(i++, l.safetyStock());
        ps.setLong(i++, l.inTransitIn());
        ps.setLong(i++, l.inTransitOut());
        ps.setLong(i++, l.reorderPoint());
        ps.setLong(i++, l.maxStock());
        ps.setBoolean(i++, l.sellable());
        ps.setBoolean(i++, l.receivingBlocked());
        ps.setLong(i++, l.version());
        Rows.setInstant(ps, i++, l.updatedAt());
        return i;
    }

    /** A few levels, one row of scalar parameters each (the columns of {@code write.levels_values.row}). */
    private int bindLevelValues(PreparedStatement ps, int i) throws SQLException {
        for (Map.Entry<Rows.Key, StockLevel> e : levels.entrySet()) {
            StockLevel l = e.getValue();
            ps.setString(i++, l.sku().value());
            ps.setString(i++, l.locationId().value());
            i = bindQuantities(ps, i, l);
            ps.setLong(i++, lockedVersions.get(e.getKey()));
        }
        return i;
    }

    private int bindLevels(Connection c, PreparedStatement ps, int i) throws SQLException {
        int n = levels.size();
        String[] skus = new String[n];
        String[] locations = new String[n];
        Long[][] numbers = new Long[10][n];
        Boolean[] sellable = new Boolean[n];
        Boolean[] blocked = new Boolean[n];
        String[] updatedAt = new String[n];
        Long[] locked = new Long[n];
        int k = 0;
        for (Map.Entry<Rows.Key, StockLevel> e : levels.entrySet()) {
            StockLevel l = e.getValue();
            skus[k] = l.sku().value();
            locations[k] = l.locationId().value();
            numbers[0][k] = l.onHand();
            numbers[1][k] = l.allocated();
            numbers[2][k] = l.reserved();
            numbers[3][k] = l.damaged();
            numbers[4][k] = l.safetyStock();
            numbers[5][k] = l.inTransitIn();
            numbers[6][k] = l.inTransitOut();
            numbers[7][k] = l.reorderPoint();
            numbers[8][k] = l.maxStock();
            numbers[9][k] = l.version();
            sellable[k] = l.sellable();
            blocked[k] = l.receivingBlocked();
            updatedAt[k] = Rows.iso(l.updatedAt());
            locked[k] = lockedVersions.get(e.getKey());
            k++;
        }
        ps.setArray(i++, Rows.texts(c, skus));
        ps.setArray(i++, Rows.texts(c, locations));
        for (int column = 0; column < 9; column++) {
            ps.setArray(i++, Rows.longs(c, numbers[column]));
        }
        ps.setArray(i++, Rows.booleans(c, sellable));
        ps.setArray(i++, Rows.booleans(c, blocked));
        ps.setArray(i++, Rows.longs(c, numbers[9]));
        ps.setArray(i++, Rows.texts(c, updatedAt));
        ps.setArray(i++, Rows.longs(c, locked));
        return i;
    }

    private int bindLedger(Connection c, PreparedStatement ps, int i) throws SQLException {
        int n = ledger.size();
        String[] skus = new String[n];
        String[] locations = new String[n];
        String[] kinds = new String[n];
        Long[] deltas = new Long[n];
        Long[] onHandAfter = new Long[n];
        Long[] versions = new Long[n];
        String[] references = new String[n];
        String[] eventIds = new String[n];
        String[] occurredAt = new String[n];
        for (int k = 0; k < n; k++) {
            LedgerEntry e = ledger.get(k);
            skus[k] = e.sku().value();
            locations[k] = e.locationId().value();
            kinds[k] = e.kind().name();
            deltas[k] = e.delta();
            onHandAfter[k] = e.onHandAfter();
            versions[k] = e.version();
            references[k] = e.reference().orElse(null);
            eventIds[k] = e.eventId().orElse(null);
            occurredAt[k] = Rows.iso(e.occurredAt());
        }
        ps.setArray(i++, Rows.texts(c, skus));
        ps.setArray(i++, Rows.texts(c, locations));
        ps.setArray(i++, Rows.texts(c, kinds));
        ps.setArray(i++, Rows.longs(c, deltas));
        ps.setArray(i++, Rows.longs(c, onHandAfter));
        ps.setArray(i++, Rows.longs(c, versions));
        ps.setArray(i++, Rows.texts(c, references));
        ps.setArray(i++, Rows.texts(c, eventIds));
        ps.setArray(i++, Rows.texts(c, occurredAt));
        return i;
    }

    /** The one event, as scalar parameters. */
    private int bindEvent(PreparedStatement ps, int i) throws SQLException {
        return bindEventRow(ps, i, events.get(0));
    }

    /** A few events, one row of scalar parameters each, in event order. */
    private int bindOutboxValues(PreparedStatement ps, int i) throws SQLException {
        for (InventoryEvent e : events) {
            i = bindEventRow(ps, i, e);
        }
        return i;
    }

    /** One outbox row: id, aggregate id, type, payload, version, occurred at. */
    private static int bindEventRow(PreparedStatement ps, int i, InventoryEvent e) throws SQLException {
        ps.setString(i++, e.eventId().toString());
        ps.setString(i++, new Rows.Key(e.sku(), e.locationId()).aggregateId());
        ps.setString(i++, e.type().wireName());
        ps.setString(i++, EventJson.toJson(e));
        ps.setLong(i++, e.version());
        Rows.setInstant(ps, i++, e.occurredAt());
        return i;
    }

    private int bindOutbox(Connection c, PreparedStatement ps, int i) throws SQLException {
        int n = events.size();
        String[] ids = new String[n];
        String[] aggregateIds = new String[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        Long[] versions = new Long[n];
        String[] occurredAt = new String[n];
        for (int k = 0; k < n; k++) {
            InventoryEvent e = events.get(k);
            ids[k] = e.eventId().toString();
            aggregateIds[k] = new Rows.Key(e.sku(), e.locationId()).aggregateId();
            types[k] = e.type().wireName();
            payloads[k] = EventJson.toJson(e);
            versions[k] = e.version();
            occurredAt[k] = Rows.iso(e.occurredAt());
        }
        ps.setArray(i++, Rows.texts(c, ids));
        ps.setArray(i++, Rows.texts(c, aggregateIds));
        ps.setArray(i++, Rows.texts(c, types));
        ps.setArray(i++, Rows.texts(c, payloads));
        ps.setArray(i++, Rows.longs(c, versions));
        ps.setArray(i++, Rows.texts(c, occurredAt));
        return i;
    }

    /** The one hold change, as scalar parameters (a plan that always uses the primary key). */
    private int bindHoldChange(PreparedStatement ps, int i) throws SQLException {
        HoldChange change = holdChanges.get(0);
        Reservation next = change.next();
        ps.setString(i++, next.status().name());
        Rows.setInstant(ps, i++, next.expiresAt());
        Rows.setInstant(ps, i++, next.updatedAt());
        ps.setString(i++, next.id().value());
        ps.setString(i++, change.from().name());
        return i;
    }

    private int bindHoldChanges(Connection c, PreparedStatement ps, int i) throws SQLException {
        int n = holdChanges.size();
        String[] ids = new String[n];
        String[] from = new String[n];
        String[] to = new String[n];
        String[] expiresAt = new String[n];
        String[] updatedAt = new String[n];
        for (int k = 0; k < n; k++) {
            Reservation next = holdChanges.get(k).next();
            ids[k] = next.id().value();
            from[k] = holdChanges.get(k).from().name();
            to[k] = next.status().name();
            expiresAt[k] = Rows.iso(next.expiresAt());
            updatedAt[k] = Rows.iso(next.updatedAt());
        }
        ps.setArray(i++, Rows.texts(c, ids));
        ps.setArray(i++, Rows.texts(c, from));
        ps.setArray(i++, Rows.texts(c, to));
        ps.setArray(i++, Rows.texts(c, expiresAt));
        ps.setArray(i++, Rows.texts(c, updatedAt));
        return i;
    }
}
