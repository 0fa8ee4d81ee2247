package dev.inventory.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.AvailabilityStatus;
import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ProductAvailability;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.contract.Await;
import dev.inventory.core.spi.AvailabilityCache;
import dev.inventory.core.spi.OutboxSource.OutboxRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The read side fed through the real relay and broker, compared with what the inventory itself says. */
@ExtendWith(KafkaBroker.class)
class AvailabilityProjectionKafkaTest {
    private static final Sku TEE = Sku.of("TEE-M");
    private static final Sku CAP = Sku.of("CAP");
    private static final LocationId BERLIN = LocationId.of("WH-BERLIN");
    private static final LocationId PARIS = LocationId.of("WH-PARIS");

    @Test
    void theProjectionFollowsTheInventoryThroughKafkaDespiteDuplicatesAndFeedsTheCache() throws Exception {
        String topic = KafkaBroker.createTopic("projection", 3);
        TestOutbox outbox = new TestOutbox();
        MapCache cache = new MapCache();
        try (Inventory inventory = Inventory.builder().withoutSweeper().listener(outbox).lowStockThreshold(3)
                .region(BERLIN, "de").region(PARIS, "fr").build();
                OutboxRelay relay = OutboxRelay.builder(outbox).bootstrapServers(KafkaBroker.bootstrapServers())
                        .topic(topic).batchSize(4).pollInterval(Duration.ofMillis(20)).build();
                AvailabilityProjection projection = AvailabilityProjection.builder()
                        .bootstrapServers(KafkaBroker.bootstrapServers()).topic(topic).lowStockThreshold(3)
                        .region(BERLIN, "de").region(PARIS, "fr").cache(cache)
                        .pollTimeout(Duration.ofMillis(100)).build()) {
            inventory.stock().receive(TEE, BERLIN, 10);
            inventory.stock().receive(TEE, PARIS, 4);
            inventory.stock().receive(CAP, BERLIN, 2);
            inventory.reservations().reserve(ReservationRequest.builder("c-1").line(TEE, BERLIN, 3).build());
            inventory.reservations().confirm(ReservationId.of("c-1"));
            inventory.reservations().reserve(ReservationRequest.builder("c-2").line(CAP, BERLIN, 2).build());
            inventory.stock().transferOut(TEE, PARIS, BERLIN, 2);
            inventory.stock().markDamaged(TEE, BERLIN, 1);

            // a relay crash after publishing sends part of the stream twice
            outbox.crashAfterNextPublish();
            assertThatThrownBy(relay::relayOnce).isInstanceOf(TestOutbox.SimulatedCrash.class);
            projection.start();
            relay.start();

            Await.until("projection caught up", KafkaBroker.WAIT,
                    () -> projection.availability(TEE).equals(Optional.of(inventory.availability(TEE)))
                            && projection.availability(CAP).equals(Optional.of(inventory.availability(CAP))));
            ProductAvailability tee = projection.availability(TEE).orElseThrow();
            assertThat(tee.available()).isEqualTo(6 + 2);
            assertThat(tee.byRegion()).isEqualTo(Map.of("de", 6L, "fr", 2L));
            assertThat(tee.incoming()).isEqualTo(2);
            assertThat(tee.status()).isEqualTo(AvailabilityStatus.IN_STOCK);
            assertThat(projection.availability(CAP).orElseThrow().status()).isEqualTo(AvailabilityStatus.OUT_OF_STOCK);
            assertThat(projection.level(TEE, BERLIN).orElseThrow().version())
                    .isEqualTo(inventory.level(TEE, BERLIN).orElseThrow().version());
            Await.until("cache written", KafkaBroker.WAIT, () -> cache.get(TEE).equals(projection.availability(TEE)));
            Await.until("duplicates dropped as stale", KafkaBroker.WAIT, () -> projection.stats().stale() >= 4);

            // later changes keep flowing; an event older than the view is dropped
            OutboxRecord first = outbox.records().isEmpty() ? null : outbox.records().get(0);
            inventory.stock().receive(CAP, BERLIN, 5);
            Await.until("back in stock", KafkaBroker.WAIT,
                    () -> projection.availability(CAP).orElseThrow().available() == 5);
            assertThat(projection.availability(CAP).orElseThrow().message()).isEqualTo("In Stock");
            assertThat(first).isNotNull();
            assertThat(projection.apply(InventoryEventMessage.fromJson(first.payload()))).isEqualTo(Outcome.stale());
            assertThat(projection.availability(TEE)).contains(inventory.availability(TEE));
            assertThat(projection.stats().deadLettered()).isZero();
        }
    }

    @Test
    void withoutBootstrapServersTheProjectionOnlyTakesDirectCalls() {
        try (AvailabilityProjection projection = AvailabilityProjection.builder().build()) {
            assertThat(projection.availability(TEE)).isEmpty();
            assertThatThrownBy(projection::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bootstrapServers");
        }
    }

    /** A display cache in a map. */
    static final class MapCache implements AvailabilityCache {
        final Map<Sku, ProductAvailability> entries = new ConcurrentHashMap<>();

        @Override
        public Optional<ProductAvailability> get(Sku sku) {
            return Optional.ofNullable(entries.get(sku));
        }

        @Override
        public void put(ProductAvailability availability) {
            entries.put(availability.sku(), availability);
        }

        @Override
        public void invalidate(Sku sku) {
            entries.remove(sku);
        }
    }
}
