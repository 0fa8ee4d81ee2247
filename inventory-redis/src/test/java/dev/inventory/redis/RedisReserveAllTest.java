package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.StoreResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@link RedisInventoryStore#reserveAll}: the same outcomes as one reserve after another (short lines,
 * idempotency, lazy expiry, no oversell under concurrency), on one node and on the cluster; and the
 * batching of concurrent single calls under fan-out.
 */
class RedisReserveAllTest {
    private static final LocationId WH = LocationId.of("WH1");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final String prefix = TestRedis.newPrefix();
    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() {
        cleanup.forEach(Runnable::run);
    }

    private RedisInventoryStore single() {
        cleanup.add(() -> TestRedis.single().deleteKeys(prefix));
        return RedisInventoryStore.builder(TestRedis.single().client).keyPrefix(prefix).build();
    }

    private RedisInventoryStore cluster() {
        TestRedis.Cluster c = TestRedis.cluster();
        cleanup.add(() -> c.deleteKeys(prefix));
        return RedisInventoryStore.builder(c.client).keyPrefix(prefix).build();
    }

    private static void receive(RedisInventoryStore store, String sku, long q) {
        store.apply(new StockCommand.Receive(Sku.of(sku), WH, q, dev.inventory.core.Origin.NONE), T0);
    }

    private static Reservation hold(String id, Duration duration, String... skuQty) {
        List<ReservationLine> lines = new ArrayList<>();
        for (int i = 0; i < skuQty.length; i += 2) {
            lines.add(new ReservationLine(Sku.of(skuQty[i]), WH, Long.parseLong(skuQty[i + 1])));
        }
        return new Reservation(ReservationId.of(id), lines, Optional.of("cart-" + id), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, T0, T0.plus(duration), T0);
    }

    private static Reservation hold(String id, String... skuQty) {
        return hold(id, Duration.ofMinutes(15), skuQty);
    }

    private static StockLevel level(RedisInventoryStore store, String sku) {
        return store.level(Sku.of(sku), WH).orElseThrow();
    }

    @Test
    void holdsEachInListOrderAndNamesTheShortLineOfEachShortOne() {
        outcomesInListOrder(single());
    }

    @Test
    void onTheClusterHoldsOneByOneWithTheSameOutcomes() {
        outcomesInListOrder(cluster());
    }

    private void outcomesInListOrder(RedisInventoryStore store) {
        receive(store, "A", 3);
        receive(store, "B", 10);
        List<StoreResult<ReservationResult>> results = store.reserveAll(List.of(hold("r1", "A", "2"),
                hold("r2", "A", "2"), hold("r3", "B", "5", "A", "1"), hold("r4", "A", "1"), hold("r5", "B", "5")), T0);

        assertThat(results).extracting(r -> r.value().getClass().getSimpleName()).containsExactly("Success",
                "InsufficientStock", "Success", "InsufficientStock", "Success");
        var r2 = (ReservationResult.InsufficientStock) results.get(1).value();
        assertThat(r2.available()).isEqualTo(1);
        assertThat(r2.line().sku()).isEqualTo(Sku.of("A"));
        var r4 = (ReservationResult.InsufficientStock) results.get(3).value();
        assertThat(r4.available()).isZero();
        assertThat(results.get(1).events()).isEmpty();

        // what each success answers is what the store keeps
        for (int i : new int[] {0, 2, 4}) {
            Reservation made = ((ReservationResult.Success) results.get(i).value()).value();
            assertThat(store.reservation(made.id())).contains(made);
            assertThat(made.cartId()).contains("cart-" + made.id().value());
            assertThat(made.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        }
        assertThat(level(store, "A").reserved()).isEqualTo(3);
        assertThat(level(store, "B").reserved()).isEqualTo(10);

        // every success carries its reserved events (and A's out-of-stock), with the level after it
        List<InventoryEvent> r3 = results.get(2).events();
        assertThat(r3).filteredOn(e -> e instanceof InventoryEvent.Reserved).hasSize(2);
        assertThat(r3).anySatisfy(e -> {
            assertThat(e).isInstanceOf(InventoryEvent.OutOfStock.class);
            assertThat(e.sku()).isEqualTo(Sku.of("A"));
        });
        Set<java.util.UUID> ids = new HashSet<>();
        long lastVersionOfB = 0;
        for (StoreResult<ReservationResult> r : results) {
            for (InventoryEvent e : r.events()) {
                assertThat(ids.add(e.eventId())).isTrue();
                if (e.sku().equals(Sku.of("B")) && e instanceof InventoryEvent.Reserved) {
                    assertThat(e.level().version()).isGreaterThan(lastVersionOfB);
                    lastVersionOfB = e.level().version();
                }
            }
        }
        assertThat(lastVersionOfB).isEqualTo(level(store, "B").version());
    }

    @Test
    void isIdempotentAcrossCallsAndWithinOneList() {
        idempotent(single());
    }

    @Test
    void isIdempotentOnTheCluster() {
        idempotent(cluster());
    }

    private void idempotent(RedisInventoryStore store) {
        receive(store, "A", 5);
        receive(store, "B", 5);
        List<Reservation> list = List.of(hold("x", "A", "1"), hold("x", "A", "1"), hold("x", "B", "1"),
                hold("y", "A", "9"), hold("z", "B", "2"));
        List<StoreResult<ReservationResult>> first = store.reserveAll(list, T0);
        assertThat(first).extracting(r -> r.value().getClass().getSimpleName()).containsExactly("Success",
                "Replayed", "IdConflict", "InsufficientStock", "Success");
        assertThat(first.get(1).events()).isEmpty();

        List<StoreResult<ReservationResult>> again = store.reserveAll(list, T0.plusSeconds(1));
        assertThat(again).extracting(r -> r.value().getClass().getSimpleName()).containsExactly("Replayed",
                "Replayed", "IdConflict", "InsufficientStock", "Replayed");
        assertThat(level(store, "A").reserved()).isEqualTo(1);
        assertThat(level(store, "B").reserved()).isEqualTo(2);
        assertThat(store.reserveAll(List.of(), T0)).isEmpty();
    }

    @Test
    void aDueHoldOnAShortLevelIsExpiredLazilyWithinTheBatch() {
        RedisInventoryStore store = single();
        receive(store, "A", 2);
        assertThat(store.reserve(hold("old", Duration.ofMinutes(1), "A", "2"), T0).value().isSuccess()).isTrue();
        Instant later = T0.plus(Duration.ofMinutes(5));
        List<StoreResult<ReservationResult>> results = store.reserveAll(List.of(hold("n1", "A", "1"),
                hold("n2", "A", "1"), hold("n3", "A", "1")), later);
        assertThat(results).extracting(r -> r.value().getClass().getSimpleName()).containsExactly("Success",
                "Success", "InsufficientStock");
        assertThat(results.get(0).events()).anySatisfy(e -> assertThat(e).isInstanceOf(InventoryEvent.Expired.class));
        assertThat(store.reservation(ReservationId.of("old")).orElseThrow().status())
                .isEqualTo(ReservationStatus.EXPIRED);
        assertThat(level(store, "A").reserved()).isEqualTo(2);
    }

    @Test
    void concurrentListsAndSingleCallsNeverOversell() throws Exception {
        RedisInventoryStore store = single();
        receive(store, "DROP", 150);
        AtomicInteger held = new AtomicInteger();
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int n = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    List<Reservation> list = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        list.add(hold("t" + n + "-" + i, "DROP", "1"));
                    }
                    for (StoreResult<ReservationResult> r : store.reserveAll(list, T0)) {
                        if (r.value().isSuccess()) {
                            held.incrementAndGet();
                        }
                    }
                    for (int i = 0; i < 10; i++) {
                        if (store.reserve(hold("s" + n + "-" + i, "DROP", "1"), T0).value().isSuccess()) {
                            held.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        assertThat(held.get()).isEqualTo(150);
        StockLevel l = level(store, "DROP");
        assertThat(l.reserved()).isEqualTo(150);
        assertThat(l.available()).isZero();
    }

    @Test
    void thousandsOfConcurrentBuyersShareBatchesAndBuyExactlyTheStock() throws Exception {
        for (int batches : new int[] {4, 0}) {
            String p = TestRedis.newPrefix();
            cleanup.add(() -> TestRedis.single().deleteKeys(p));
            UnifiedJedis jedis = TestRedis.single().client;
            RedisInventoryStore store = RedisInventoryStore.builder(jedis).keyPrefix(p).concurrentBatches(batches)
                    .build();
            receive(store, "HOT", 100);
            try (Inventory inventory = Inventory.builder().store(store).withoutSweeper().build()) {
                int buyers = 3_000;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<ReservationResult>> futures = new ArrayList<>(buyers);
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < buyers; i++) {
                        String id = "buyer-" + i;
                        futures.add(pool.submit(() -> {
                            go.await();
                            var result = inventory.reservations().reserve(
                                    dev.inventory.core.ReservationRequest.builder(id).line("HOT", "WH1", 1).build());
                            if (result.isSuccess()) {
                                // a few transitions ride along in their own batches
                                inventory.reservations().confirm(ReservationId.of(id));
                            }
                            return result;
                        }));
                    }
                    go.countDown();
                    int sold = 0;
                    for (Future<ReservationResult> f : futures) {
                        if (f.get(120, TimeUnit.SECONDS).isSuccess()) {
                            sold++;
                        }
                    }
                    assertThat(sold).as("batches %d", batches).isEqualTo(100);
                }
                StockLevel l = inventory.level(Sku.of("HOT"), WH).orElseThrow();
                assertThat(l.allocated()).isEqualTo(100);
                assertThat(l.reserved()).isZero();
            }
        }
    }

    @Test
    void rejectsNullsAndALimitOutOfRange() {
        RedisInventoryStore store = single();
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> store.reserveAll(null, T0))
                .withMessageContaining("reservations");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> store.reserveAll(List.of(hold("a", "A", "1")), null)).withMessageContaining("now");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> RedisInventoryStore.builder(TestRedis.single().client).concurrentBatches(-1))
                .withMessageContaining("concurrentBatches");
    }
}
