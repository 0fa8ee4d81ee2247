package dev.inventory.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    final Instant at = Instant.parse("2026-03-01T10:00:00Z");
    final StockLevel level = new StockLevel(Sku.of("TEE"), LocationId.of("WH1"), 10, 1, 3, 0, 0, 2, 0, 0, 0, true,
            false, 7, at);
    final UUID id = UUID.fromString("01900000-0000-7000-8000-000000000001");

    @Test
    void reservedEventHasEnvelopeQuantitiesAndData() {
        String json = EventJson.toJson(new InventoryEvent.Reserved(id, level, at, ReservationId.of("c-1"), 3,
                at.plusSeconds(900)));
        assertThat(json).isEqualTo("{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"type\":\"inventory.reserved\","
                + "\"sku\":\"TEE\",\"locationId\":\"WH1\",\"version\":7,\"occurredAt\":\"2026-03-01T10:00:00Z\","
                + "\"reference\":\"c-1\",\"quantities\":{\"onHand\":10,\"allocated\":1,\"reserved\":3,\"damaged\":0,"
                + "\"safetyStock\":0,\"inTransitIn\":2,\"inTransitOut\":0,\"available\":6},"
                + "\"data\":{\"reservationId\":\"c-1\",\"quantity\":3,\"expiresAt\":\"2026-03-01T10:15:00Z\"}}");
    }

    @Test
    void stringsAreEscaped() {
        String json = EventJson.toJson(new InventoryEvent.Adjusted(id, level, at, -2, "said \"lost\"\\\n",
                Optional.empty()));
        assertThat(json).contains("\"reason\":\"said \\\"lost\\\"\\\\\\n\"").doesNotContain("\"reference\"");
    }

    @Test
    void everyTypeHasAWireNameRoundTrip() {
        for (EventType type : EventType.values()) {
            assertThat(EventType.ofWireName(type.wireName())).isEqualTo(type);
        }
    }
}
