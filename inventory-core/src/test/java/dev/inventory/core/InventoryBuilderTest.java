package dev.inventory.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.contract.MutableClock;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.memory.InMemoryInventoryStore;
import dev.inventory.core.spi.AvailabilityCache;
import dev.inventory.core.spi.InventoryStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InventoryBuilderTest {
    final Sku tee = Sku.of("TEE");
    final LocationId wh1 = LocationId.of("WH1");
    final LocationId wh2 = LocationId.of("WH2");

    @Test
    void builderRejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> Inventory.builder().holdDuration(Duration.ZERO))
                .hasMessage("holdDuration must be positive and at most PT720H, was PT0S");
        assertThatThrownBy(() -> Inventory.builder().paymentExtension(Duration.ofMinutes(-1)))
                .hasMessageContaining("paymentExtension").hasMessageContaining("PT-1M");
        assertThatThrownBy(() -> Inventory.builder().sweeper(Duration.ofSeconds(1), 0))
                .hasMessage("sweepBatchSize must be between 1 and 100000, was 0");
        assertThatThrownBy(() -> Inventory.builder().store(null)).hasMessage("store must not be null");
        assertThatThrownBy(() -> Inventory.builder().region(wh1, "")).hasMessageContaining("region");
    }

    @Test
    void defaultsAreInMemoryWithARunningSweeper() {
        try (Inventory inventory = Inventory.builder().build()) {
            assertThat(inventory.store()).isInstanceOf(InMemoryInventoryStore.class);
            assertThat(inventory.sweeper().isRunning()).isTrue();
        }
    }

    @Test
    void availabilityStatusesMessagesAndRegions() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Inventory inventory = Inventory.builder().clock(clock).withoutSweeper().lowStockThreshold(3)
                .region(wh1, "eu").region(wh2, "us").build()) {
            assertThat(inventory.availability(tee).status()).isEqualTo(AvailabilityStatus.OUT_OF_STOCK);
            assertThat(inventory.availability(tee).message()).isEqualTo("Out of Stock");
            inventory.stock().receive(tee, wh1, 2);
            inventory.stock().receive(tee, wh2, 1);
            ProductAvailability low = inventory.availability(tee);
            assertThat(low.status()).isEqualTo(AvailabilityStatus.LOW_STOCK);
            assertThat(low.message()).isEqualTo("Only 3 left");
            assertThat(low.byRegion()).containsEntry("eu", 2L).containsEntry("us", 1L);
            inventory.stock().receive(tee, wh1, 10);
            assertThat(inventory.availability(tee).status()).isEqualTo(AvailabilityStatus.IN_STOCK);
            assertThat(inventory.availability(tee).message()).isEqualTo("In Stock");
            Sku fresh = Sku.of("NEW");
            inventory.stock().receive(fresh, wh1, 4);
            inventory.stock().transferOut(fresh, wh1, wh2, 4);
            ProductAvailability preorder = inventory.availability(fresh);
            assertThat(preorder.status()).isEqualTo(AvailabilityStatus.PREORDER);
            assertThat(preorder.message()).isEqualTo("Available for pre-order");
        }
    }

    @Test
    void displayCacheServesReadsAndIsInvalidatedOnChange() {
        Map<Sku, ProductAvailability> entries = new HashMap<>();
        List<Sku> invalidated = new ArrayList<>();
        AvailabilityCache cache = new AvailabilityCache() {
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
                invalidated.add(sku);
                entries.remove(sku);
            }
        };
        try (Inventory inventory = Inventory.builder().withoutSweeper().availabilityCache(cache).build()) {
            inventory.stock().receive(tee, wh1, 10);
            assertThat(inventory.availability(tee).available()).isEqualTo(10);
            assertThat(entries).containsKey(tee);
            inventory.reservations().reserve(ReservationRequest.builder("r1").line(tee, wh1, 4).build());
            assertThat(invalidated).contains(tee);
            assertThat(inventory.availability(tee).available()).isEqualTo(6);
        }
    }

    @Test
    void aFailingListenerDoesNotUndoTheChangeNorStarveOtherListeners() {
        List<InventoryEvent> seen = new ArrayList<>();
        try (Inventory inventory = Inventory.builder().withoutSweeper()
                .listener(e -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(seen::add).build()) {
            assertThat(inventory.stock().receive(tee, wh1, 3).isApplied()).isTrue();
            assertThat(seen).hasSize(1);
            assertThat(inventory.level(tee, wh1).orElseThrow().onHand()).isEqualTo(3);
        }
    }

    @Test
    void aStoreFailureReachesTheCallerInsteadOfBeingLogged() {
        // seed defect: "persisted with a fire-and-forget write whose failure is only logged"
        InventoryStore failing = (InventoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {InventoryStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    throw new InventoryStoreException("connection refused", null, true);
                });
        try (Inventory inventory = Inventory.builder().store(failing).withoutSweeper().build()) {
            assertThatThrownBy(() -> inventory.reservations()
                    .reserve(ReservationRequest.builder("r1").line(tee, wh1, 1).build()))
                    .isInstanceOf(InventoryStoreException.class)
                    .satisfies(e -> assertThat(((InventoryStoreException) e).isRetrySafe()).isTrue());
        }
    }

    @Test
    void nullArgumentsAreRejectedNamingTheField() {
        try (Inventory inventory = Inventory.builder().withoutSweeper().build()) {
            assertThatThrownBy(() -> inventory.reservations().confirm(null)).hasMessage("id must not be null");
            assertThatThrownBy(() -> inventory.stock().apply(null)).hasMessage("command must not be null");
            assertThatThrownBy(() -> inventory.availability(null)).hasMessage("sku must not be null");
        }
    }
}
