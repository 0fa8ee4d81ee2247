package dev.inventory.core;

/**
 * The caller-chosen identifier of a reservation; it is the idempotency key of every call on the
 * hold. 1-128 characters of {@code A-Z a-z 0-9 . _ - :}, so a checkout id, an order id or a UUID fit.
 *
 * @param value the identifier
 */
public record ReservationId(String value) implements Comparable<ReservationId> {
    /** @throws IllegalArgumentException naming the field and the value when it is malformed */
    public ReservationId {
        Ids.requireToken("reservationId", value);
    }

    /** Returns the reservation id for {@code value}, validated. */
    public static ReservationId of(String value) {
        return new ReservationId(value);
    }

    @Override
    public int compareTo(ReservationId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
