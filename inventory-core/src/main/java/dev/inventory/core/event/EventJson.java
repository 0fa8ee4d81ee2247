package dev.inventory.core.event;

import dev.inventory.core.StockLevel;
import java.util.Optional;

/**
 * The canonical JSON of a domain event (schema version {@value #SCHEMA_VERSION}), written without
 * a JSON library so that the core stays dependency-free and every adapter (outbox rows, journal
 * relays, Kafka) publishes the same document:
 *
 * <pre>{@code
 * {"schemaVersion":1,"eventId":"0193...","type":"inventory.reserved","sku":"TEE-M","locationId":"WH-1",
 *  "version":7,"occurredAt":"2026-03-01T10:00:00Z","reference":"checkout-42",
 *  "quantities":{"onHand":10,"allocated":0,"reserved":3,"damaged":0,"safetyStock":0,
 *                "inTransitIn":0,"inTransitOut":0,"available":7},
 *  "data":{"reservationId":"checkout-42","quantity":3,"expiresAt":"2026-03-01T10:15:00Z"}}
 * }</pre>
 *
 * <p>{@code data} holds the type's own fields (see {@code docs/events.md}). Every string the core
 * emits is an identifier or a validated text, but all are escaped anyway.
 */
public final class EventJson {
    /** The schema version written into every document. */
    public static final int SCHEMA_VERSION = 1;

    private EventJson() {
    }

    /** The event as one JSON object. */
    public static String toJson(InventoryEvent event) {
        StockLevel l = event.level();
        StringBuilder b = new StringBuilder(384);
        b.append("{\"schemaVersion\":").append(SCHEMA_VERSION);
        field(b, "eventId", event.eventId().toString());
        field(b, "type", event.type().wireName());
        field(b, "sku", event.sku().value());
        field(b, "locationId", event.locationId().value());
        b.append(",\"version\":").append(event.version());
        field(b, "occurredAt", event.occurredAt().toString());
        Optional<String> reference = event.reference();
        if (reference.isPresent()) {
            field(b, "reference", reference.get());
        }
        b.append(",\"quantities\":{\"onHand\":").append(l.onHand())
                .append(",\"allocated\":").append(l.allocated())
                .append(",\"reserved\":").append(l.reserved())
                .append(",\"damaged\":").append(l.damaged())
                .append(",\"safetyStock\":").append(l.safetyStock())
                .append(",\"inTransitIn\":").append(l.inTransitIn())
                .append(",\"inTransitOut\":").append(l.inTransitOut())
                .append(",\"available\":").append(l.available())
                .append('}');
        b.append(",\"data\":{");
        data(b, event);
        b.append("}}");
        return b.toString();
    }

    private static void data(StringBuilder b, InventoryEvent event) {
        if (event instanceof InventoryEvent.HoldEvent h) {
            first(b, "reservationId", h.reservationId().value());
            b.append(",\"quantity\":").append(h.quantity());
            if (event instanceof InventoryEvent.Reserved r) {
                field(b, "expiresAt", r.expiresAt().toString());
            } else if (event instanceof InventoryEvent.ReservationPending p) {
                field(b, "expiresAt", p.expiresAt().toString());
            }
        } else if (event instanceof InventoryEvent.Restocked e) {
            b.append("\"quantity\":").append(e.quantity());
        } else if (event instanceof InventoryEvent.Damaged e) {
            b.append("\"quantity\":").append(e.quantity());
        } else if (event instanceof InventoryEvent.Adjusted e) {
            b.append("\"delta\":").append(e.delta());
            field(b, "reason", e.reason());
        } else if (event instanceof InventoryEvent.TransferShipped e) {
            first(b, "from", e.from().value());
            field(b, "to", e.to().value());
            b.append(",\"quantity\":").append(e.quantity());
        } else if (event instanceof InventoryEvent.TransferReceived e) {
            first(b, "from", e.from().value());
            field(b, "to", e.to().value());
            b.append(",\"quantity\":").append(e.quantity());
        } else if (event instanceof InventoryEvent.BelowThreshold e) {
            b.append("\"reorderPoint\":").append(e.reorderPoint())
                    .append(",\"suggestedQuantity\":").append(e.suggestedQuantity())
                    .append(",\"maxStock\":").append(e.level().maxStock());
        } else if (event instanceof InventoryEvent.CycleCountVariance e) {
            b.append("\"previousCount\":").append(e.previousCount())
                    .append(",\"newCount\":").append(e.newCount())
                    .append(",\"variance\":").append(e.variance());
        }
        // OutOfStock and BackInStock carry nothing beyond the quantities
    }

    private static void first(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":");
        string(b, value);
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        string(b, value);
    }

    /** Appends {@code value} as a JSON string literal. */
    static void string(StringBuilder b, String value) {
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
