package dev.inventory.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decoders, the value types and the settings, without a broker. */
class MessageDecodingTest {

    @Test
    void aReceiptDecodesWithItsLinesAtTheEventsLocation() throws Exception {
        WarehouseMessage m = WarehouseMessage.fromJson("{\"eventId\":\"wms-1\",\"eventType\":\"RECEIVING_COMPLETE\","
                + "\"timestamp\":1772359200000,\"locationId\":\"WH-1\",\"purchaseOrderId\":\"PO-1\",\"extra\":true,"
                + "\"items\":[{\"sku\":\"A\",\"quantity\":3},{\"sku\":\"B\",\"locationId\":\"WH-9\",\"quantity\":1}]}");
        assertThat(m.type()).isEqualTo(WarehouseEventType.RECEIVING_COMPLETE);
        assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(m.items()).containsExactly(new WarehouseMessage.Line(Sku.of("A"), LocationId.of("WH-1"), 3),
                new WarehouseMessage.Line(Sku.of("B"), LocationId.of("WH-9"), 1));
        assertThat(m.purchaseOrderId()).contains("PO-1");
        assertThat(m.stamp()).isEmpty();
    }

    @Test
    void countsAndTransfersCarryTheirOwnFields() throws Exception {
        WarehouseMessage count = WarehouseMessage.fromJson("{\"eventId\":\"c-1\",\"eventType\":\"CYCLE_COUNT_ADJUSTMENT\","
                + "\"timestamp\":\"2026-03-01T06:00:00Z\",\"locationId\":\"WH-1\",\"sku\":\"A\",\"actualCount\":0,"
                + "\"version\":12}");
        assertThat(count.cycleCount()).contains(new WarehouseMessage.CycleCount(Sku.of("A"), 0, OptionalLong.empty(),
                Optional.empty(), Optional.empty()));
        assertThat(count.stamp()).contains(new VersionTracker.Stamp("wms:WH-1", 12));
        WarehouseMessage received = WarehouseMessage.fromJson("{\"eventId\":\"t-1\",\"eventType\":\"TRANSFER_RECEIVED\","
                + "\"timestamp\":\"2026-03-01T06:00:00Z\",\"locationId\":\"WH-2\",\"fromLocationId\":\"WH-1\","
                + "\"items\":[{\"sku\":\"A\",\"quantity\":5}]}");
        assertThat(received.transfer()).contains(new WarehouseMessage.Transfer(LocationId.of("WH-1"),
                LocationId.of("WH-2"), Optional.empty()));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "[1,2]|the value must be a JSON object, was array",
        "{\"eventType\":\"RECEIVING_COMPLETE\"}|eventId is required",
        "{\"eventId\":\"a b\",\"eventType\":\"X\"}|eventId must be 1-128 characters of A-Z a-z 0-9 . _ - :, was \"a b\"",
        "{\"eventId\":\"e\",\"eventType\":\"UNLOADED\",\"timestamp\":0,\"locationId\":\"W\"}|eventType must be one of",
        "{\"eventId\":\"e\",\"eventType\":\"DAMAGE_REPORT\",\"timestamp\":\"yesterday\",\"locationId\":\"W\"}|timestamp must be an ISO-8601 instant or epoch milliseconds, was \"yesterday\"",
        "{\"eventId\":\"e\",\"eventType\":\"DAMAGE_REPORT\",\"timestamp\":0,\"locationId\":\"W/1\"}|locationId must be 1-64 characters",
        "{\"eventId\":\"e\",\"eventType\":\"DAMAGE_REPORT\",\"timestamp\":0,\"locationId\":\"W\"}|items must hold at least one line for DAMAGE_REPORT",
        "{\"eventId\":\"e\",\"eventType\":\"SHIP_COMPLETE\",\"timestamp\":0,\"locationId\":\"W\",\"items\":[{\"sku\":\"A\",\"quantity\":1}]}|orderId is required for SHIP_COMPLETE",
        "{\"eventId\":\"e\",\"eventType\":\"RECEIVING_COMPLETE\",\"timestamp\":0,\"locationId\":\"W\",\"items\":[{\"sku\":\"A\",\"quantity\":1.5}]}|items[0].quantity must be an integer, was 1.5",
        "{\"eventId\":\"e\",\"eventType\":\"RECEIVING_COMPLETE\",\"timestamp\":0,\"locationId\":\"W\",\"items\":[{\"quantity\":1}]}|items[0].sku is required",
        "{\"eventId\":\"e\",\"eventType\":\"CYCLE_COUNT_ADJUSTMENT\",\"timestamp\":0,\"locationId\":\"W\",\"sku\":\"A\",\"actualCount\":-1}|actualCount must be between 0 and 1000000000, was -1",
        "{\"eventId\":\"e\",\"eventType\":\"TRANSFER_SHIPPED\",\"timestamp\":0,\"locationId\":\"W\",\"items\":[{\"sku\":\"A\",\"quantity\":1}]}|toLocationId is required for TRANSFER_SHIPPED",
        "{\"eventId\":\"e\",\"eventType\":\"TRANSFER_SHIPPED\",\"timestamp\":0,\"locationId\":\"W\",\"toLocationId\":\"W\",\"items\":[{\"sku\":\"A\",\"quantity\":1}]}|toLocationId must differ from fromLocationId, was W",
    })
    void invalidWarehouseEventsAreRefusedNamingTheField(String json, String message) {
        assertThatThrownBy(() -> WarehouseMessage.fromJson(json)).isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void orderEventsDecodeAndRefuseWhatTheyCannotApply() throws Exception {
        OrderMessage placed = OrderMessage.fromJson("{\"eventId\":\"oe-1\",\"eventType\":\"order.placed\","
                + "\"timestamp\":\"2026-03-01T10:02:00Z\",\"orderId\":\"order-42\",\"userId\":\"alice\",\"version\":1,"
                + "\"items\":[{\"sku\":\"TEE-M\",\"quantity\":2}]}");
        assertThat(placed.type()).isEqualTo(OrderEventType.PLACED);
        assertThat(placed.items()).containsExactly(new OrderMessage.Line(Sku.of("TEE-M"), Optional.empty(), 2));
        assertThat(placed.reservationId()).isEmpty();
        assertThat(placed.stamp()).contains(new VersionTracker.Stamp("order:order-42", 1));
        assertThatThrownBy(() -> OrderMessage.fromJson("{\"eventId\":\"oe-1\",\"eventType\":\"order.placed\","
                + "\"timestamp\":0,\"orderId\":\"o\"}")).isInstanceOf(InvalidMessageException.class)
                .hasMessage("items must hold at least one line for order.placed");
        assertThatThrownBy(() -> OrderMessage.fromJson("{\"eventId\":\"oe-1\",\"eventType\":\"order.delivered\","
                + "\"timestamp\":0,\"orderId\":\"o\"}")).isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("eventType must be one of");
        assertThatThrownBy(() -> OrderMessage.fromJson("{\"eventId\":\"oe-1\",\"eventType\":\"order.cancelled\","
                + "\"timestamp\":0,\"orderId\":\"o\",\"version\":-3}")).isInstanceOf(InvalidMessageException.class)
                .hasMessage("version must not be negative, was -3");
        assertThatThrownBy(() -> OrderMessage.fromJson((byte[]) null)).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("tombstone");
    }

    @Test
    void inventoryEventsRefuseMissingQuantitiesAndUnknownTypes() {
        String ok = "{\"schemaVersion\":1,\"eventId\":\"0195a3c0-7e00-7000-8000-000000000001\",\"type\":"
                + "\"inventory.restocked\",\"sku\":\"A\",\"locationId\":\"W\",\"version\":1,\"occurredAt\":"
                + "\"2026-03-01T10:00:00Z\",\"quantities\":{\"onHand\":1,\"allocated\":0,\"reserved\":0,"
                + "\"damaged\":0,\"safetyStock\":0,\"inTransitIn\":0,\"inTransitOut\":0,\"available\":1},"
                + "\"data\":{\"quantity\":1}}";
        assertThatThrownBy(() -> InventoryEventMessage.fromJson(ok.replace("\"available\":1", "\"available\":-1")))
                .isInstanceOf(InvalidMessageException.class).hasMessage("quantities.available must not be negative, was -1");
        assertThatThrownBy(() -> InventoryEventMessage.fromJson(ok.replace(",\"reserved\":0", "")))
                .isInstanceOf(InvalidMessageException.class).hasMessage("quantities.reserved must be an integer, was null");
        assertThatThrownBy(() -> InventoryEventMessage.fromJson(ok.replace("inventory.restocked", "inventory.lost")))
                .isInstanceOf(InvalidMessageException.class).hasMessageStartingWith("type must be one of");
        assertThatThrownBy(() -> InventoryEventMessage.fromJson(ok.replace("\"schemaVersion\":1", "\"schemaVersion\":0")))
                .isInstanceOf(InvalidMessageException.class).hasMessage("schemaVersion must be 1 or more, was 0");
        assertThatThrownBy(() -> InventoryEventMessage.fromJson(ok + "{}")).isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("the value is not JSON");
    }

    @Test
    void backoffGrowsExponentiallyUpToItsCapAndCountsAttempts() {
        Backoff b = new Backoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(500), 4);
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(b.delay(4)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(60)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.allowsAnotherAttempt(3)).isTrue();
        assertThat(b.allowsAnotherAttempt(4)).isFalse();
        assertThat(new Backoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0).allowsAnotherAttempt(999)).isTrue();
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1), 3))
                .hasMessage("max must be at least initial (PT2S), was PT1S");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 3))
                .hasMessage("multiplier must be between 1.0 and 10.0, was 0.5");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 2.0, Duration.ofSeconds(1), 3))
                .hasMessage("initial must be between 1 ms and 1 hour, was PT0S");
    }

    @Test
    void theVersionTrackerKeepsTheHighestVersionPerKey() {
        VersionTracker t = VersionTracker.inMemory();
        assertThat(t.isStale("k", 0)).isFalse();
        t.applied("k", 5);
        t.applied("k", 3);
        assertThat(t.isStale("k", 5)).isTrue();
        assertThat(t.isStale("k", 4)).isTrue();
        assertThat(t.isStale("k", 6)).isFalse();
        assertThat(t.isStale("other", 1)).isFalse();
    }

    @Test
    void consumersNeverAutoCommitAndReadRawBytes() {
        Map<String, Object> c = ClientConfigs.consumer(Map.of("bootstrap.servers", "x:1"), "g", "c", "earliest");
        assertThat(c).containsEntry("enable.auto.commit", "false").containsEntry("group.id", "g")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        assertThatThrownBy(() -> ClientConfigs.consumer(Map.of("bootstrap.servers", "x:1",
                "enable.auto.commit", true), "g", "c", "earliest"))
                .hasMessage("property enable.auto.commit must be false for reliable delivery, was true");
        assertThatThrownBy(() -> ReliableConsumer.builder(r -> r, m -> Outcome.applied()).topics("t").build())
                .hasMessage("groupId must be set");
        assertThatThrownBy(() -> ReliableConsumer.builder(r -> r, m -> Outcome.applied()).topics("bad topic"))
                .hasMessageStartingWith("topics must be a Kafka topic name");
        assertThatThrownBy(() -> Outcome.rejected(" ")).hasMessage("reason must be a non-blank text, was  ");
        assertThat(ReliableConsumer.isTransient(new RuntimeException(
                new dev.inventory.core.InventoryStoreException("x", null, true)))).isTrue();
        assertThat(ReliableConsumer.isTransient(new dev.inventory.core.InventoryStoreException("x", null, false)))
                .isFalse();
        assertThat(ReliableConsumer.isTransient(new IllegalStateException())).isFalse();
    }
}
