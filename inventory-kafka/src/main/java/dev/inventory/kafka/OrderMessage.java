package dev.inventory.kafka;

import dev.inventory.core.LocationId;
import dev.inventory.core.Quantity;
import dev.inventory.core.Sku;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An inbound order event, decoded and validated but not yet applied: a neutral message the host
 * wires to the core's order-event processing (see the module README). The JSON of every type is in
 * {@code docs/events.md}:
 *
 * <pre>{@code
 * {"eventId":"oe-9001","eventType":"order.placed","timestamp":"2026-03-01T10:02:00Z","orderId":"order-42",
 *  "reservationId":"checkout-42","cartId":"cart-7","userId":"alice",
 *  "items":[{"sku":"TEE-M","locationId":"WH-1","quantity":2}]}
 * }</pre>
 *
 * @param eventId the order service's event id (idempotency key)
 * @param type the event type
 * @param timestamp when it happened
 * @param orderId the order, 1-128 characters of {@code A-Z a-z 0-9 . _ - :}
 * @param reservationId the checkout's hold, when the order came from one
 * @param cartId the cart, if given
 * @param userId the customer, if given
 * @param items the lines (required for {@code order.placed}); a line's location is optional
 * @param reason why, for a cancellation, if given
 * @param version the order's version, if the order service sends one (see {@link #stamp()})
 */
public record OrderMessage(String eventId, OrderEventType type, Instant timestamp, String orderId,
        Optional<String> reservationId, Optional<String> cartId, Optional<String> userId, List<Line> items,
        Optional<String> reason, OptionalLong version) {

    /** Copies the lines and checks presence. */
    public OrderMessage {
        Settings.notNull("eventId", eventId);
        Settings.notNull("type", type);
        Settings.notNull("timestamp", timestamp);
        Settings.notNull("orderId", orderId);
        Settings.notNull("reservationId", reservationId);
        Settings.notNull("cartId", cartId);
        Settings.notNull("userId", userId);
        items = List.copyOf(Settings.notNull("items", items));
        Settings.notNull("reason", reason);
        Settings.notNull("version", version);
    }

    /**
     * The version stamp for a {@link VersionTracker}, when the message has a {@code version}: key
     * {@code order:<orderId>}, so an order event older than one already applied is stale.
     */
    public Optional<VersionTracker.Stamp> stamp() {
        return version.isPresent()
                ? Optional.of(new VersionTracker.Stamp("order:" + orderId, version.getAsLong()))
                : Optional.empty();
    }

    /** A decoder for a {@link ReliableConsumer}: JSON value, validated per type. */
    public static RecordDecoder<OrderMessage> decoder() {
        return record -> fromJson(record.value());
    }

    /**
     * Reads one order event.
     *
     * @throws InvalidMessageException naming the field when the document is not a valid event
     */
    public static OrderMessage fromJson(String json) throws InvalidMessageException {
        return fromJson(Json.utf8(json));
    }

    /**
     * Reads one order event from UTF-8 bytes.
     *
     * @throws InvalidMessageException naming the field when the document is not a valid event
     */
    public static OrderMessage fromJson(byte[] json) throws InvalidMessageException {
        return Json.read(json, n -> {
            String eventId = Json.token(n, "eventId");
            OrderEventType type = OrderEventType.ofWireName(Json.text(n, "eventType"));
            Instant timestamp = Json.instant(n, "timestamp");
            String orderId = Json.token(n, "orderId");
            List<Line> items = Json.items(n, item -> new Line(Sku.of(Json.text(item, "sku")),
                    Json.optionalText(item, "locationId").map(LocationId::of),
                    Quantity.requirePositive("quantity", Json.integer(item, "quantity"))));
            if (type == OrderEventType.PLACED && items.isEmpty()) {
                throw new InvalidMessageException("items must hold at least one line for " + type.wireName());
            }
            OptionalLong version = Json.optionalVersion(n);
            return new OrderMessage(eventId, type, timestamp, orderId, Json.optionalToken(n, "reservationId"),
                    Json.optionalToken(n, "cartId"), Json.optionalText(n, "userId"), items,
                    Json.optionalText(n, "reason"), version);
        });
    }

    /**
     * One line of an order.
     *
     * @param sku the SKU
     * @param locationId where it ships from, when the order says
     * @param quantity how many, 1 to {@link Quantity#MAX}
     */
    public record Line(Sku sku, Optional<LocationId> locationId, long quantity) {
        /** Validates. */
        public Line {
            Settings.notNull("sku", sku);
            Settings.notNull("locationId", locationId);
            Quantity.requirePositive("quantity", quantity);
        }
    }
}
