package dev.inventory.kafka;

/**
 * The headers a {@link ReliableConsumer} adds to a dead-lettered record, named and encoded as Spring
 * Kafka's {@code DeadLetterPublishingRecoverer} does, so its users' tooling reads them unchanged. Texts
 * are UTF-8; the partition is a 4-byte big-endian int; offset and timestamp are 8-byte big-endian longs.
 * The original key, value and headers are kept as they were.
 */
public final class DeadLetterHeaders {
    /** Class name of the exception that dead-lettered the record. */
    public static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    /** Class name of that exception's cause, when it has one. */
    public static final String EXCEPTION_CAUSE_FQCN = "kafka_dlt-exception-cause-fqcn";
    /** The exception's message, when it has one. */
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    /** The exception's stack trace. */
    public static final String EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";
    /** The topic the record was consumed from. */
    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    /** Its partition (4-byte int). */
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    /** Its offset (8-byte long). */
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    /** Its timestamp in epoch milliseconds (8-byte long). */
    public static final String ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    /** Its timestamp type ({@code CreateTime} or {@code LogAppendTime}). */
    public static final String ORIGINAL_TIMESTAMP_TYPE = "kafka_dlt-original-timestamp-type";
    /** The consumer group that gave up on it. */
    public static final String ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";

    /** The suffix of the default dead-letter topic: {@code orders} goes to {@code orders.DLT}. */
    public static final String DEFAULT_SUFFIX = ".DLT";

    private DeadLetterHeaders() {
    }
}
