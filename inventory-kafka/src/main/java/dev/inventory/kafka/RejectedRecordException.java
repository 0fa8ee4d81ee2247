package dev.inventory.kafka;

/**
 * The exception recorded in the dead-letter headers of a record whose handler answered
 * {@link Outcome#rejected(String)}: the message was readable but can never be applied.
 */
public final class RejectedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A rejected record.
     *
     * @param reason the handler's reason
     */
    public RejectedRecordException(String reason) {
        super(reason);
    }
}
