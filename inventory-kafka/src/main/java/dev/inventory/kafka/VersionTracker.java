package dev.inventory.kafka;

import java.util.Objects;

/**
 * Remembers, per key, the highest version applied, so a {@link ReliableConsumer} can drop stale
 * snapshots: a message whose version is at or below the highest one applied for its key is
 * {@link Outcome#stale() stale}. The key is whatever the aggregate is ({@code sku:locationId} for
 * inventory events, an order id for order events).
 *
 * <p>The {@link #inMemory()} tracker is enough when the handler's store also deduplicates by event
 * id (the tracker is then an optimisation that survives no restart). A durable implementation should
 * record the version in the same transaction as the change it guards.
 */
public interface VersionTracker {

    /** Whether {@code version} is at or below the highest version recorded for {@code key}. */
    boolean isStale(String key, long version);

    /** Records that {@code version} of {@code key} was applied (keeps the maximum). */
    void applied(String key, long version);

    /** A thread-safe tracker in memory. */
    static VersionTracker inMemory() {
        return new InMemoryVersionTracker();
    }

    /**
     * The version a message carries for its aggregate.
     *
     * @param key the aggregate key
     * @param version the aggregate version the message was produced at
     */
    record Stamp(String key, long version) {
        /** Validates. */
        public Stamp {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("key must be a non-empty text, was " + key);
            }
            if (version < 0) {
                throw new IllegalArgumentException("version must not be negative, was " + version);
            }
        }

        @Override
        public String toString() {
            return Objects.toString(key) + "@" + version;
        }
    }
}
