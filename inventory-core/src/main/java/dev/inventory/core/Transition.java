package dev.inventory.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * A move of the reservation state machine, with the states it may start from and the state it
 * leads to. Stores use it so that every store applies the same rules.
 */
public enum Transition {
    /** ACTIVE to PENDING; extends the expiry once by the payment extension. */
    START_PAYMENT(ReservationStatus.PENDING, EnumSet.of(ReservationStatus.ACTIVE),
            EnumSet.of(ReservationStatus.PENDING)),
    /** ACTIVE or PENDING to CONFIRMED: {@code reserved -= q, allocated += q}. */
    CONFIRM(ReservationStatus.CONFIRMED, EnumSet.of(ReservationStatus.ACTIVE, ReservationStatus.PENDING),
            EnumSet.of(ReservationStatus.CONFIRMED, ReservationStatus.FULFILLED)),
    /** CONFIRMED to FULFILLED: {@code allocated -= q, onHand -= q}. */
    FULFIL(ReservationStatus.FULFILLED, EnumSet.of(ReservationStatus.CONFIRMED),
            EnumSet.of(ReservationStatus.FULFILLED)),
    /** CONFIRMED to CANCELLED: {@code allocated -= q}. */
    CANCEL(ReservationStatus.CANCELLED, EnumSet.of(ReservationStatus.CONFIRMED),
            EnumSet.of(ReservationStatus.CANCELLED)),
    /** ACTIVE or PENDING to RELEASED: {@code reserved -= q}. */
    RELEASE(ReservationStatus.RELEASED, EnumSet.of(ReservationStatus.ACTIVE, ReservationStatus.PENDING),
            EnumSet.of(ReservationStatus.RELEASED)),
    /** ACTIVE or PENDING whose expiry has passed to EXPIRED: {@code reserved -= q}. */
    EXPIRE(ReservationStatus.EXPIRED, EnumSet.of(ReservationStatus.ACTIVE, ReservationStatus.PENDING),
            EnumSet.of(ReservationStatus.EXPIRED));

    private final ReservationStatus target;
    private final Set<ReservationStatus> from;
    private final Set<ReservationStatus> replayedFrom;

    Transition(ReservationStatus target, Set<ReservationStatus> from, Set<ReservationStatus> replayedFrom) {
        this.target = target;
        this.from = from;
        this.replayedFrom = replayedFrom;
    }

    /** The state this transition leads to. */
    public ReservationStatus target() {
        return target;
    }

    /** Whether the transition may start from {@code status}. */
    public boolean allowedFrom(ReservationStatus status) {
        return from.contains(status);
    }

    /**
     * Whether a hold in {@code status} has already gone through this transition, so that repeating
     * it is an idempotent replay that changes nothing (a second confirm of a confirmed or fulfilled
     * hold, a second release, ...).
     */
    public boolean isReplayFrom(ReservationStatus status) {
        return replayedFrom.contains(status);
    }

    /** Whether the transition needs the hold to be unexpired at the moment it runs. */
    public boolean requiresUnexpired() {
        return this == START_PAYMENT || this == CONFIRM || this == RELEASE;
    }

    /** The wire name of the event each affected level emits. */
    public String eventType() {
        return switch (this) {
            case START_PAYMENT -> "inventory.reservation.pending";
            case CONFIRM -> "inventory.confirmed";
            case FULFIL -> "inventory.fulfilled";
            case CANCEL -> "inventory.cancelled";
            case RELEASE -> "inventory.released";
            case EXPIRE -> "inventory.expired";
        };
    }

    /**
     * Applies this transition's quantity effect for a line of {@code quantity} to {@code level}.
     *
     * @return the new level (version + 1), which a correct store never finds inconsistent
     */
    public StockLevel apply(StockLevel level, long quantity, java.time.Instant at) {
        return switch (this) {
            case START_PAYMENT -> level.touched(at);
            case CONFIRM -> level.withQuantities(level.onHand(), level.allocated() + quantity,
                    level.reserved() - quantity, level.damaged(), at);
            case FULFIL -> level.withQuantities(level.onHand() - quantity, level.allocated() - quantity,
                    level.reserved(), level.damaged(), at);
            case CANCEL -> level.withQuantities(level.onHand(), level.allocated() - quantity, level.reserved(),
                    level.damaged(), at);
            case RELEASE, EXPIRE -> level.withQuantities(level.onHand(), level.allocated(),
                    level.reserved() - quantity, level.damaged(), at);
        };
    }
}
