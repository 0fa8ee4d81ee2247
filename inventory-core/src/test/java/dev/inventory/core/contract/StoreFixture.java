package dev.inventory.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.Transition;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.InventoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every contract test starts from: a store made by the subclass, an inventory over it with a
 * {@link MutableClock}, a listener recording every event, and per-test SKU and hold names. After
 * each test it checks invariants I1-I6 over everything the test touched.
 */
public abstract class StoreFixture {

    /** A new, empty store (or one shared by tests, since every test uses its own SKUs). */
    protected abstract InventoryStore createStore() throws Exception;

    /** Disposes of a store made by {@link #createStore()}; by default closes it. */
    protected void destroyStore(InventoryStore store) throws Exception {
        store.close();
    }
    protected static final Duration HOLD = Duration.ofMinutes(15);
    protected static final Duration EXTENSION = Duration.ofMinutes(5);

    protected MutableClock clock;
    protected InventoryStore store;
    protected Inventory inventory;
    protected final List<InventoryEvent> events = new CopyOnWriteArrayList<>();
    protected final Set<ReservationId> holds = ConcurrentHashMap.newKeySet();
    protected final Set<Sku> skus = ConcurrentHashMap.newKeySet();
    private String prefix;

    @BeforeEach
    protected void setUpStore() throws Exception {
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        store = createStore();
        inventory = Inventory.builder().store(store).clock(clock).holdDuration(HOLD).paymentExtension(EXTENSION)
                .withoutSweeper().listener(events::add).build();
        prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @AfterEach
    protected void tearDownStore() throws Exception {
        try {
            Invariants.check(store, skus, holds, events);
        } finally {
            inventory.sweeper().stop();
            destroyStore(store);
        }
    }

    // ------------------------------------------------------------------ helpers

    protected Sku sku(String name) {
        Sku sku = Sku.of(prefix + name);
        skus.add(sku);
        return sku;
    }

    protected static LocationId loc(String name) {
        return LocationId.of(name);
    }

    protected ReservationId rid(String name) {
        ReservationId id = ReservationId.of(prefix + name);
        holds.add(id);
        return id;
    }

    protected void receive(Sku sku, String location, long quantity) {
        assertThat(inventory.stock().receive(sku, loc(location), quantity).isApplied()).isTrue();
    }

    protected StockLevel level(Sku sku, String location) {
        return inventory.level(sku, loc(location)).orElseThrow(() -> new AssertionError("no level " + sku + "@" + location));
    }

    protected ReservationResult reserve(ReservationId id, Sku sku, String location, long quantity) {
        return inventory.reservations().reserve(ReservationRequest.builder(id).line(sku, loc(location), quantity)
                .cartId("cart-1").build());
    }

    protected static void assertQuantities(StockLevel level, long onHand, long allocated, long reserved, long damaged,
            long available) {
        assertThat(new long[] {level.onHand(), level.allocated(), level.reserved(), level.damaged(), level.available()})
                .as("onHand, allocated, reserved, damaged, available of %s", level)
                .containsExactly(onHand, allocated, reserved, damaged, available);
    }

    protected List<InventoryEvent> eventsOf(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    protected <T> List<T> race(ThreadMode mode, int threads, java.util.function.IntFunction<T> task)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        ExecutorService executor = mode.executor();
        try {
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.apply(n);
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            executor.shutdownNow();
        }
    }

}
