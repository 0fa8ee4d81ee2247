package dev.inventory.core;

/**
 * The states of a hold (DESIGN section 3).
 *
 * <pre>
 * ACTIVE --startPayment--&gt; PENDING --confirm--&gt; CONFIRMED --fulfil--&gt; FULFILLED
 *   |  \                      |                    \
 *   |   `--------release------+---&gt; RELEASED        `--cancel--&gt; CANCELLED
 *   `-------- expiresAt passes (sweeper or lazy) ---&gt; EXPIRED
 * </pre>
 */
public enum ReservationStatus {
    /** Holding stock ({@code reserved}), waiting for payment to start. */
    ACTIVE,
    /** Payment started; still holding stock ({@code reserved}), expiry extended once. */
    PENDING,
    /** The order is committed: stock moved from {@code reserved} to {@code allocated}. */
    CONFIRMED,
    /** Picked or shipped: {@code allocated} and {@code onHand} went down. Terminal. */
    FULFILLED,
    /** Let go by the caller before confirmation: {@code reserved} went down. Terminal. */
    RELEASED,
    /** Timed out before confirmation: {@code reserved} went down. Terminal. */
    EXPIRED,
    /** A confirmed order cancelled before fulfilment: {@code allocated} went down. Terminal. */
    CANCELLED;

    /** Whether a hold in this state counts in {@code reserved}. */
    public boolean holdsReserved() {
        return this == ACTIVE || this == PENDING;
    }

    /** Whether a hold in this state counts in {@code allocated}. */
    public boolean holdsAllocated() {
        return this == CONFIRMED;
    }

    /** Whether no transition leaves this state. */
    public boolean isTerminal() {
        return this == FULFILLED || this == RELEASED || this == EXPIRED || this == CANCELLED;
    }
}
