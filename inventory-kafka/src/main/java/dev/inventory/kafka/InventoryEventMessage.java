package dev.inventory.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import dev.inventory.core.event.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An inventory domain event as read back from Kafka: the canonical JSON of
 * {@link dev.inventory.core.event.EventJson}, decoded with Jackson. Unknown fields are ignored, so
 * additive schema changes are read; the type must be one of {@link EventType}.
 *
 * @param schemaVersion the document's {@code schemaVersion} (1 today)
 * @param eventId the event id
 * @param type the event type
 * @param sku the SKU
 * @param locationId the location
 * @param version the level version the event carries
 * @param occurredAt when the change happened
 * @param reference the reservation, order or caller reference, if any
 * @param quantities the level's quantities after the change
 * @param data the type's own fields (see {@code docs/events.md}), as plain Java values
 */
public record InventoryEventMessage(int schemaVersion, UUID eventId, EventType type, Sku sku, LocationId locationId,
        long version, Instant occurredAt, Optional<String> reference, Quantities quantities, Map<String, Object> data) {

    /** Validates presence. */
    public InventoryEventMessage {
        Settings.notNull("eventId", eventId);
        Settings.notNull("type", type);
        Settings.notNull("sku", sku);
        Settings.notNull("locationId", locationId);
        Settings.notNull("occurredAt", occurredAt);
        Settings.notNull("reference", reference);
        Settings.notNull("quantities", quantities);
        Settings.notNull("data", data);
    }

    /** The aggregate key, {@code sku:locationId} (the Kafka record key). */
    public String key() {
        return KafkaEvents.key(sku, locationId);
    }

    /** The stamp the {@link VersionTracker} compares: key {@code sku:locationId}, the event's version. */
    public VersionTracker.Stamp stamp() {
        return new VersionTracker.Stamp(key(), version);
    }

    /** A decoder of the relay's records (the value is the event JSON). */
    public static RecordDecoder<InventoryEventMessage> decoder() {
        return record -> fromJson(record.value());
    }

    /**
     * Reads one event document.
     *
     * @throws InvalidMessageException naming the field when the document is not a valid event
     */
    public static InventoryEventMessage fromJson(String json) throws InvalidMessageException {
        Settings.notNull("json", json);
        return fromJson(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads one event document from UTF-8 bytes.
     *
     * @throws InvalidMessageException naming the field when the document is not a valid event
     */
    public static InventoryEventMessage fromJson(byte[] json) throws InvalidMessageException {
        JsonNode n = Json.object(json);
        long schema = Json.integer(n, "schemaVersion");
        if (schema < 1 || schema > Integer.MAX_VALUE) {
            throw new InvalidMessageException("schemaVersion must be 1 or more, was " + schema);
        }
        try {
            JsonNode q = Json.object(n, "quantities");
            JsonNode data = n.get("data");
            if (data != null && !data.isNull() && !data.isObject()) {
                throw new InvalidMessageException("data must be an object, was " + data);
            }
            long version = Json.integer(n, "version");
            if (version < 0) {
                throw new InvalidMessageException("version must not be negative, was " + version);
            }
            return new InventoryEventMessage((int) schema, Json.uuid(n, "eventId"),
                    EventType.ofWireName(Json.text(n, "type")), Sku.of(Json.text(n, "sku")),
                    LocationId.of(Json.text(n, "locationId")), version, Json.instant(n, "occurredAt"),
                    Json.optionalText(n, "reference"),
                    new Quantities(quantity(q, "onHand"), quantity(q, "allocated"), quantity(q, "reserved"),
                            quantity(q, "damaged"), quantity(q, "safetyStock"), quantity(q, "inTransitIn"),
                            quantity(q, "inTransitOut"), quantity(q, "available")),
                    data == null || data.isNull() ? Map.of() : Json.plain(data));
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(e.getMessage(), e);
        }
    }

    private static long quantity(JsonNode q, String field) throws InvalidMessageException {
        if (!q.hasNonNull(field) || !q.get(field).isIntegralNumber() || !q.get(field).canConvertToLong()) {
            throw new InvalidMessageException("quantities." + field + " must be an integer, was " + q.get(field));
        }
        long v = q.get(field).longValue();
        if (v < 0) {
            throw new InvalidMessageException("quantities." + field + " must not be negative, was " + v);
        }
        return v;
    }

    /**
     * The level's quantities after the change (DESIGN section 2).
     *
     * @param onHand physical count
     * @param allocated committed to confirmed orders
     * @param reserved held for checkouts
     * @param damaged not sellable
     * @param safetyStock kept back from online sale
     * @param inTransitIn arriving by transfer
     * @param inTransitOut leaving by transfer
     * @param available what a new checkout may take
     */
    public record Quantities(long onHand, long allocated, long reserved, long damaged, long safetyStock,
            long inTransitIn, long inTransitOut, long available) {
    }
}
