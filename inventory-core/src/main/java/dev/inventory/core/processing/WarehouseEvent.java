package dev.inventory.core.processing;

import dev.inventory.core.LocationId;
import dev.inventory.core.Quantity;
import dev.inventory.core.ReservationId;
import dev.inventory.core.Sku;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An event from a warehouse management system (the eight seed types, DESIGN section 6), as the
 * Kafka consumer deserializes it. Every record validates its fields in its constructor; the field
 * names are the JSON names (see {@code docs/events.md}, "Inbound events").
 *
 * <p>{@link #eventId()} is the idempotency key: 1-{@value Fields#MAX_EVENT_ID} characters of
 * {@code A-Z a-z 0-9 . _ - :}. {@link #occurredAt()} is when the warehouse says it happened; only a
 * cycle count uses it (the count applies as of that instant).
 */
public sealed interface WarehouseEvent {

    /** The id the warehouse gave the event; a repeat is a duplicate. */
    String eventId();

    /** When it happened in the warehouse. */
    Instant occurredAt();

    /** The seed type. */
    Type type();

    /** The seed event types. */
    enum Type {
        /** Goods received from a supplier. */
        RECEIVING_COMPLETE,
        /** An order's items were picked. */
        PICK_COMPLETE,
        /** An order's items were packed. */
        PACK_COMPLETE,
        /** An order left the building. */
        SHIP_COMPLETE,
        /** A physical count of one SKU at one location. */
        CYCLE_COUNT_ADJUSTMENT,
        /** Units found damaged. */
        DAMAGE_REPORT,
        /** A transfer left for another location. */
        TRANSFER_SHIPPED,
        /** A transfer arrived from another location. */
        TRANSFER_RECEIVED
    }

    /**
     * One SKU and a quantity of it.
     *
     * @param sku the SKU
     * @param quantity 1..{@link Quantity#MAX}
     */
    record Item(Sku sku, long quantity) {
        /** Validates. */
        public Item {
            Fields.notNull("sku", sku);
            Quantity.requirePositive("quantity", quantity);
        }
    }

    /**
     * Goods from a supplier were received at {@code locationId}: each item's onHand goes up.
     * Rejected as a whole, nothing applied, when receiving is blocked for any item's level.
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param locationId where
     * @param items 1-100 items, one per SKU
     * @param purchaseOrderId the purchase order, recorded as the ledger reference
     */
    record ReceivingComplete(String eventId, Instant occurredAt, LocationId locationId, List<Item> items,
            Optional<String> purchaseOrderId) implements WarehouseEvent {
        /** Validates. */
        public ReceivingComplete {
            header(eventId, occurredAt);
            Fields.notNull("locationId", locationId);
            items = Fields.items("items", items, Item::sku);
            Fields.optionalText("purchaseOrderId", purchaseOrderId, 128);
        }

        @Override
        public Type type() {
            return Type.RECEIVING_COMPLETE;
        }
    }

    /**
     * An event about an order's hold in the warehouse (pick, pack, ship). The hold is
     * {@link #reservationId()} when given, else the hold whose id is {@link #orderId()} (the hold
     * {@link OrderEventProcessor} makes for {@code order.placed}).
     */
    sealed interface OrderStage extends WarehouseEvent {
        /** The warehouse location reporting the event (informational: stock moves where it was reserved). */
        LocationId locationId();

        /** The order. */
        String orderId();

        /** The hold, when it is not {@link #orderId()}. */
        Optional<ReservationId> reservationId();

        /**
         * What was handled, for checking against the hold: empty means "the whole hold"; otherwise
         * the quantities per SKU must equal the hold's.
         */
        List<Item> items();

        /** The hold this event is about. */
        default ReservationId hold() {
            return reservationId().orElseGet(() -> ReservationId.of(orderId()));
        }
    }

    /**
     * An order's items were picked. Fulfils the hold when the processor fulfils on PICK (see
     * {@link WarehouseEventProcessor.Builder#fulfilOn}); otherwise it is recorded and changes no stock.
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param locationId the reporting location
     * @param orderId the order (1-128 characters of {@code A-Z a-z 0-9 . _ - :})
     * @param reservationId the hold, when its id is not the order id
     * @param items what was picked, or empty for the whole hold
     */
    record PickComplete(String eventId, Instant occurredAt, LocationId locationId, String orderId,
            Optional<ReservationId> reservationId, List<Item> items) implements OrderStage {
        /** Validates. */
        public PickComplete {
            items = orderStage(eventId, occurredAt, locationId, orderId, reservationId, items);
        }

        @Override
        public Type type() {
            return Type.PICK_COMPLETE;
        }
    }

    /**
     * An order's items were packed: recorded, changes no stock.
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param locationId the reporting location
     * @param orderId the order
     * @param reservationId the hold, when its id is not the order id
     * @param items what was packed, or empty for the whole hold
     */
    record PackComplete(String eventId, Instant occurredAt, LocationId locationId, String orderId,
            Optional<ReservationId> reservationId, List<Item> items) implements OrderStage {
        /** Validates. */
        public PackComplete {
            items = orderStage(eventId, occurredAt, locationId, orderId, reservationId, items);
        }

        @Override
        public Type type() {
            return Type.PACK_COMPLETE;
        }
    }

    /**
     * An order left the building: fulfils the hold (allocated and onHand go down where it was
     * reserved), unless it was already fulfilled.
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param locationId the reporting location
     * @param orderId the order
     * @param reservationId the hold, when its id is not the order id
     * @param items what was shipped, or empty for the whole hold
     */
    record ShipComplete(String eventId, Instant occurredAt, LocationId locationId, String orderId,
            Optional<ReservationId> reservationId, List<Item> items) implements OrderStage {
        /** Validates. */
        public ShipComplete {
            items = orderStage(eventId, occurredAt, locationId, orderId, reservationId, items);
        }

        @Override
        public Type type() {
            return Type.SHIP_COMPLETE;
        }
    }

    /**
     * A physical count of {@code sku} at {@code locationId}, taken at {@link #occurredAt()}: onHand
     * becomes {@code actualCount} plus every movement recorded after that instant. The variance
     * against the books at that instant may raise an {@code inventory.cycle_count.variance} alert.
     *
     * @param eventId the idempotency key
     * @param occurredAt when the count was taken
     * @param sku the SKU
     * @param locationId where
     * @param actualCount what was counted, 0..{@link Quantity#MAX}
     * @param reason why the count was taken, if given
     * @param auditId the audit, recorded as the ledger reference
     */
    record CycleCountAdjustment(String eventId, Instant occurredAt, Sku sku, LocationId locationId, long actualCount,
            Optional<String> reason, Optional<String> auditId) implements WarehouseEvent {
        /** Validates. */
        public CycleCountAdjustment {
            header(eventId, occurredAt);
            Fields.notNull("sku", sku);
            Fields.notNull("locationId", locationId);
            Quantity.requireNonNegative("actualCount", actualCount);
            Fields.optionalText("reason", reason, 128);
            Fields.optionalText("auditId", auditId, 128);
        }

        @Override
        public Type type() {
            return Type.CYCLE_COUNT_ADJUSTMENT;
        }
    }

    /**
     * Units of {@code sku} at {@code locationId} were found damaged: damaged goes up (only unpromised
     * units can become damaged).
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param sku the SKU
     * @param locationId where
     * @param quantity how many
     * @param reason what happened, recorded as the ledger reference
     */
    record DamageReport(String eventId, Instant occurredAt, Sku sku, LocationId locationId, long quantity,
            Optional<String> reason) implements WarehouseEvent {
        /** Validates. */
        public DamageReport {
            header(eventId, occurredAt);
            Fields.notNull("sku", sku);
            Fields.notNull("locationId", locationId);
            Quantity.requirePositive("quantity", quantity);
            Fields.optionalText("reason", reason, 128);
        }

        @Override
        public Type type() {
            return Type.DAMAGE_REPORT;
        }
    }

    /**
     * A transfer left {@code fromLocationId} for {@code toLocationId}: at the source onHand goes down
     * and inTransitOut up, at the destination inTransitIn goes up.
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param transferId the transfer (1-128 characters of {@code A-Z a-z 0-9 . _ - :}), the ledger
     *     reference and the key a {@link TransferReceived} waits on
     * @param fromLocationId the source
     * @param toLocationId the destination
     * @param items 1-100 items, one per SKU
     */
    record TransferShipped(String eventId, Instant occurredAt, String transferId, LocationId fromLocationId,
            LocationId toLocationId, List<Item> items) implements WarehouseEvent {
        /** Validates. */
        public TransferShipped {
            items = transfer(eventId, occurredAt, transferId, fromLocationId, toLocationId, items);
        }

        @Override
        public Type type() {
            return Type.TRANSFER_SHIPPED;
        }
    }

    /**
     * A transfer from {@code fromLocationId} arrived at {@code toLocationId}: at the destination onHand
     * goes up and inTransitIn down, at the source inTransitOut goes down. Held until its
     * {@link TransferShipped} when that has not been applied yet; rejected when receiving is blocked.
     *
     * @param eventId the idempotency key
     * @param occurredAt when
     * @param transferId the transfer
     * @param fromLocationId the source
     * @param toLocationId the destination
     * @param items 1-100 items, one per SKU
     */
    record TransferReceived(String eventId, Instant occurredAt, String transferId, LocationId fromLocationId,
            LocationId toLocationId, List<Item> items) implements WarehouseEvent {
        /** Validates. */
        public TransferReceived {
            items = transfer(eventId, occurredAt, transferId, fromLocationId, toLocationId, items);
        }

        @Override
        public Type type() {
            return Type.TRANSFER_RECEIVED;
        }
    }

    /** Validates the fields every event has. */
    private static void header(String eventId, Instant occurredAt) {
        Fields.eventId(eventId);
        Fields.notNull("occurredAt", occurredAt);
    }

    /** Validates an {@link OrderStage} event's fields; returns its items (empty: the whole hold). */
    private static List<Item> orderStage(String eventId, Instant occurredAt, LocationId locationId, String orderId,
            Optional<ReservationId> reservationId, List<Item> items) {
        header(eventId, occurredAt);
        Fields.notNull("locationId", locationId);
        Fields.token("orderId", orderId, 128);
        Fields.notNull("reservationId", reservationId);
        Fields.notNull("items", items);
        return items.isEmpty() ? List.of() : Fields.items("items", items, Item::sku);
    }

    /** Validates a transfer event's fields; returns its items. */
    private static List<Item> transfer(String eventId, Instant occurredAt, String transferId, LocationId from,
            LocationId to, List<Item> items) {
        header(eventId, occurredAt);
        Fields.token("transferId", transferId, 128);
        Fields.notNull("fromLocationId", from);
        Fields.notNull("toLocationId", to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("toLocationId must differ from fromLocationId, was " + to);
        }
        return Fields.items("items", items, Item::sku);
    }
}
