package dev.inventory.kafka;

/**
 * Applies one decoded message and says what became of it. It must be idempotent or atomic: a
 * record is redelivered when the consumer dies before committing, and a handler that threw a
 * retryable exception is called again with the same message.
 *
 * <p>Exceptions: an {@link dev.inventory.core.InventoryStoreException} with
 * {@link dev.inventory.core.InventoryStoreException#isRetrySafe() isRetrySafe()} (or a Kafka
 * {@link org.apache.kafka.common.errors.RetriableException}) is transient and retried with backoff;
 * any other exception dead-letters the record. An {@link Error} stops the consumer without committing.
 *
 * @param <T> the message type
 */
@FunctionalInterface
public interface RecordHandler<T> {
    /** Applies {@code message}; returns once the change is durable. */
    Outcome handle(T message) throws Exception;
}
