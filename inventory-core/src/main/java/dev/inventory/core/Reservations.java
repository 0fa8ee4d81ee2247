package dev.inventory.core;

import java.util.Optional;

/**
 * Holds for checkouts (DESIGN section 3). Every call is idempotent by the reservation id and
 * returns a {@link ReservationResult}; only misuse throws.
 */
public interface Reservations {

    /** Holds every line or none, for the request's hold duration or the inventory's default. */
    ReservationResult reserve(ReservationRequest request);

    /** ACTIVE to PENDING: payment started; the expiry is extended once by the payment extension. */
    ReservationResult startPayment(ReservationId id);

    /** ACTIVE or PENDING to CONFIRMED: reserved becomes allocated. */
    ReservationResult confirm(ReservationId id);

    /** CONFIRMED to FULFILLED: the units leave (allocated and onHand go down). */
    ReservationResult fulfil(ReservationId id);

    /** CONFIRMED to CANCELLED: allocated goes down, the units are sellable again. */
    ReservationResult cancel(ReservationId id);

    /** ACTIVE or PENDING to RELEASED: the hold is let go. */
    ReservationResult release(ReservationId id);

    /** The hold, in whatever state. */
    Optional<Reservation> find(ReservationId id);
}
