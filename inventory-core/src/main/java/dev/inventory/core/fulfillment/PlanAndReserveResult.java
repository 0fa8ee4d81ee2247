package dev.inventory.core.fulfillment;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationResult;

/**
 * The outcome of {@link FulfillmentPlanner#planAndReserve}: the plan held, already held, impossible,
 * or not held because the stock kept moving.
 */
public sealed interface PlanAndReserveResult permits PlanAndReserveResult.Reserved,
        PlanAndReserveResult.AlreadyReserved, PlanResult.CannotFulfil, PlanAndReserveResult.NotReserved {

    /** Whether the order is held: {@link Reserved} or {@link AlreadyReserved}. */
    default boolean isReserved() {
        return this instanceof Reserved || this instanceof AlreadyReserved;
    }

    /**
     * The plan is held: every line at exactly the center the plan ships it from.
     *
     * @param plan the plan
     * @param reservation the hold, ACTIVE
     * @param attempts 1, or 2 when stock moved after the first plan and the order was planned again
     */
    record Reserved(FulfillmentPlan plan, Reservation reservation, int attempts) implements PlanAndReserveResult {
        /** @throws IllegalArgumentException naming the field when a value is missing */
        public Reserved {
            Valid.notNull("plan", plan);
            Valid.notNull("reservation", reservation);
            Valid.range("attempts", attempts, 1, 2);
        }
    }

    /**
     * A hold with this reservation id already covers the order (a repeated call): nothing was planned
     * or changed. Its lines say where the order is held; its status may have moved on since.
     *
     * @param reservation the existing hold
     */
    record AlreadyReserved(Reservation reservation) implements PlanAndReserveResult {
        /** @throws IllegalArgumentException when {@code reservation} is null */
        public AlreadyReserved {
            Valid.notNull("reservation", reservation);
        }
    }

    /**
     * The plan could not be held; nothing was held. Either stock moved between planning and reserving
     * twice in a row ({@link ReservationResult.InsufficientStock}), or the reservation id belongs to a
     * hold for something else ({@link ReservationResult.IdConflict}).
     *
     * @param plan the last plan tried
     * @param result the reservation's outcome
     */
    record NotReserved(FulfillmentPlan plan, ReservationResult result) implements PlanAndReserveResult {
        /** @throws IllegalArgumentException naming the field when a value is missing */
        public NotReserved {
            Valid.notNull("plan", plan);
            Valid.notNull("result", result);
        }
    }
}
