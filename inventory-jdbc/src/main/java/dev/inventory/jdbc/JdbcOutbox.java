package dev.inventory.jdbc;

import dev.inventory.core.spi.OutboxSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The outbox table as an {@link OutboxSource}, for relays.
 *
 * <p>One {@link #relay} call is one transaction: it locks the oldest unpublished rows no other relay
 * holds ({@code FOR UPDATE SKIP LOCKED}, by sequence), leaves out every aggregate that still has an
 * older unpublished row outside the batch (another relay holds it: publishing ours would overtake
 * it), hands the rest to the publisher while holding the locks, and marks what the broker
 * acknowledged, stopping at the first unacknowledged record of each aggregate. Rows of one aggregate
 * are committed in version order (the level's row lock serializes them), so this keeps per-aggregate
 * order across any number of relays.
 */
final class JdbcOutbox implements OutboxSource {
    private static final int MAX_BATCH = 10_000;

    private final Jdbc jdbc;
    private final Sql sql;

    JdbcOutbox(Jdbc jdbc, Sql sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    @Override
    public int relay(int limit, Publisher publisher) throws Exception {
        if (limit < 1 || limit > MAX_BATCH) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_BATCH + ", was " + limit);
        }
        if (publisher == null) {
            throw new IllegalArgumentException("publisher must not be null");
        }
        PublisherFailure failure = new PublisherFailure();
        try {
            return jdbc.inTransaction("outbox relay", true, tx -> relay(tx, limit, publisher, failure));
        } catch (PublisherFailure.Thrown thrown) {
            throw failure.exception;
        }
    }

    private int relay(Jdbc.Tx tx, int limit, Publisher publisher, PublisherFailure failure) throws SQLException {
        Connection c = tx.connection;
        List<OutboxRecord> batch = lockBatch(c, limit);
        if (batch.isEmpty()) {
            return 0;
        }
        Set<String> blocked = blockedAggregates(c, batch);
        List<OutboxRecord> eligible = new ArrayList<>(batch.size());
        for (OutboxRecord r : batch) {
            if (!blocked.contains(r.aggregateId())) {
                eligible.add(r);
            }
        }
        if (eligible.isEmpty()) {
            return 0;
        }
        Set<UUID> acknowledged;
        try {
            acknowledged = publisher.publish(List.copyOf(eligible));
        } catch (Exception e) {
            failure.exception = e;
            tx.rollbackOnly();
            throw new PublisherFailure.Thrown();
        }
        if (acknowledged == null) {
            acknowledged = Set.of();
        }
        Set<String> stopped = new HashSet<>();
        List<Long> marked = new ArrayList<>();
        for (OutboxRecord r : eligible) {
            if (stopped.contains(r.aggregateId())) {
                continue;
            }
            if (acknowledged.contains(r.id())) {
                marked.add(r.sequence());
            } else {
                stopped.add(r.aggregateId());
            }
        }
        if (marked.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.get("outbox_mark_published"))) {
            Rows.setInstant(ps, 1, Rows.micros(Instant.now()));
            ps.setArray(2, Rows.longs(c, marked.toArray(new Long[0])));
            int updated = ps.executeUpdate();
            if (updated != marked.size()) {
                throw new IllegalStateException("marked " + updated + " outbox rows instead of " + marked.size()
                        + " although they were locked (a bug): rolled back");
            }
        }
        return marked.size();
    }

    private List<OutboxRecord> lockBatch(Connection c, int limit) throws SQLException {
        List<OutboxRecord> batch = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.get("outbox_lock_batch"))) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batch.add(new OutboxRecord(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getLong(6), Rows.instant(rs, 7), rs.getLong(8)));
                }
            }
        }
        return batch;
    }

    private Set<String> blockedAggregates(Connection c, List<OutboxRecord> batch) throws SQLException {
        Map<String, Long> firstSeq = new LinkedHashMap<>();
        for (OutboxRecord r : batch) {
            firstSeq.putIfAbsent(r.aggregateId(), r.sequence());
        }
        Set<String> blocked = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql.get("outbox_blocked_aggregates"))) {
            ps.setArray(1, Rows.texts(c, firstSeq.keySet().toArray(new String[0])));
            ps.setArray(2, Rows.longs(c, firstSeq.values().toArray(new Long[0])));
            ps.setLong(3, firstSeq.values().stream().mapToLong(Long::longValue).max().orElse(0));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    blocked.add(rs.getString(1));
                }
            }
        }
        return blocked;
    }

    @Override
    public Optional<Instant> oldestUnpublished() {
        return jdbc.read("outbox oldestUnpublished", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.get("outbox_oldest_unpublished"));
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.instant(rs, 1)) : Optional.<Instant>empty();
            }
        });
    }

    @Override
    public int purgePublished(Instant cutoff, int limit) {
        if (cutoff == null) {
            throw new IllegalArgumentException("cutoff must not be null");
        }
        if (limit < 1 || limit > MAX_BATCH * 10) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_BATCH * 10 + ", was " + limit);
        }
        return jdbc.inTransaction("outbox purgePublished", true, tx -> {
            try (PreparedStatement ps = tx.connection.prepareStatement(sql.get("outbox_purge"))) {
                Rows.setInstant(ps, 1, cutoff);
                ps.setInt(2, limit);
                return ps.executeUpdate();
            }
        });
    }

    /** Carries the publisher's own exception out of the transaction, which rolls back. */
    private static final class PublisherFailure {
        Exception exception;

        /** Unwinds the transaction; never escapes {@link #relay(int, Publisher)}. */
        static final class Thrown extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Thrown() {
                super(null, null, false, false);
            }
        }
    }
}
