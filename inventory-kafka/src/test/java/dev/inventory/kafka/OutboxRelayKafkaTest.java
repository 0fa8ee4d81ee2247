package dev.inventory.kafka;

import static dev.inventory.kafka.RelayFixtures.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.contract.Await;
import dev.inventory.core.event.EventType;
import dev.inventory.core.spi.OutboxSource.OutboxRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBroker.class)
class OutboxRelayKafkaTest {
    private static final LocationId WH = LocationId.of("WH-1");

    private final TestOutbox outbox = new TestOutbox();
    private Inventory inventory;

    @BeforeEach
    void setUp() {
        inventory = Inventory.builder().withoutSweeper().listener(outbox).build();
    }

    @AfterEach
    void tearDown() {
        inventory.close();
    }

    private OutboxRelay.Builder relay(String topic) {
        return RelayFixtures.relay(outbox, topic);
    }

    @Test
    void aReservationsEventReachesAConsumerWithKeyHeadersAndJson() throws Exception {
        String topic = KafkaBroker.createTopic("relay-basic", 3);
        Sku tee = Sku.of("TEE-M");
        inventory.stock().receive(tee, WH, 10);
        inventory.reservations().reserve(ReservationRequest.builder("checkout-42").line(tee, WH, 3).build());
        OutboxRecord reserved = outbox.records().stream()
                .filter(r -> r.type().equals(EventType.RESERVED.wireName())).findFirst().orElseThrow();

        try (OutboxRelay relay = relay(topic).build()) {
            assertThat(relay.oldestUnpublishedAge()).isPresent();
            relay.start();
            List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(topic, 2, KafkaBroker.WAIT);
            ConsumerRecord<byte[], byte[]> r = records.stream()
                    .filter(c -> reserved.id().toString().equals(Topics.header(c, KafkaEvents.HEADER_EVENT_ID)))
                    .findFirst().orElseThrow();
            assertThat(Topics.text(r.key())).isEqualTo("TEE-M:WH-1");
            assertThat(Topics.header(r, KafkaEvents.HEADER_EVENT_TYPE)).isEqualTo("inventory.reserved");
            assertThat(Topics.header(r, KafkaEvents.HEADER_EVENT_VERSION)).isEqualTo("2");
            assertThat(Topics.text(r.value())).isEqualTo(reserved.payload());
            assertThat(r.timestamp()).isEqualTo(reserved.occurredAt().toEpochMilli());
            InventoryEventMessage event = InventoryEventMessage.fromJson(r.value());
            assertThat(event.schemaVersion()).isEqualTo(1);
            assertThat(event.type()).isEqualTo(EventType.RESERVED);
            assertThat(event.quantities().reserved()).isEqualTo(3);
            assertThat(event.quantities().available()).isEqualTo(7);
            assertThat(event.data()).containsEntry("reservationId", "checkout-42").containsEntry("quantity", 3L);
            Await.until("outbox marked", KafkaBroker.WAIT, () -> outbox.unpublished().isEmpty());
            assertThat(relay.oldestUnpublishedAge()).isEmpty();
            assertThat(relay.publishedCount()).isEqualTo(2);
        }
    }

    @Test
    void aRelayKilledAfterPublishingAndBeforeMarkingCausesDuplicatesNeverALoss() throws Exception {
        String topic = KafkaBroker.createTopic("relay-crash", 3);
        for (int i = 0; i < 12; i++) {
            inventory.stock().receive(Sku.of("SKU-" + (i % 4)), WH, 1 + i);
        }
        Set<UUID> all = outbox.records().stream().map(OutboxRecord::id).collect(Collectors.toSet());
        assertThat(all).hasSize(12);

        OutboxRelay first = relay(topic).batchSize(5).build();
        outbox.crashAfterNextPublish();
        assertThatThrownBy(first::relayOnce).isInstanceOf(TestOutbox.SimulatedCrash.class);
        first.close(); // the dead process: its producer is gone, nothing was marked
        List<ConsumerRecord<byte[], byte[]>> afterCrash = Topics.readAll(topic, 5, KafkaBroker.WAIT);
        Set<UUID> crashedBatch = ids(afterCrash);
        assertThat(crashedBatch).hasSize(5);
        assertThat(outbox.unpublished()).isEqualTo(all);

        try (OutboxRelay second = relay(topic).batchSize(5).build()) {
            while (second.relayOnce() > 0) {
                // drain
            }
        }
        assertThat(outbox.unpublished()).isEmpty();
        List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(topic, 17, KafkaBroker.WAIT);
        Map<UUID, Long> copies = records.stream().collect(Collectors.groupingBy(RelayFixtures::eventId,
                Collectors.counting()));
        assertThat(copies.keySet()).isEqualTo(all); // nothing lost
        assertThat(records).hasSize(17);
        copies.forEach((id, n) -> assertThat(n).as("copies of %s", id).isEqualTo(crashedBatch.contains(id) ? 2 : 1));
    }

    @Test
    void twoBackgroundRelaysPublishEveryEventOnceInPerKeyOrderAndPurgeAfterRetention() throws Exception {
        String topic = KafkaBroker.createTopic("relay-order", 3);
        int events = 0;
        for (int round = 0; round < 8; round++) {
            for (int s = 0; s < 10; s++) {
                inventory.stock().receive(Sku.of("SKU-" + s), WH, 1);
                events++;
            }
        }
        // two relays on one source, as two application instances would run them
        try (OutboxRelay relay = relay(topic).batchSize(7).retention(Duration.ZERO)
                .purge(Duration.ofMillis(50), 10).name("relay-a").build();
                OutboxRelay other = relay(topic).batchSize(5).name("relay-b").build()) {
            relay.start();
            other.start();
            List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(topic, events, KafkaBroker.WAIT);
            assertThat(records).hasSize(events);
            assertThat(ids(records)).hasSize(events);
            Map<String, Integer> partitionOfKey = RelayFixtures.assertVersionOrderPerKey(records);
            assertThat(new HashSet<>(partitionOfKey.values())).as("keys spread over partitions").hasSizeGreaterThan(1);
            Await.until("published rows purged", KafkaBroker.WAIT, () -> outbox.records().isEmpty());
            assertThat(relay.publishedCount() + other.publishedCount()).isEqualTo(events);
            assertThat(relay.oldestUnpublishedAge()).isEmpty();
        }
    }

    @Test
    void aKeyStopsAtItsFirstUnacknowledgedRecordWhileOtherKeysGoOn() throws Exception {
        String topic = KafkaBroker.createTopic("relay-fail", 1);
        Instant now = Instant.now();
        OutboxRecord big = record("A:WH-1", 1, "x".repeat(4_000), now);
        OutboxRecord afterBig = record("A:WH-1", 2, "{\"small\":true}", now);
        OutboxRecord other = record("B:WH-1", 1, "{\"small\":true}", now);
        outbox.add(big);
        outbox.add(afterBig);
        outbox.add(other);
        // the producer refuses records over 2000 bytes: the first of key A fails
        try (OutboxRelay relay = relay(topic).producerProperty("max.request.size", 2_000).build()) {
            assertThat(relay.relayOnce()).isEqualTo(1);
            assertThat(relay.failedRounds()).isEqualTo(1);
        }
        assertThat(outbox.unpublished()).containsExactlyInAnyOrder(big.id(), afterBig.id());
        List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(topic, 1, KafkaBroker.WAIT);
        assertThat(ids(records)).containsExactly(other.id());
        assertThat(outbox.oldestUnpublished()).contains(now);
    }

    @Test
    void theRelayInsistsOnAnIdempotentProducerThatWaitsForAllReplicas() {
        assertThatThrownBy(() -> relay("t").producerProperty("acks", "1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks").hasMessageContaining("1");
        assertThatThrownBy(() -> relay("t").producerProperty("enable.idempotence", false).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.idempotence");
        assertThatThrownBy(() -> OutboxRelay.builder(outbox).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> relay("t").batchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be between 1 and 10000, was 0");
        Map<String, Object> config = ClientConfigs.producer(Map.of("bootstrap.servers", "x:1"), "c");
        assertThat(config).containsEntry("enable.idempotence", "true").containsEntry("acks", "all");
    }

    private static OutboxRecord record(String key, long version, String payload, Instant at) {
        return new OutboxRecord(UUID.randomUUID(), "inventory", key, "inventory.restocked", payload, version, at, 0);
    }
}
