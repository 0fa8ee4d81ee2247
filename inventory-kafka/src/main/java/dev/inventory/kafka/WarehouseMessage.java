package dev.inventory.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inventory.core.LocationId;
import dev.inventory.core.Quantity;
import dev.inventory.core.Sku;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An inbound warehouse (WMS) event, decoded and validated but not yet applied: a neutral message the
 * host wires to the core's warehouse-event processing (see the module README). Field names follow
 * the WMS interface of the seed documents; the JSON of every type is in {@code docs/events.md}:
 *
 * <pre>{@code
 * {"eventId":"wms-1001","eventType":"RECEIVING_COMPLETE","timestamp":"2026-03-01T10:00:00Z",
 *  "locationId":"WH-1","source":"wms","purchaseOrderId":"PO-77","items":[{"sku":"TEE-M","quantity":40}]}
 * }</pre>
 *
 * @param eventId the WMS's event id (idempotency key), 1-128 characters of {@code A-Z a-z 0-9 . _ - :}
 * @param type the event type
 * @param timestamp when it happened in the warehouse (the count time of a cycle count)
 * @param locationId the location that reported it
 * @param source who sent it ({@code wms} or {@code inventory_service}), if given
 * @param items the lines; each line's location is its own {@code locationId} or else the event's
 * @param orderId the order of a pick, pack or ship
 * @param purchaseOrderId the purchase order of a receipt
 * @param reason a reason (cycle counts, damage), if given
 * @param cycleCount the count of a {@link WarehouseEventType#CYCLE_COUNT_ADJUSTMENT}
 * @param transfer the ends of a transfer
 * @param version the WMS's per-location sequence number, if it sends one (see {@link #stamp()})
 */
public record WarehouseMessage(String eventId, WarehouseEventType type, Instant timestamp, LocationId locationId,
        Optional<String> source, List<Line> items, Optional<String> orderId, Optional<String> purchaseOrderId,
        Optional<String> reason, Optional<CycleCount> cycleCount, Optional<Transfer> transfer, OptionalLong version) {

    /** Copies the lines and checks presence. */
    public WarehouseMessage {
        Settings.notNull("eventId", eventId);
        Settings.notNull("type", type);
        Settings.notNull("timestamp", timestamp);
        Settings.notNull("locationId", locationId);
        Settings.notNull("source", source);
        items = List.copyOf(Settings.notNull("items", items));
        Settings.notNull("orderId", orderId);
        Settings.notNull("purchaseOrderId", purchaseOrderId);
        Settings.notNull("reason", reason);
        Settings.notNull("cycleCount", cycleCount);
        Settings.notNull("transfer", transfer);
        Settings.notNull("version", version);
    }

    /**
     * The version stamp for a {@link VersionTracker}, when the message has a {@code version}: key
     * {@code wms:<locationId>}, so an event older than one already applied from that location is stale.
     */
    public Optional<VersionTracker.Stamp> stamp() {
        return version.isPresent()
                ? Optional.of(new VersionTracker.Stamp("wms:" + locationId.value(), version.getAsLong()))
                : Optional.empty();
    }

    /** A decoder for a {@link ReliableConsumer}: JSON value, validated per type. */
    public static RecordDecoder<WarehouseMessage> decoder() {
        return record -> fromJson(record.value());
    }

    /**
     * Reads one WMS event.
     *
     * @throws InvalidMessageException naming the field when the document is not a valid event
     */
    public static WarehouseMessage fromJson(String json) throws InvalidMessageException {
        return fromJson(Json.utf8(json));
    }

    /**
     * Reads one WMS event from UTF-8 bytes.
     *
     * @throws InvalidMessageException naming the field when the document is not a valid event
     */
    public static WarehouseMessage fromJson(byte[] json) throws InvalidMessageException {
        return Json.read(json, n -> {
            String eventId = Json.token(n, "eventId");
            WarehouseEventType type = WarehouseEventType.of(Json.text(n, "eventType"));
            Instant timestamp = Json.instant(n, "timestamp");
            LocationId location = LocationId.of(Json.text(n, "locationId"));
            List<Line> items = lines(n, location);
            Optional<String> orderId = Json.optionalToken(n, "orderId");
            Optional<CycleCount> count = Optional.empty();
            Optional<Transfer> transfer = Optional.empty();
            switch (type) {
                case RECEIVING_COMPLETE:
                case DAMAGE_REPORT:
                    requireItems(type, items);
                    break;
                case PICK_COMPLETE:
                case SHIP_COMPLETE:
                    requireItems(type, items);
                    requireOrder(type, orderId);
                    break;
                case PACK_COMPLETE:
                    requireOrder(type, orderId);
                    break;
                case CYCLE_COUNT_ADJUSTMENT:
                    count = Optional.of(cycleCount(n));
                    break;
                case TRANSFER_SHIPPED:
                case TRANSFER_RECEIVED:
                    requireItems(type, items);
                    transfer = Optional.of(transfer(n, type, location));
                    break;
                default:
                    throw new InvalidMessageException("eventType " + type + " is not handled");
            }
            OptionalLong version = Json.optionalVersion(n);
            return new WarehouseMessage(eventId, type, timestamp, location, Json.optionalText(n, "source"), items,
                    orderId, Json.optionalText(n, "purchaseOrderId"), Json.optionalText(n, "reason"), count,
                    transfer, version);
        });
    }

    private static List<Line> lines(JsonNode n, LocationId eventLocation) throws InvalidMessageException {
        return Json.items(n, item -> {
            Optional<String> loc = Json.optionalText(item, "locationId");
            return new Line(Sku.of(Json.text(item, "sku")), loc.isPresent() ? LocationId.of(loc.get()) : eventLocation,
                    Quantity.requirePositive("quantity", Json.integer(item, "quantity")));
        });
    }

    private static void requireItems(WarehouseEventType type, List<Line> items) throws InvalidMessageException {
        if (items.isEmpty()) {
            throw new InvalidMessageException("items must hold at least one line for " + type);
        }
    }

    private static void requireOrder(WarehouseEventType type, Optional<String> orderId)
            throws InvalidMessageException {
        if (orderId.isEmpty()) {
            throw new InvalidMessageException("orderId is required for " + type);
        }
    }

    private static CycleCount cycleCount(JsonNode n) throws InvalidMessageException {
        OptionalLong expected = Json.optionalInteger(n, "expectedCount");
        if (expected.isPresent()) {
            Quantity.requireNonNegative("expectedCount", expected.getAsLong());
        }
        return new CycleCount(Sku.of(Json.text(n, "sku")),
                Quantity.requireNonNegative("actualCount", Json.integer(n, "actualCount")), expected,
                Json.optionalText(n, "approvedBy"), Json.optionalText(n, "auditId"));
    }

    private static Transfer transfer(JsonNode n, WarehouseEventType type, LocationId location)
            throws InvalidMessageException {
        Optional<String> from = Json.optionalText(n, "fromLocationId");
        Optional<String> to = Json.optionalText(n, "toLocationId");
        LocationId source;
        LocationId target;
        if (type == WarehouseEventType.TRANSFER_SHIPPED) {
            source = from.map(LocationId::of).orElse(location);
            target = LocationId.of(to.orElseThrow(() -> new InvalidMessageException("toLocationId is required for "
                    + type)));
        } else {
            target = to.map(LocationId::of).orElse(location);
            source = LocationId.of(from.orElseThrow(() -> new InvalidMessageException(
                    "fromLocationId is required for " + type)));
        }
        if (source.equals(target)) {
            throw new InvalidMessageException("toLocationId must differ from fromLocationId, was " + target);
        }
        return new Transfer(source, target, Json.optionalToken(n, "transferId"));
    }

    /**
     * One line of a warehouse event.
     *
     * @param sku the SKU
     * @param locationId the line's location (its own, or the event's)
     * @param quantity how many, 1 to {@link Quantity#MAX}
     */
    public record Line(Sku sku, LocationId locationId, long quantity) {
        /** Validates. */
        public Line {
            Settings.notNull("sku", sku);
            Settings.notNull("locationId", locationId);
            Quantity.requirePositive("quantity", quantity);
        }
    }

    /**
     * A physical count (the count time is the event's {@code timestamp}).
     *
     * @param sku the SKU counted at the event's location
     * @param actualCount what was counted
     * @param expectedCount what the WMS expected, if it says
     * @param approvedBy who approved the adjustment, if given
     * @param auditId the audit reference, if given
     */
    public record CycleCount(Sku sku, long actualCount, OptionalLong expectedCount, Optional<String> approvedBy,
            Optional<String> auditId) {
        /** Validates. */
        public CycleCount {
            Settings.notNull("sku", sku);
            Quantity.requireNonNegative("actualCount", actualCount);
            Settings.notNull("expectedCount", expectedCount);
            Settings.notNull("approvedBy", approvedBy);
            Settings.notNull("auditId", auditId);
        }
    }

    /**
     * The ends of a transfer.
     *
     * @param from the shipping location ({@code fromLocationId}, for a shipment defaulting to the event's)
     * @param to the receiving location ({@code toLocationId}, for a receipt defaulting to the event's)
     * @param transferId the transfer's id, if given
     */
    public record Transfer(LocationId from, LocationId to, Optional<String> transferId) {
        /** Validates. */
        public Transfer {
            Settings.notNull("from", from);
            Settings.notNull("to", to);
            Settings.notNull("transferId", transferId);
        }
    }
}
