/**
 * Kafka binding of the inventory's events (DESIGN section 6): the {@link dev.inventory.kafka.OutboxRelay}
 * that publishes an {@link dev.inventory.core.spi.OutboxSource} (the JDBC outbox or the Redis journal)
 * with an idempotent producer, the generic {@link dev.inventory.kafka.ReliableConsumer} (manual commits,
 * retry with backoff by pausing the partition, dead-letter topic with Spring Kafka's header names, stale
 * versions dropped), the decoders of the inbound warehouse and order events and their handlers over the
 * core's processors ({@link dev.inventory.kafka.InboundConsumers}), and the
 * {@link dev.inventory.kafka.AvailabilityProjection} (the CQRS read side).
 *
 * <p>Nothing in this package accepts or returns {@code null}: absent values are {@link java.util.Optional}.
 */
package dev.inventory.kafka;
