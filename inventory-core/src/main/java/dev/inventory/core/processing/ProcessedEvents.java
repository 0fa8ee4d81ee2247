package dev.inventory.core.processing;

import java.time.Instant;

/**
 * The processed-event port (DESIGN section 5): which inbound event ids were applied, so that a
 * redelivery is answered {@link ProcessingResult.Duplicate} without touching the store. Stock
 * commands are idempotent by event id inside every store anyway; this record covers the events
 * that write nothing to a store (a pack, a transition another event already made) and answers
 * repeats quickly. A durable implementation (the JDBC module's {@code PostgresProcessedEvents}) keeps
 * ids across restarts; {@link #inMemory(int)} keeps the most recent ones in this JVM.
 */
public interface ProcessedEvents {

    /** Whether {@code eventId} was recorded. */
    boolean contains(String eventId);

    /**
     * Records {@code eventId} as processed at {@code at}.
     *
     * @return false when it was already recorded
     */
    boolean record(String eventId, Instant at);

    /**
     * An in-memory record of the last {@code capacity} event ids (the oldest are forgotten first:
     * a redelivery older than that falls back to the stores' own idempotency). Thread-safe.
     */
    static ProcessedEvents inMemory(int capacity) {
        return new InMemoryProcessedEvents(capacity);
    }

    /** {@link #inMemory(int)} with room for 100,000 ids. */
    static ProcessedEvents inMemory() {
        return new InMemoryProcessedEvents(100_000);
    }
}
