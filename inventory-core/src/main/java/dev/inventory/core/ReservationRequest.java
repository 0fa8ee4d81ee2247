package dev.inventory.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a checkout asks to hold. Build it with {@link #builder(ReservationId)}.
 *
 * @param id the idempotency key: repeating a reserve with the same id and lines returns the first outcome
 * @param lines the lines, canonical order, at most one per SKU x location
 * @param cartId the cart, if any
 * @param userId the buyer, if any
 * @param orderId the order, if any
 * @param holdDuration overrides the inventory's default hold duration, if present
 */
public record ReservationRequest(
        ReservationId id,
        List<ReservationLine> lines,
        Optional<String> cartId,
        Optional<String> userId,
        Optional<String> orderId,
        Optional<Duration> holdDuration) {

    /** The longest hold one may ask for. */
    public static final Duration MAX_HOLD = Duration.ofDays(30);

    /** Validates every component. */
    public ReservationRequest {
        Checks.notNull("id", id);
        lines = Reservation.canonicalLines(lines);
        Checks.notNull("cartId", cartId).ifPresent(v -> Checks.text("cartId", v, 128));
        Checks.notNull("userId", userId).ifPresent(v -> Checks.text("userId", v, 128));
        Checks.notNull("orderId", orderId).ifPresent(v -> Checks.text("orderId", v, 128));
        Checks.notNull("holdDuration", holdDuration).ifPresent(d -> requireHold("holdDuration", d));
    }

    static Duration requireHold(String field, Duration d) {
        Checks.notNull(field, d);
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_HOLD) > 0) {
            throw new IllegalArgumentException(field + " must be positive and at most " + MAX_HOLD + ", was " + d);
        }
        return d;
    }

    /** Starts a request with the caller's idempotency key. */
    public static Builder builder(ReservationId id) {
        return new Builder(id);
    }

    /** Starts a request with the caller's idempotency key. */
    public static Builder builder(String id) {
        return new Builder(ReservationId.of(id));
    }

    /** Builds a {@link ReservationRequest}; every setter validates its argument. */
    public static final class Builder {
        private final ReservationId id;
        private final List<ReservationLine> lines = new ArrayList<>(1); // most checkouts hold one line
        private Optional<String> cartId = Optional.empty();
        private Optional<String> userId = Optional.empty();
        private Optional<String> orderId = Optional.empty();
        private Optional<Duration> holdDuration = Optional.empty();

        private Builder(ReservationId id) {
            this.id = Checks.notNull("id", id);
        }

        /** Adds a line. */
        public Builder line(Sku sku, LocationId locationId, long quantity) {
            lines.add(new ReservationLine(sku, locationId, quantity));
            return this;
        }

        /** Adds a line. */
        public Builder line(String sku, String locationId, long quantity) {
            lines.add(ReservationLine.of(sku, locationId, quantity));
            return this;
        }

        /** Adds lines. */
        public Builder lines(java.util.Collection<ReservationLine> lines) {
            Checks.notNull("lines", lines).forEach(this::line);
            return this;
        }

        /** Adds a line. */
        public Builder line(ReservationLine line) {
            lines.add(Checks.notNull("line", line));
            return this;
        }

        /** Sets the cart id. */
        public Builder cartId(String cartId) {
            this.cartId = Optional.of(Checks.text("cartId", cartId, 128));
            return this;
        }

        /** Sets the buyer. */
        public Builder userId(String userId) {
            this.userId = Optional.of(Checks.text("userId", userId, 128));
            return this;
        }

        /** Sets the order id. */
        public Builder orderId(String orderId) {
            this.orderId = Optional.of(Checks.text("orderId", orderId, 128));
            return this;
        }

        /** Holds for {@code duration} instead of the inventory's default. */
        public Builder holdFor(Duration duration) {
            this.holdDuration = Optional.of(requireHold("holdDuration", duration));
            return this;
        }

        /** @throws IllegalArgumentException when no line was added or a SKU x location repeats */
        public ReservationRequest build() {
            return new ReservationRequest(id, lines, cartId, userId, orderId, holdDuration);
        }
    }
}
