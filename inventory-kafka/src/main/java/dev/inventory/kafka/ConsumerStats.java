package dev.inventory.kafka;

/**
 * Counters of a {@link ReliableConsumer} since it was built.
 *
 * @param applied records whose handler applied them
 * @param duplicates records the handler had applied before (same event id)
 * @param stale records dropped because their version was at or below the one applied
 * @param deadLettered records sent to the dead-letter topic
 * @param retries transient failures that paused a partition for a retry
 */
public record ConsumerStats(long applied, long duplicates, long stale, long deadLettered, long retries) {
    /** Every record that let its partition move on. */
    public long completed() {
        return applied + duplicates + stale + deadLettered;
    }
}
