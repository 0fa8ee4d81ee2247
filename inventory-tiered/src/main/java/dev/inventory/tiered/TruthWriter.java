package dev.inventory.tiered;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.spi.OutboxSource.OutboxRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Copies the hot store's state of some levels and holds into the PostgreSQL store's tables, in one
 * transaction: levels locked in canonical order and written only when the hot version is newer, ledger
 * entries the truth does not have yet (by version), holds only forward in their life cycle. So a copy is
 * idempotent and tolerates any order: replaying it, or an older snapshot arriving late, changes nothing.
 */
final class TruthWriter {

    /**
     * A level as read from the hot store, with its ledger entries above version {@code ledgerAfter}
     * (-1: the whole ledger), up to at least that level's version.
     */
    record LevelSnapshot(StockLevel level, List<LedgerEntry> ledger, long ledgerAfter) {
    }

    /**
     * A snapshot whose ledger starts after a version PostgreSQL's ledger has not reached (its hint
     * was too new: PostgreSQL went back): the copy is refused, to be repeated with the whole ledger.
     */
    static final class LedgerGapException extends SQLException {
        LedgerGapException(String message) {
            super(message);
        }
    }

    /** A copy read from a Redis lifetime that has ended (Redis restarted and was rebuilt): refused. */
    static final class StaleEpochException extends SQLException {
        StaleEpochException(String message) {
            super(message);
        }
    }

    private final DataSource dataSource;
    private final Map<String, String> sql;
    private final String fence;

    TruthWriter(DataSource dataSource, String schema, String tablePrefix) {
        this.dataSource = dataSource;
        this.sql = load(schema + "." + tablePrefix);
        this.fence = schema + "." + tablePrefix + "tiered_epoch";
    }

    /** Creates the epoch table if it is missing (the PostgreSQL store's migration does not know it). */
    void migrate() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.get("createEpoch"))) {
            ps.execute();
        } catch (SQLException e) {
            // 23505/42P07: another instance created it at the same moment
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw new IllegalStateException("cannot create " + fence + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Starts a new Redis lifetime: records {@code epoch} as the only one whose copies PostgreSQL accepts.
     * Takes the fence exclusively, so it waits for every copy in flight (they hold it shared) and no copy
     * of an older lifetime commits after it.
     */
    void startEpoch(String epoch) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.get("fenceExclusive"))) {
                ps.setString(1, fence);
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement(sql.get("setEpoch"))) {
                ps.setString(1, epoch);
                ps.executeUpdate();
            }
        });
    }

    /** Work on the connection of one transaction. */
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one READ COMMITTED transaction: committed when it returns, rolled back when it
     * throws; the connection goes back to the pool with its own settings.
     */
    private void inTransaction(Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            try {
                c.setAutoCommit(false);
                if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                try {
                    if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
                        c.setTransactionIsolation(isolation);
                    }
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // the connection is broken; the pool discards it
                }
            }
        }
    }

    /** The Redis lifetime PostgreSQL accepts copies from, empty before the first load. */
    java.util.Optional<String> epoch() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.get("getEpoch"));
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
        }
    }

    /** Whether PostgreSQL's ledger has the entry a write on Redis produced (same version, kind, delta, time). */
    boolean hasLedgerEntry(Sku sku, LocationId loc, long version, long onHandAfter, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.get("findLedger"))) {
            ps.setString(1, sku.value());
            ps.setString(2, loc.value());
            ps.setLong(3, version);
            ps.setLong(4, onHandAfter);
            ps.setTimestamp(5, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Every hold of the truth with its lines, ordered by id. */
    List<Reservation> allHolds() throws SQLException {
        Map<String, List<ReservationLine>> lines = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.get("allLines"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                lines.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new ReservationLine(
                        Sku.of(rs.getString(2)), LocationId.of(rs.getString(3)), rs.getLong(4)));
            }
        }
        List<Reservation> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.get("allHolds"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                List<ReservationLine> l = lines.get(id);
                if (l == null) {
                    continue;
                }
                out.add(new Reservation(ReservationId.of(id), l, java.util.Optional.ofNullable(rs.getString(3)),
                        java.util.Optional.ofNullable(rs.getString(4)), java.util.Optional.ofNullable(rs.getString(5)),
                        ReservationStatus.valueOf(rs.getString(2)), rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant()));
            }
        }
        return out;
    }

    /**
     * Writes the snapshots (any order given; locked in canonical order), the holds and the outbox records
     * (each event id once: a record already there is left alone) in one transaction.
     */
    Map<TieredInventoryStore.Key, Long> write(List<LevelSnapshot> levels, List<Reservation> holds,
            List<OutboxRecord> events, String epoch, Instant now) throws SQLException {
        List<LevelSnapshot> sorted = new ArrayList<>(levels);
        sorted.sort((a, b) -> {
            int c = a.level().sku().compareTo(b.level().sku());
            return c != 0 ? c : a.level().locationId().compareTo(b.level().locationId());
        });
        List<Reservation> sortedHolds = new ArrayList<>(holds);
        sortedHolds.sort((a, b) -> a.id().compareTo(b.id()));
        Map<TieredInventoryStore.Key, Long> ledgerCopied = new java.util.HashMap<>();
        inTransaction(c -> {
            checkEpoch(c, epoch);
            for (LevelSnapshot s : sorted) {
                ledgerCopied.put(new TieredInventoryStore.Key(s.level().sku(), s.level().locationId()),
                        writeLevel(c, s, now));
            }
            for (Reservation r : sortedHolds) {
                writeHold(c, r);
            }
            for (OutboxRecord e : events) {
                writeOutbox(c, e);
            }
        });
        return ledgerCopied;
    }

    /**
     * Recomputes reserved and allocated of every level from the hold rows where they differ, and
     * answers the repaired levels as text. Run by the loader under its fence: a level copied from the
     * lost Redis may carry an earlier change (a hold, a confirmation) whose own copy never committed.
     */
    List<String> repairHeldQuantities() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.get("repairHeldQuantities"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "@" + rs.getString(2) + " reserved=" + rs.getLong(3) + " allocated="
                        + rs.getLong(4));
            }
        }
        return out;
    }

    /** Every level of the truth, ordered by SKU and location. */
    List<StockLevel> allLevels() throws SQLException {
        List<StockLevel> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.get("allLevels"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StockLevel(Sku.of(rs.getString(1)), LocationId.of(rs.getString(2)), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                        rs.getLong(10), rs.getLong(11), rs.getBoolean(12), rs.getBoolean(13), rs.getLong(14),
                        rs.getTimestamp(15).toInstant()));
            }
        }
        return out;
    }

    /** Ids of the holds that still hold stock (ACTIVE or PENDING). */
    List<String> liveHolds() throws SQLException {
        return strings("liveHolds", 1);
    }

    /** Pairs (sku, inbound event id) of every applied stock command that carried an event id. */
    List<String[]> seenEventIds() throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.get("seenEventIds"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return out;
    }

    private List<String> strings(String statement, int column) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.get(statement));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(column));
            }
        }
        return out;
    }

    /** Writes one level and its new ledger entries; returns the newest ledger version PostgreSQL has after it. */
    private long writeLevel(Connection c, LevelSnapshot s, Instant now) throws SQLException {
        StockLevel l = s.level();
        Long version = lockLevel(c, l);
        if (version == null) {
            try (PreparedStatement ps = c.prepareStatement(sql.get("insertLevel"))) {
                bindLevel(ps, l);
                ps.executeUpdate();
            }
            version = lockLevel(c, l);
        }
        if (version != null && version < l.version()) {
            try (PreparedStatement ps = c.prepareStatement(sql.get("updateLevel"))) {
                bindLevel(ps, l);
                ps.setLong(16, l.version());
                ps.executeUpdate();
            }
        }
        long copied;
        try (PreparedStatement ps = c.prepareStatement(sql.get("maxLedgerVersion"))) {
            ps.setString(1, l.sku().value());
            ps.setString(2, l.locationId().value());
            try (ResultSet rs = ps.executeQuery()) {
                copied = rs.next() ? rs.getLong(1) : -1;
            }
        }
        if (copied < s.ledgerAfter()) {
            throw new LedgerGapException("PostgreSQL's ledger of " + l.sku() + "@" + l.locationId() + " ends at version "
                    + copied + ", before the snapshot's start (" + s.ledgerAfter() + ")");
        }
        long newest = copied;
        for (LedgerEntry e : s.ledger()) {
            if (e.version() <= copied || e.version() > l.version()) {
                continue;
            }
            newest = e.version();
            try (PreparedStatement ps = c.prepareStatement(sql.get("insertLedger"))) {
                ps.setString(1, l.sku().value());
                ps.setString(2, l.locationId().value());
                ps.setString(3, e.kind().name());
                ps.setLong(4, e.delta());
                ps.setLong(5, e.onHandAfter());
                ps.setLong(6, e.version());
                ps.setString(7, e.reference().orElse(null));
                ps.setString(8, e.eventId().orElse(null));
                ps.setTimestamp(9, Timestamp.from(e.occurredAt()));
                ps.executeUpdate();
            }
            if (e.eventId().isPresent()) {
                try (PreparedStatement ps = c.prepareStatement(sql.get("insertProcessed"))) {
                    ps.setString(1, e.eventId().get());
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.executeUpdate();
                }
            }
        }
        return newest;
    }

    /** Takes the fence shared (the loader takes it exclusively) and checks the copy's Redis lifetime. */
    private void checkEpoch(Connection c, String epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("fenceShared"))) {
            ps.setString(1, fence);
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement(sql.get("getEpoch")); ResultSet rs = ps.executeQuery()) {
            if (rs.next() && !rs.getString(1).equals(epoch)) {
                throw new StaleEpochException("the copy was read from Redis lifetime " + epoch + " but Redis has"
                        + " been rebuilt since (lifetime " + rs.getString(1) + "): refused");
            }
        }
    }

    private void writeOutbox(Connection c, OutboxRecord e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("insertOutbox"))) {
            ps.setObject(1, e.id());
            ps.setString(2, e.aggregateType());
            ps.setString(3, e.aggregateId());
            ps.setString(4, e.type());
            ps.setString(5, e.payload());
            ps.setLong(6, e.aggregateVersion());
            ps.setTimestamp(7, Timestamp.from(e.occurredAt()));
            ps.executeUpdate();
        }
    }

    private Long lockLevel(Connection c, StockLevel l) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("lockLevel"))) {
            ps.setString(1, l.sku().value());
            ps.setString(2, l.locationId().value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void bindLevel(PreparedStatement ps, StockLevel l) throws SQLException {
        ps.setLong(1, l.onHand());
        ps.setLong(2, l.allocated());
        ps.setLong(3, l.reserved());
        ps.setLong(4, l.damaged());
        ps.setLong(5, l.safetyStock());
        ps.setLong(6, l.inTransitIn());
        ps.setLong(7, l.inTransitOut());
        ps.setLong(8, l.reorderPoint());
        ps.setLong(9, l.maxStock());
        ps.setBoolean(10, l.sellable());
        ps.setBoolean(11, l.receivingBlocked());
        ps.setLong(12, l.version());
        ps.setTimestamp(13, Timestamp.from(l.updatedAt()));
        ps.setString(14, l.sku().value());
        ps.setString(15, l.locationId().value());
    }

    private void writeHold(Connection c, Reservation r) throws SQLException {
        String current = lockHold(c, r.id());
        if (current == null) {
            try (PreparedStatement ps = c.prepareStatement(sql.get("insertHold"))) {
                ps.setString(1, r.id().value());
                ps.setString(2, r.status().name());
                ps.setString(3, r.cartId().orElse(null));
                ps.setString(4, r.userId().orElse(null));
                ps.setString(5, r.orderId().orElse(null));
                ps.setTimestamp(6, Timestamp.from(r.createdAt()));
                ps.setTimestamp(7, Timestamp.from(r.expiresAt()));
                ps.setTimestamp(8, Timestamp.from(r.updatedAt()));
                int n = r.lines().size();
                Object[] skus = new Object[n];
                Object[] locations = new Object[n];
                Object[] quantities = new Object[n];
                for (int k = 0; k < n; k++) {
                    ReservationLine line = r.lines().get(k);
                    skus[k] = line.sku().value();
                    locations[k] = line.locationId().value();
                    quantities[k] = line.quantity();
                }
                ps.setArray(9, c.createArrayOf("varchar", skus));
                ps.setArray(10, c.createArrayOf("varchar", locations));
                ps.setArray(11, c.createArrayOf("bigint", quantities));
                ps.executeUpdate();
            }
            current = lockHold(c, r.id());
        }
        if (rank(r.status()) > rank(ReservationStatus.valueOf(current))) {
            try (PreparedStatement ps = c.prepareStatement(sql.get("updateHold"))) {
                ps.setString(1, r.status().name());
                ps.setString(2, r.orderId().orElse(null));
                ps.setTimestamp(3, Timestamp.from(r.expiresAt()));
                ps.setTimestamp(4, Timestamp.from(r.updatedAt()));
                ps.setString(5, r.id().value());
                ps.executeUpdate();
            }
        }
    }

    private String lockHold(Connection c, ReservationId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("lockHold"))) {
            ps.setString(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Position in the hold's life cycle: a copy only ever moves a hold forward. */
    static int rank(ReservationStatus status) {
        switch (status) {
            case ACTIVE:
                return 0;
            case PENDING:
                return 1;
            case CONFIRMED:
                return 2;
            case RELEASED:
            case EXPIRED:
                return 3;
            default:
                return 4; // FULFILLED, CANCELLED
        }
    }

    private static Map<String, String> load(String tablePrefix) {
        String text;
        try (InputStream in = TruthWriter.class.getResourceAsStream("truth.sql")) {
            if (in == null) {
                throw new IllegalStateException("resource dev/inventory/tiered/truth.sql missing");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dev/inventory/tiered/truth.sql", e);
        }
        Map<String, String> out = new HashMap<>();
        String name = null;
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("-- name: ")) {
                if (name != null) {
                    out.put(name, b.toString().trim().replace("${t}", tablePrefix));
                }
                name = line.substring("-- name: ".length()).trim();
                b.setLength(0);
            } else if (name != null && !line.startsWith("--")) {
                b.append(line).append('\n');
            }
        }
        if (name != null) {
            out.put(name, b.toString().trim().replace("${t}", tablePrefix));
        }
        return out;
    }
}
