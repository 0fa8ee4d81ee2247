package dev.inventory.kafka;

import dev.inventory.core.InventoryStoreException;
import java.time.Instant;

/**
 * Thrown by {@link WarehouseEventHandler} and {@link OrderEventHandler} when the core's processor
 * answered {@link dev.inventory.core.processing.ProcessingResult.Deferred Deferred}: the event waits in
 * the processor for an event it depends on (a SHIP_COMPLETE for its order's {@code order.placed} and
 * payment, a TRANSFER_RECEIVED for its TRANSFER_SHIPPED). It is a retry-safe
 * {@link InventoryStoreException}, so the {@link ReliableConsumer} does not commit the record's offset,
 * pauses its partition and retries the record with its {@link Backoff}: once the predecessor is
 * applied (possibly through another consumer) the processor applies the waiting event and the retry
 * completes. If the backoff's attempts run out first, the record goes to the dead-letter topic with
 * this exception's class and message.
 *
 * <p>It carries no stack trace: it is an expected outcome, not a fault.
 */
public final class EventDeferredException extends InventoryStoreException {
    private static final long serialVersionUID = 1L;

    private final String eventId;
    private final String waitingFor;
    private final Instant until;

    /**
     * An event that waits.
     *
     * @param eventId the event
     * @param waitingFor what it waits for, for a person
     * @param until when the processor gives up waiting
     */
    public EventDeferredException(String eventId, String waitingFor, Instant until) {
        super("event " + Settings.notNull("eventId", eventId) + " waits for " + Settings.notNull("waitingFor",
                waitingFor) + " (the processor holds it until " + Settings.notNull("until", until)
                + "); its record is retried and its offset not committed until then", null, true);
        this.eventId = eventId;
        this.waitingFor = waitingFor;
        this.until = until;
    }

    /** The event that waits. */
    public String eventId() {
        return eventId;
    }

    /** What it waits for, for a person. */
    public String waitingFor() {
        return waitingFor;
    }

    /** When the processor gives up waiting (it then rejects the event as {@code PREDECESSOR_MISSING}). */
    public Instant until() {
        return until;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
