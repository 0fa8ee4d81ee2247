package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.Transition;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Holds over SKUs served by different masters: what the contract suite cannot aim at on purpose. */
class RedisClusterProtocolTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration HOLD = Duration.ofMinutes(15);
    private static final LocationId WH = LocationId.of("WH1");

    private TestRedis.Cluster cluster;
    private String prefix;
    private RedisInventoryStore store;
    private List<Sku> skus;

    @BeforeEach
    void setUp() {
        cluster = TestRedis.cluster();
        prefix = TestRedis.newPrefix();
        store = RedisInventoryStore.builder(cluster.client).keyPrefix(prefix).build();
        skus = cluster.skusOnDifferentMasters("proto", 3);
        for (Sku sku : skus) {
            store.apply(new StockCommand.Receive(sku, WH, 10, Origin.NONE), NOW);
        }
    }

    @AfterEach
    void tearDown() {
        cluster.deleteKeys(prefix);
    }

    @Test
    void concurrentRetriesOfOneHoldOverThreeMastersHoldItOnce() throws Exception {
        Reservation r = hold("same", NOW, 1, 2, 3);
        List<ReservationResult> results = race(16, i -> store.reserve(r, NOW).value());
        assertThat(results).filteredOn(x -> x instanceof ReservationResult.Success).hasSize(1);
        assertThat(results).allMatch(ReservationResult::isSuccess);
        assertThat(reserved()).containsExactly(1L, 2L, 3L);
        assertThat(store.reservation(r.id()).orElseThrow().status()).isEqualTo(ReservationStatus.ACTIVE);
    }

    @Test
    void oneIdReservedWithOtherLinesAtOnceNeverHoldsTwice() throws Exception {
        List<Object> outcomes = race(12, i -> {
            Reservation r = i % 2 == 0 ? hold("contested", NOW, 1, 1, 0) : hold("contested", NOW, 0, 0, 2);
            try {
                return store.reserve(r, NOW).value();
            } catch (InventoryStoreException e) {
                assertThat(e.isRetrySafe()).isTrue();
                return e;
            }
        });
        Reservation winner = store.reservation(ReservationId.of("contested")).orElseThrow();
        long held = reserved().stream().mapToLong(Long::longValue).sum();
        assertThat(held).as("stock held by the one hold").isEqualTo(winner.totalQuantity());
        assertThat(outcomes).filteredOn(o -> o instanceof ReservationResult.Success).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof ReservationResult.IdConflict).allSatisfy(
                o -> assertThat(((ReservationResult.IdConflict) o).existing().lines()).isEqualTo(winner.lines()));
    }

    @Test
    void anAttemptThatSleptThroughSeveralTakeoversNeverHoldsAgain() throws Exception {
        // each of t1..t3 stops right after claiming the id, as a slow or paused process would
        Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();
        Map<String, CountDownLatch> release = new ConcurrentHashMap<>();
        for (String t : List.of("t1", "t2", "t3")) {
            arrived.put(t, new CountDownLatch(1));
            release.put(t, new CountDownLatch(1));
        }
        RedisInventoryStore paused = RedisInventoryStore.builder(cluster.client).keyPrefix(prefix)
                .stepHook((step, id) -> {
                    String name = Thread.currentThread().getName();
                    if (step.equals("claim") && arrived.containsKey(name) && arrived.get(name).getCount() > 0) {
                        arrived.get(name).countDown();
                        await(release.get(name));
                    }
                }).build();
        Reservation single = hold("stale", NOW, 0, 0, 2);
        Reservation pair = hold("stale", NOW, 1, 1, 0);
        List<Future<ReservationResult>> stopped = new ArrayList<>();
        ExecutorService[] threads = new ExecutorService[3];
        // t1 claims for one line, t2 takes the id over for two, t3 takes it back for the one line
        Reservation[] asks = {single, pair, single};
        for (int i = 0; i < 3; i++) {
            String name = "t" + (i + 1);
            threads[i] = Executors.newSingleThreadExecutor(task -> new Thread(task, name));
            Reservation ask = asks[i];
            stopped.add(threads[i].submit(() -> paused.reserve(ask, NOW).value()));
            assertThat(arrived.get(name).await(30, TimeUnit.SECONDS)).as(name + " claimed").isTrue();
        }
        try {
            // a fourth call takes the id for the two lines again and completes: its fence over the one
            // line's anchor replaces t2's, which must still stop t1
            assertThat(store.reserve(pair, NOW).value()).isInstanceOf(ReservationResult.Success.class);
            release.values().forEach(CountDownLatch::countDown);
            List<ReservationResult> late = new ArrayList<>();
            for (Future<ReservationResult> f : stopped) {
                late.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(late.get(0)).isInstanceOf(ReservationResult.IdConflict.class);
            assertThat(late.get(1)).isInstanceOf(ReservationResult.Replayed.class);
            assertThat(late.get(2)).isInstanceOf(ReservationResult.IdConflict.class);
            assertThat(reserved()).as("only the two-line hold holds stock").containsExactly(1L, 1L, 0L);
            assertThat(store.reservation(pair.id()).orElseThrow().lines()).isEqualTo(pair.lines());
        } finally {
            release.values().forEach(CountDownLatch::countDown);
            for (ExecutorService t : threads) {
                t.shutdownNow();
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDueHoldFoundWhereItIsNotAnchoredExpiresThroughItsAnchor() {
        Reservation old = hold("old", NOW, 4, 6, 0);
        assertThat(store.reserve(old, NOW).value()).isInstanceOf(ReservationResult.Success.class);
        Instant later = NOW.plus(HOLD);
        // the second SKU's part is not the anchor: only the anchor may decide the hold expired
        var fresh = store.reserve(hold("fresh", later, 0, 10, 0), later);
        assertThat(fresh.value()).isInstanceOf(ReservationResult.Success.class);
        assertThat(store.reservation(old.id()).orElseThrow().status()).isEqualTo(ReservationStatus.EXPIRED);
        assertThat(reserved()).containsExactly(0L, 10L, 0L);
        assertThat(fresh.events()).extracting(InventoryEvent::type)
                .contains(EventType.EXPIRED, EventType.RESERVED);
    }

    @Test
    void aHoldOverThreeMastersGoesThroughEveryTransitionEverywhere() {
        Reservation r = hold("full", NOW, 1, 2, 3);
        assertThat(store.reserve(r, NOW).value()).isInstanceOf(ReservationResult.Success.class);
        var pending = store.transition(r.id(), Transition.START_PAYMENT, NOW.plusSeconds(1), Duration.ofMinutes(5));
        assertThat(pending.value().reservation().orElseThrow().expiresAt()).isEqualTo(NOW.plus(HOLD).plusSeconds(300));
        assertThat(pending.events()).hasSize(3);
        // past the first expiry, the pending hold is not due anywhere
        assertThat(store.expireDue(NOW.plus(HOLD).plusSeconds(1), 100).value()).isEmpty();
        assertThat(store.transition(r.id(), Transition.CONFIRM, NOW.plus(HOLD).plusSeconds(2), Duration.ZERO).value())
                .isInstanceOf(ReservationResult.Success.class);
        assertThat(store.transition(r.id(), Transition.FULFIL, NOW.plus(HOLD).plusSeconds(3), Duration.ZERO).value())
                .isInstanceOf(ReservationResult.Success.class);
        for (int i = 0; i < 3; i++) {
            StockLevel level = store.level(skus.get(i), WH).orElseThrow();
            assertThat(new long[] {level.onHand(), level.allocated(), level.reserved()}).containsExactly(9 - i, 0, 0);
            assertThat(store.ledger(skus.get(i), WH)).extracting(LedgerEntry::kind)
                    .containsExactly(LedgerEntry.Kind.RECEIPT, LedgerEntry.Kind.FULFILMENT);
        }
        assertThat(store.reservation(r.id()).orElseThrow().status()).isEqualTo(ReservationStatus.FULFILLED);
    }

    @Test
    void aShortLineOnTheLastMasterHoldsNothingAndEmitsNothing() {
        var result = store.reserve(hold("short", NOW, 1, 1, 11), NOW);
        assertThat(result.value()).isInstanceOf(ReservationResult.InsufficientStock.class);
        assertThat(((ReservationResult.InsufficientStock) result.value()).line().sku()).isEqualTo(skus.get(2));
        assertThat(result.events()).isEmpty();
        assertThat(reserved()).containsExactly(0L, 0L, 0L);
        assertThat(store.reservation(ReservationId.of("short"))).isEmpty();
        // and the id is free for other lines
        assertThat(store.reserve(hold("short", NOW, 0, 0, 10), NOW).value()).isInstanceOf(ReservationResult.Success.class);
    }

    private List<Long> reserved() {
        List<Long> out = new ArrayList<>();
        for (Sku sku : skus) {
            out.add(store.level(sku, WH).orElseThrow().reserved());
        }
        return out;
    }

    private Reservation hold(String id, Instant at, long... quantities) {
        List<ReservationLine> lines = new ArrayList<>();
        for (int i = 0; i < quantities.length; i++) {
            if (quantities[i] > 0) {
                lines.add(new ReservationLine(skus.get(i), WH, quantities[i]));
            }
        }
        return new Reservation(ReservationId.of(id), lines, Optional.empty(), Optional.empty(), Optional.empty(),
                ReservationStatus.ACTIVE, at, at.plus(HOLD), at);
    }

    private static <T> List<T> race(int threads, java.util.function.IntFunction<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
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
