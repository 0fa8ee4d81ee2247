package dev.inventory.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A durable source of domain events waiting to be published: the JDBC outbox table, or the Redis
 * journal streams. Relays (the Kafka module) read it only through this port.
 *
 * <p>Delivery is at-least-once: a record is marked published only after the publisher says the
 * broker acknowledged it; a relay that dies in between publishes it again. Records of one
 * aggregate (SKU x location) are handed over in version order, and several relay instances may run
 * at once without publishing one record concurrently (the source locks what it hands out).
 */
public interface OutboxSource {

    /**
     * Hands up to {@code limit} unpublished records, oldest first, to {@code publisher}, then marks as
     * published exactly the ids it returns. When a record is not acknowledged, the later records of
     * the same aggregate in the batch are not marked either (they come again, in order).
     *
     * @return how many records were marked published
     * @throws Exception what the publisher threw; nothing is marked then
     */
    int relay(int limit, Publisher publisher) throws Exception;

    /** When the oldest unpublished record was written, for the "oldest unpublished event age" gauge. */
    Optional<Instant> oldestUnpublished();

    /**
     * Deletes up to {@code limit} published records written before {@code cutoff} (retention).
     *
     * @return how many were deleted
     */
    int purgePublished(Instant cutoff, int limit);

    /** Publishes a batch and says which records the broker acknowledged. */
    @FunctionalInterface
    interface Publisher {
        /**
         * @return the ids of the records the broker acknowledged
         */
        Set<UUID> publish(List<OutboxRecord> records) throws Exception;
    }

    /**
     * One event waiting to be published. The first five components are the column names Debezium's
     * outbox event router expects by default.
     *
     * @param id the event id
     * @param aggregateType always {@code "inventory"}
     * @param aggregateId {@code sku:locationId}, the Kafka key
     * @param type the event type's wire name
     * @param payload the event as {@link dev.inventory.core.event.EventJson}
     * @param aggregateVersion the level version the event carries
     * @param occurredAt when the change happened
     * @param sequence the source's order (outbox sequence, stream entry order)
     */
    record OutboxRecord(UUID id, String aggregateType, String aggregateId, String type, String payload,
            long aggregateVersion, Instant occurredAt, long sequence) {
    }
}
