package dev.inventory.core.processing;

import java.time.Instant;

/**
 * What processing one inbound event did. A Kafka consumer commits {@link Applied} and
 * {@link Duplicate}, holds the offset of a {@link Deferred} event until the processor settles it
 * (see {@link WarehouseEventProcessor.Builder#onSettled}), and dead-letters {@link Rejected}; an
 * exception (an {@link dev.inventory.core.InventoryStoreException}) means nothing was decided and
 * the event may be retried.
 */
public sealed interface ProcessingResult {

    /** The event's id. */
    String eventId();

    /**
     * The event was processed now: its store operations were applied, or it needed none (a pack, a
     * transition some other event had already made, a backorder queued).
     *
     * @param eventId the event
     * @param detail what happened, for a person
     */
    record Applied(String eventId, String detail) implements ProcessingResult {
    }

    /**
     * An event with this id was processed before; nothing changed.
     *
     * @param eventId the event
     */
    record Duplicate(String eventId) implements ProcessingResult {
    }

    /**
     * The event depends on one that has not been applied yet; it is held in memory and applied
     * when that one is, or rejected with {@link Reason#PREDECESSOR_MISSING} at {@code until}.
     *
     * @param eventId the event
     * @param waitingFor what it waits for, for a person
     * @param until when it gives up
     */
    record Deferred(String eventId, String waitingFor, Instant until) implements ProcessingResult {
    }

    /**
     * The event cannot be applied; nothing changed (for a multi-item event whose items were checked
     * beforehand but one was refused in a race, {@code message} says which items were applied; a
     * redelivery applies the rest and skips those).
     *
     * @param eventId the event
     * @param reason why, for a program
     * @param message why, for a person
     */
    record Rejected(String eventId, Reason reason, String message) implements ProcessingResult {
    }

    /** Why an event was rejected. */
    enum Reason {
        /** Receiving is blocked at the location. */
        RECEIVING_BLOCKED,
        /** Too few units (to reserve, to mark damaged, to ship by transfer). */
        INSUFFICIENT_STOCK,
        /** A transfer arrival for more than is in transit, although its shipment was applied. */
        NOTHING_IN_TRANSIT,
        /** A count would put onHand below what is promised or damaged. */
        BELOW_COMMITTED,
        /** No such SKU x location. */
        UNKNOWN_LEVEL,
        /** The order's hold expired before the event; its stock went back. */
        HOLD_EXPIRED,
        /** The hold is in a state the event cannot apply to (shipping a released hold, cancelling a shipped one). */
        ILLEGAL_STATE,
        /** The event's items do not match the hold's lines. */
        LINES_MISMATCH,
        /** The order id is already used by a hold with other lines. */
        ID_CONFLICT,
        /** The event it depends on did not arrive within the parking time. */
        PREDECESSOR_MISSING,
        /** The event had to wait but the parking buffer is full. */
        PARKING_FULL
    }
}
