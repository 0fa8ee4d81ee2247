package dev.inventory.kafka;

/**
 * A record that cannot be read: not JSON, a missing or malformed field, an unknown type. The
 * decoders throw it, and the {@link ReliableConsumer} dead-letters the record with it.
 */
public final class InvalidMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An invalid record.
     *
     * @param message what is wrong, naming the field
     */
    public InvalidMessageException(String message) {
        super(message);
    }

    /**
     * An invalid record, found by a parser or validator.
     *
     * @param message what is wrong, naming the field
     * @param cause the parser's or validator's exception
     */
    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
