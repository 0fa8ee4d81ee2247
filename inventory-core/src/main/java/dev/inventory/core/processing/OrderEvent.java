package dev.inventory.core.processing;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An event of a shop's order lifecycle (DESIGN section 6), as the Kafka consumer deserializes it.
 * The hold of an order has the order's id as its reservation id, so {@link #orderId()} is 1-128
 * characters of {@code A-Z a-z 0-9 . _ - :}. {@link #eventId()} is the idempotency key.
 */
public sealed interface OrderEvent {

    /** The id the producer gave the event; a repeat is a duplicate. */
    String eventId();

    /** When it happened. */
    Instant occurredAt();

    /** The order. */
    String orderId();

    /** The type. */
    Type type();

    /** The hold of the order: the reservation whose id is {@link #orderId()}. */
    default ReservationId reservationId() {
        return ReservationId.of(orderId());
    }

    /** The order event types, with their wire names. */
    enum Type {
        /** {@code order.placed}: reserve the lines. */
        ORDER_PLACED("order.placed"),
        /** {@code order.payment.confirmed}: confirm the hold. */
        PAYMENT_CONFIRMED("order.payment.confirmed"),
        /** {@code order.cancelled}: release (before confirmation) or cancel (after) the hold. */
        ORDER_CANCELLED("order.cancelled"),
        /** {@code order.shipped}: fulfil the hold. */
        ORDER_SHIPPED("order.shipped");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The name on the wire. */
        public String wireName() {
            return wireName;
        }
    }

    /**
     * An order was placed: its lines are reserved (all or nothing) under the order's id.
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param orderId the order, also the hold's id
     * @param lines 1-100 lines, at most one per SKU x location
     * @param userId the buyer, if known
     * @param cartId the cart, if known
     */
    record OrderPlaced(String eventId, Instant occurredAt, String orderId, List<ReservationLine> lines,
            Optional<String> userId, Optional<String> cartId) implements OrderEvent {
        /** Validates. */
        public OrderPlaced {
            Fields.eventId(eventId);
            Fields.notNull("occurredAt", occurredAt);
            Fields.token("orderId", orderId, 128);
            lines = Reservation.canonicalLines(lines);
            Fields.optionalText("userId", userId, 128);
            Fields.optionalText("cartId", cartId, 128);
        }

        @Override
        public Type type() {
            return Type.ORDER_PLACED;
        }
    }

    /**
     * The order's payment was confirmed: its hold is confirmed (reserved becomes allocated).
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param orderId the order
     */
    record PaymentConfirmed(String eventId, Instant occurredAt, String orderId) implements OrderEvent {
        /** Validates. */
        public PaymentConfirmed {
            Fields.eventId(eventId);
            Fields.notNull("occurredAt", occurredAt);
            Fields.token("orderId", orderId, 128);
        }

        @Override
        public Type type() {
            return Type.PAYMENT_CONFIRMED;
        }
    }

    /**
     * The order was cancelled: its hold is released when not yet confirmed, cancelled when confirmed.
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param orderId the order
     * @param reason why, if given
     */
    record OrderCancelled(String eventId, Instant occurredAt, String orderId, Optional<String> reason)
            implements OrderEvent {
        /** Validates. */
        public OrderCancelled {
            Fields.eventId(eventId);
            Fields.notNull("occurredAt", occurredAt);
            Fields.token("orderId", orderId, 128);
            Fields.optionalText("reason", reason, 128);
        }

        @Override
        public Type type() {
            return Type.ORDER_CANCELLED;
        }
    }

    /**
     * The order was shipped: its hold is fulfilled (allocated and onHand go down), unless a
     * warehouse event already did it.
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param orderId the order
     */
    record OrderShipped(String eventId, Instant occurredAt, String orderId) implements OrderEvent {
        /** Validates. */
        public OrderShipped {
            Fields.eventId(eventId);
            Fields.notNull("occurredAt", occurredAt);
            Fields.token("orderId", orderId, 128);
        }

        @Override
        public Type type() {
            return Type.ORDER_SHIPPED;
        }
    }
}
