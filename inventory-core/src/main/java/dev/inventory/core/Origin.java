package dev.inventory.core;

import java.util.Optional;

/**
 * Where a stock command comes from.
 *
 * @param eventId the id of the inbound event that caused it; a store applies a command with an
 *     event id at most once and answers {@link StockResult.Duplicate} to a repeat
 * @param reference a free reference recorded in the ledger (purchase order, transfer id, user)
 */
public record Origin(Optional<String> eventId, Optional<String> reference) {
    /** No event id and no reference. */
    public static final Origin NONE = new Origin(Optional.empty(), Optional.empty());

    /** Validates the components (1-128 characters each when present). */
    public Origin {
        Checks.notNull("eventId", eventId).ifPresent(v -> Ids.requireToken("eventId", v));
        Checks.notNull("reference", reference).ifPresent(v -> Checks.text("reference", v, 128));
    }

    /** An origin carrying an inbound event id (idempotency key). */
    public static Origin event(String eventId) {
        return new Origin(Optional.of(eventId), Optional.empty());
    }

    /** An origin carrying an inbound event id and a reference. */
    public static Origin event(String eventId, String reference) {
        return new Origin(Optional.of(eventId), Optional.of(reference));
    }

    /** An origin carrying only a reference. */
    public static Origin reference(String reference) {
        return new Origin(Optional.empty(), Optional.of(reference));
    }
}
