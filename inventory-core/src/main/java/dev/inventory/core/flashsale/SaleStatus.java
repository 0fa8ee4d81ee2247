package dev.inventory.core.flashsale;

/** Where a sale stands. A store keeps OPEN, ENDED or CANCELLED; SCHEDULED is OPEN before the start. */
public enum SaleStatus {
    /** Started (its units are carved out) but its start time has not come yet. */
    SCHEDULED,
    /** Selling: its pools hold its unsold units. */
    OPEN,
    /** Closed at or after its end time; its unsold units went back to normal stock. */
    ENDED,
    /** Closed early by the operator; its unsold units went back to normal stock. */
    CANCELLED;

    /** Whether the sale was closed (ENDED or CANCELLED): its pools are empty for good. */
    public boolean isClosed() {
        return this == ENDED || this == CANCELLED;
    }
}
