package dev.inventory.kafka;

import static dev.inventory.kafka.RelayFixtures.assertVersionOrderPerKey;
import static dev.inventory.kafka.RelayFixtures.eventId;
import static dev.inventory.kafka.RelayFixtures.ids;
import static dev.inventory.kafka.RelayFixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.contract.Await;
import dev.inventory.core.event.EventJson;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.OutboxSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's guarantees over a real {@link OutboxSource} (PostgreSQL outbox or Redis journal) and a
 * real broker. A subclass says how to open an inventory on its store, a source on the same data (as
 * another application instance would), how many records the source still keeps, and how to remove
 * only what the test created.
 */
abstract class RealSourceRelayScenarios {
    private static final LocationId WH = LocationId.of("WH-1");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every event the inventory emitted, in the order the changes happened. */
    protected final List<InventoryEvent> events = new CopyOnWriteArrayList<>();
    private Inventory inventory;

    /** Creates this test's schema / key prefix and an inventory on the store, with {@code listener}. */
    protected abstract Inventory openInventory(java.util.function.Consumer<InventoryEvent> listener);

    /** A source over this test's data, as a separate application instance would open it. */
    protected abstract OutboxSource openSource();

    /** How many records (published or not) the source keeps for this test. */
    protected abstract long storedRecords();

    /** Removes only what this test created (its schema / its keys). */
    protected abstract void dropTestData();

    @BeforeEach
    void openStore() {
        inventory = openInventory(events::add);
    }

    @AfterEach
    void closeStore() {
        try {
            if (inventory != null) {
                inventory.close();
            }
        } finally {
            dropTestData();
        }
    }

    @Test
    void reservationsReachAConsumerWithKeyHeadersAndJsonInVersionOrder() throws Exception {
        String topic = KafkaBroker.createTopic("real-basic", 3);
        Sku tee = Sku.of("TEE-M");
        Sku cap = Sku.of("CAP");
        inventory.stock().receive(tee, WH, 10);
        inventory.stock().receive(cap, WH, 4);
        inventory.reservations().reserve(ReservationRequest.builder("checkout-42").line(tee, WH, 3)
                .line(cap, WH, 1).build());
        inventory.reservations().confirm(ReservationId.of("checkout-42"));
        inventory.reservations().reserve(ReservationRequest.builder("checkout-43").line(tee, WH, 2).build());
        inventory.reservations().release(ReservationId.of("checkout-43"));
        assertThat(events).hasSizeGreaterThanOrEqualTo(7);

        OutboxSource source = openSource();
        try (OutboxRelay relay = relay(source, topic).build()) {
            assertThat(relay.oldestUnpublishedAge()).as("age before relaying").isPresent();
            relay.start();
            List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(topic, events.size(), KafkaBroker.WAIT);
            assertThat(records).hasSize(events.size());
            Map<UUID, ConsumerRecord<byte[], byte[]>> byId = records.stream()
                    .collect(Collectors.toMap(r -> eventId(r), Function.identity()));
            for (InventoryEvent event : events) {
                ConsumerRecord<byte[], byte[]> r = byId.get(event.eventId());
                assertThat(r).as("record of %s", event).isNotNull();
                assertThat(Topics.text(r.key())).isEqualTo(event.sku() + ":" + event.locationId());
                assertThat(Topics.header(r, KafkaEvents.HEADER_EVENT_TYPE)).isEqualTo(event.type().wireName());
                assertThat(Topics.header(r, KafkaEvents.HEADER_EVENT_VERSION))
                        .isEqualTo(Long.toString(event.version()));
                assertThat(tree(r.value())).as("payload of %s", event.eventId())
                        .isEqualTo(tree(EventJson.toJson(event).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                assertThat(InventoryEventMessage.fromJson(r.value()).type()).isEqualTo(event.type());
            }
            assertVersionOrderPerKey(records);
            Await.until("every record marked published", KafkaBroker.WAIT,
                    () -> relay.oldestUnpublishedAge().isEmpty());
            assertThat(relay.publishedCount()).isEqualTo(events.size());
        }
    }

    @Test
    void aRelayDyingAfterTheAcknowledgementAndBeforeTheMarksCausesDuplicatesButNoLoss() throws Exception {
        String topic = KafkaBroker.createTopic("real-crash", 3);
        for (int i = 0; i < 12; i++) {
            inventory.stock().receive(Sku.of("SKU-" + (i % 4)), WH, 1 + i);
        }
        Set<UUID> all = events.stream().map(InventoryEvent::eventId).collect(Collectors.toSet());
        assertThat(all).hasSize(12);

        // the dying process: its publisher got the broker's acknowledgements, then the process ends
        // before the source writes a mark (the source sees the publisher fail and marks nothing)
        CrashAfterPublish dying = new CrashAfterPublish(openSource());
        OutboxRelay first = relay(dying, topic).batchSize(5).build();
        assertThatThrownBy(first::relayOnce).isInstanceOf(SimulatedCrash.class);
        first.close();
        Set<UUID> crashedBatch = dying.acknowledged();
        assertThat(crashedBatch).hasSizeBetween(1, 5);
        List<ConsumerRecord<byte[], byte[]>> afterCrash = Topics.readAll(topic, crashedBatch.size(), KafkaBroker.WAIT);
        assertThat(ids(afterCrash)).isEqualTo(crashedBatch);

        // a new instance takes over
        try (OutboxRelay second = relay(openSource(), topic).batchSize(5).build()) {
            assertThat(second.oldestUnpublishedAge()).as("nothing was marked by the dead relay").isPresent();
            int marked = 0;
            int round;
            while ((round = second.relayOnce()) > 0) {
                marked += round;
            }
            assertThat(marked).isEqualTo(12);
            assertThat(second.oldestUnpublishedAge()).isEmpty();
        }
        List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(topic, 12 + crashedBatch.size(),
                KafkaBroker.WAIT);
        Map<UUID, Long> copies = records.stream().collect(Collectors.groupingBy(r -> eventId(r),
                Collectors.counting()));
        assertThat(copies.keySet()).as("nothing lost").isEqualTo(all);
        assertThat(records).hasSize(12 + crashedBatch.size());
        copies.forEach((id, n) -> assertThat(n).as("copies of %s", id).isEqualTo(crashedBatch.contains(id) ? 2 : 1));
        // per key: the dead relay's copies (in order), then the whole key again in order
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = records.stream()
                .collect(Collectors.groupingBy(r -> Topics.text(r.key())));
        assertThat(byKey).hasSize(4);
        byKey.forEach((key, list) -> {
            int copiesFirst = (int) list.stream().filter(r -> crashedBatch.contains(eventId(r))).count() / 2;
            assertVersionOrderPerKey(list.subList(0, copiesFirst));
            assertVersionOrderPerKey(list.subList(copiesFirst, list.size()));
            assertThat(list.subList(copiesFirst, list.size())).as("second pass of %s", key).hasSize(3);
        });
    }

    @Test
    void twoRelaysOnOneSourcePublishEverythingInOrderPerKeyAndPurgeOnlyAfterTheRetention() throws Exception {
        String topic = KafkaBroker.createTopic("real-two", 3);
        for (int round = 0; round < 6; round++) {
            for (int s = 0; s < 10; s++) {
                inventory.stock().receive(Sku.of("SKU-" + s), WH, 2);
            }
        }
        for (int s = 0; s < 10; s++) {
            inventory.reservations().reserve(ReservationRequest.builder("r-" + s).line("SKU-" + s, "WH-1", 1).build());
        }
        int total = events.size();
        assertThat(total).isEqualTo(70);
        assertThat(storedRecords()).isEqualTo(total);

        // two application instances, each with its own source object and relay, default retention (7 days)
        try (OutboxRelay a = relay(openSource(), topic).batchSize(7).name("relay-a").purge(Duration.ofMillis(50), 10)
                .build();
                OutboxRelay b = relay(openSource(), topic).batchSize(5).name("relay-b").purge(Duration.ofMillis(50), 10)
                        .build()) {
            a.start();
            b.start();
            List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(topic, total, KafkaBroker.WAIT);
            assertThat(records).hasSize(total);
            assertThat(ids(records)).isEqualTo(events.stream().map(InventoryEvent::eventId).collect(Collectors.toSet()));
            assertVersionOrderPerKey(records);
            Await.until("every record marked", KafkaBroker.WAIT,
                    () -> a.publishedCount() + b.publishedCount() == total);
            assertThat(a.oldestUnpublishedAge()).isEmpty();
            assertThat(a.purgeOnce()).as("nothing is older than the retention yet").isZero();
        }
        assertThat(storedRecords()).as("published records are kept for the retention").isEqualTo(total);

        // eight days later the same retention purges them
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(8));
        try (OutboxRelay purger = relay(openSource(), topic).clock(later).purge(Duration.ofMillis(50), 25).build()) {
            assertThat(purger.purgeOnce()).isEqualTo(total);
        }
        assertThat(storedRecords()).isZero();
    }

    private static JsonNode tree(byte[] json) throws IOException {
        return JSON.readTree(json);
    }

    /** Thrown where a relay process would have died. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    /**
     * A relay process that dies between the broker's acknowledgement and the marks: the relay's own
     * publisher runs (the broker acknowledges the batch), then this wrapper throws instead of returning
     * the ids, so the source, as the port says, marks nothing (the JDBC transaction rolls back, the
     * Redis entries stay pending in the consumer group).
     */
    static final class CrashAfterPublish implements OutboxSource {
        private final OutboxSource delegate;
        private final Set<UUID> acknowledged = new HashSet<>();

        CrashAfterPublish(OutboxSource delegate) {
            this.delegate = delegate;
        }

        Set<UUID> acknowledged() {
            return Set.copyOf(acknowledged);
        }

        @Override
        public int relay(int limit, Publisher publisher) throws Exception {
            return delegate.relay(limit, records -> {
                Set<UUID> acked = publisher.publish(records);
                acknowledged.addAll(acked);
                throw new SimulatedCrash("relay died after the broker acknowledged " + acked.size()
                        + " records and before marking them");
            });
        }

        @Override
        public Optional<Instant> oldestUnpublished() {
            return delegate.oldestUnpublished();
        }

        @Override
        public int purgePublished(Instant cutoff, int limit) {
            return delegate.purgePublished(cutoff, limit);
        }
    }
}
