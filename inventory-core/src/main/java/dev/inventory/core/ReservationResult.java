package dev.inventory.core;

import java.util.Optional;

/**
 * The outcome of a reservation call. Expected business outcomes are values to branch on, never
 * exceptions:
 *
 * <pre>{@code
 * switch (inventory.reservations().reserve(request)) {
 *     case ReservationResult.Success s -> checkout.proceed(s.reservation());
 *     case ReservationResult.Replayed r -> checkout.proceed(r.reservation());
 *     case ReservationResult.InsufficientStock n -> cart.show(n.line(), n.available());
 *     default -> cart.retryLater();
 * }
 * }</pre>
 */
public sealed interface ReservationResult {

    /** Whether the call's intent holds now: it was applied ({@link Success}) or had been ({@link Replayed}). */
    default boolean isSuccess() {
        return this instanceof Success || this instanceof Replayed;
    }

    /** The hold the outcome is about, when one exists. */
    Optional<Reservation> reservation();

    /**
     * The call was applied now.
     *
     * @param value the hold after the change
     */
    record Success(Reservation value) implements ReservationResult {
        @Override
        public Optional<Reservation> reservation() {
            return Optional.of(value);
        }
    }

    /**
     * The same call had already been applied (a retried reserve with the same id and lines, a second
     * confirm, release, cancel or fulfil): nothing changed, and the hold is returned as it is now.
     *
     * @param value the hold as it is now
     */
    record Replayed(Reservation value) implements ReservationResult {
        @Override
        public Optional<Reservation> reservation() {
            return Optional.of(value);
        }
    }

    /**
     * A line could not be held; nothing was held (all-or-nothing).
     *
     * @param id the reservation asked for
     * @param line the first line, in canonical order, that did not fit
     * @param available what was available for that line at that instant
     */
    record InsufficientStock(ReservationId id, ReservationLine line, long available) implements ReservationResult {
        @Override
        public Optional<Reservation> reservation() {
            return Optional.empty();
        }
    }

    /**
     * The hold has expired (now or before), and its stock is back; nothing else changed.
     *
     * @param value the hold, in state EXPIRED
     */
    record Expired(Reservation value) implements ReservationResult {
        @Override
        public Optional<Reservation> reservation() {
            return Optional.of(value);
        }
    }

    /**
     * The transition is not allowed from the hold's state; no count changed.
     *
     * @param value the hold as it is
     * @param attempted what was asked
     */
    record IllegalTransition(Reservation value, Transition attempted) implements ReservationResult {
        @Override
        public Optional<Reservation> reservation() {
            return Optional.of(value);
        }
    }

    /**
     * The id is already used by a hold with other lines; nothing changed.
     *
     * @param existing the hold that owns the id
     */
    record IdConflict(Reservation existing) implements ReservationResult {
        @Override
        public Optional<Reservation> reservation() {
            return Optional.of(existing);
        }
    }

    /**
     * No hold has this id.
     *
     * @param id the id asked for
     */
    record NotFound(ReservationId id) implements ReservationResult {
        @Override
        public Optional<Reservation> reservation() {
            return Optional.empty();
        }
    }
}
