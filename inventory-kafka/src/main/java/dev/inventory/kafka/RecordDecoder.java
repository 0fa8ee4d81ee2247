package dev.inventory.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a raw record into a message. A decoder that throws marks the record as poison: the
 * {@link ReliableConsumer} sends it to the dead-letter topic at once, without retrying.
 *
 * @param <T> the message type
 */
@FunctionalInterface
public interface RecordDecoder<T> {
    /**
     * Decodes {@code record}; key and value are the bytes as they arrived (either may be null).
     *
     * @throws Exception when the record cannot be read or is invalid; the message should say why
     */
    T decode(ConsumerRecord<byte[], byte[]> record) throws Exception;
}
