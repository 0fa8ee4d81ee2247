package dev.inventory.kafka;

import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import java.util.Objects;

/**
 * How a domain event looks on Kafka: the default topic, the record key ({@code sku:locationId}, so
 * every event of one SKU x location lands on one partition, in order) and the header names. The value
 * is the event's canonical JSON ({@link dev.inventory.core.event.EventJson}, with {@code schemaVersion});
 * see {@code docs/events.md}.
 */
public final class KafkaEvents {
    /** The topic the relay publishes to unless configured otherwise. */
    public static final String DEFAULT_TOPIC = "inventory.events";
    /** Header with the event id (a time-ordered UUID, UTF-8 text). */
    public static final String HEADER_EVENT_ID = "eventId";
    /** Header with the event type's wire name, such as {@code inventory.reserved} (UTF-8 text). */
    public static final String HEADER_EVENT_TYPE = "eventType";
    /** Header with the level version the event carries (decimal UTF-8 text). */
    public static final String HEADER_EVENT_VERSION = "eventVersion";

    private KafkaEvents() {
    }

    /** The record key of an event about {@code sku} at {@code locationId}: {@code "sku:locationId"}. */
    public static String key(Sku sku, LocationId locationId) {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(locationId, "locationId");
        return sku.value() + ":" + locationId.value();
    }
}
