package dev.inventory.core.processing;

import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import java.time.Instant;

/**
 * A request waiting in the backorder queue to be reserved when stock comes in.
 *
 * @param request what to reserve (its id becomes the hold's id)
 * @param sequence its place in arrival order (lower is earlier)
 * @param acceptedAt when it was queued
 * @param confirmWhenServed whether its hold is confirmed as soon as it is reserved (the order was paid while waiting)
 */
public record Backorder(ReservationRequest request, long sequence, Instant acceptedAt, boolean confirmWhenServed) {
    /** Validates. */
    public Backorder {
        Fields.notNull("request", request);
        Fields.notNull("acceptedAt", acceptedAt);
    }

    /** The request's id, which the hold will have. */
    public ReservationId id() {
        return request.id();
    }

    /** This backorder, to be confirmed when served. */
    public Backorder confirmingWhenServed() {
        return new Backorder(request, sequence, acceptedAt, true);
    }
}
