package dev.inventory.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One stock operation on a level (DESIGN I5): every change of {@code onHand} is an entry, and the
 * deltas of a level's ledger sum to its {@code onHand}.
 *
 * @param sku the SKU
 * @param locationId the location
 * @param kind what moved the stock
 * @param delta the change of onHand (0 for a cycle count that matched)
 * @param onHandAfter onHand after the change
 * @param version the level version the change produced
 * @param reference a reservation id, a reason or the caller's reference
 * @param eventId the inbound event id, when the change came from an event
 * @param occurredAt when the change was applied
 */
public record LedgerEntry(
        Sku sku,
        LocationId locationId,
        Kind kind,
        long delta,
        long onHandAfter,
        long version,
        Optional<String> reference,
        Optional<String> eventId,
        Instant occurredAt) {

    /** Validates presence. */
    public LedgerEntry {
        Checks.notNull("sku", sku);
        Checks.notNull("locationId", locationId);
        Checks.notNull("kind", kind);
        Checks.notNull("reference", reference);
        Checks.notNull("eventId", eventId);
        Checks.notNull("occurredAt", occurredAt);
    }

    /** What moved the stock. */
    public enum Kind {
        /** Goods received. */
        RECEIPT,
        /** A manual adjustment. */
        ADJUSTMENT,
        /** A cycle count. */
        CYCLE_COUNT,
        /** A hold fulfilled (picked or shipped). */
        FULFILMENT,
        /** A transfer left. */
        TRANSFER_OUT,
        /** A transfer arrived. */
        TRANSFER_IN,
        /** Units marked damaged (onHand unchanged, delta 0). */
        DAMAGE,
        /** Thresholds or flags changed (onHand unchanged, delta 0). */
        SETTINGS
    }
}
