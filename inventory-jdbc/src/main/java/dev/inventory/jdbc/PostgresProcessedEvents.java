package dev.inventory.jdbc;

import dev.inventory.core.processing.ProcessedEvents;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/**
 * The processors' record of settled inbound event ids in PostgreSQL (table {@code processor_events},
 * in the inventory store's schema), so that a redelivery is answered as a duplicate also after a
 * restart or by another instance. Pass it to the processors:
 *
 * <pre>{@code
 * WarehouseEventProcessor.builder(inventory).processedEvents(PostgresProcessedEvents.on(store)).build();
 * }</pre>
 *
 * <p>It grows by one row per settled event; {@link #forgetBefore} drops the old ones (a redelivery older
 * than that falls back to the stores' own idempotency, as with the in-memory record). Thread-safe.
 */
public final class PostgresProcessedEvents implements ProcessedEvents {
    private final Jdbc jdbc;
    private final Sql sql;

    private PostgresProcessedEvents(PostgresInventoryStore store) {
        this.jdbc = store.jdbc();
        this.sql = new Sql(store.config());
    }

    /** The record in {@code store}'s schema, on its connections. */
    public static PostgresProcessedEvents on(PostgresInventoryStore store) {
        return new PostgresProcessedEvents(require("store", store));
    }

    @Override
    public boolean contains(String eventId) {
        String id = requireId(eventId);
        return jdbc.read("processed event " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.get("processor_event_exists"))) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public boolean record(String eventId, Instant at) {
        String id = requireId(eventId);
        Instant when = Rows.micros(require("at", at));
        return jdbc.read("record processed event " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.get("processor_event_insert"))) {
                ps.setString(1, id);
                Rows.setInstant(ps, 2, when);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Forgets up to {@code limit} event ids recorded before {@code cutoff}, oldest first; call it from
     * a scheduled job (several instances may call it at once).
     *
     * @return how many were forgotten
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public int forgetBefore(Instant cutoff, int limit) {
        require("cutoff", cutoff);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        return jdbc.inTransaction("forget processed events", true, tx -> {
            try (PreparedStatement ps = tx.connection.prepareStatement(sql.get("processor_events_forget"))) {
                Rows.setInstant(ps, 1, Rows.micros(cutoff));
                ps.setInt(2, limit);
                return ps.executeUpdate();
            }
        });
    }

    private static String requireId(String eventId) {
        require("eventId", eventId);
        if (eventId.isEmpty() || eventId.length() > 256) {
            throw new IllegalArgumentException("eventId must be 1 to 256 characters, was " + eventId.length());
        }
        return eventId;
    }

    private static <T> T require(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }
}
