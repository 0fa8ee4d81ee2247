package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.inventory.core.spi.StoreResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two application instances: two stores, each with its own connection pool, on one schema. Only
 * PostgreSQL's row locks coordinate them.
 */
class PostgresTwoInstancesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final LocationId WH = LocationId.of("WH1");

    private String schema;
    private PostgresInventoryStore first;
    private PostgresInventoryStore second;

    @BeforeEach
    void setUp() {
        schema = TestPostgres.newSchema();
        first = PostgresInventoryStore.builder().jdbcUrl(TestPostgres.jdbcUrl()).maxPoolSize(4).schema(schema).build();
        second = PostgresInventoryStore.builder().jdbcUrl(TestPostgres.jdbcUrl()).maxPoolSize(4).schema(schema).build();
    }

    @AfterEach
    void tearDown() {
        try {
            first.close();
            second.close();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    @Test
    void twoInstancesRacingOnOneSkuSellExactlyTheStock() throws Exception {
        Sku hot = Sku.of("HOT");
        first.apply(new StockCommand.Receive(hot, WH, 30, Origin.NONE), NOW);
        int buyers = 16;
        int attemptsEach = 5;
        List<Integer> sold = race(buyers, b -> {
            PostgresInventoryStore store = b % 2 == 0 ? first : second;
            int won = 0;
            for (int i = 0; i < attemptsEach; i++) {
                var result = store.reserve(hold("b" + b + "-" + i, hot, 1), NOW).value();
                if (result.isSuccess()) {
                    won++;
                } else {
                    assertThat(result).isInstanceOf(ReservationResult.InsufficientStock.class);
                }
            }
            return won;
        });

        assertThat(sold.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
        StockLevel level = second.level(hot, WH).orElseThrow();
        assertThat(level.reserved()).isEqualTo(30);
        assertThat(level.available()).isZero();
        assertThat(level.version()).isEqualTo(31);
        assertThat(outbox("inventory.reserved")).isEqualTo(30);
        assertThat(TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".reservations")).isEqualTo(30);
    }

    @Test
    void multiLineHoldsFromTwoInstancesInOppositeOrdersDoNotDeadlock() throws Exception {
        Sku x = Sku.of("X");
        Sku y = Sku.of("Y");
        first.apply(new StockCommand.Receive(x, WH, 200, Origin.NONE), NOW);
        first.apply(new StockCommand.Receive(y, WH, 200, Origin.NONE), NOW);
        List<Integer> held = race(8, b -> {
            PostgresInventoryStore store = b % 2 == 0 ? first : second;
            int won = 0;
            for (int i = 0; i < 10; i++) {
                // the caller's order differs by thread; the store locks in one canonical order anyway
                List<ReservationLine> lines = b % 2 == 0
                        ? List.of(new ReservationLine(x, WH, 1), new ReservationLine(y, WH, 2))
                        : List.of(new ReservationLine(y, WH, 2), new ReservationLine(x, WH, 1));
                if (store.reserve(hold("m" + b + "-" + i, lines), NOW).value().isSuccess()) {
                    won++;
                }
            }
            return won;
        });
        assertThat(held.stream().mapToInt(Integer::intValue).sum()).isEqualTo(80);
        assertThat(first.level(x, WH).orElseThrow().reserved()).isEqualTo(80);
        assertThat(first.level(y, WH).orElseThrow().reserved()).isEqualTo(160);
    }

    @Test
    void sweepersOfTwoInstancesExpireEachDueHoldExactlyOnce() throws Exception {
        Sku sku = Sku.of("SWEEP");
        first.apply(new StockCommand.Receive(sku, WH, 120, Origin.NONE), NOW);
        for (int i = 0; i < 120; i++) {
            assertThat(first.reserve(hold("s" + i, sku, 1), NOW).value().isSuccess()).isTrue();
        }
        Instant later = NOW.plus(Duration.ofMinutes(16));
        List<Integer> expired = race(6, s -> {
            PostgresInventoryStore store = s % 2 == 0 ? first : second;
            int total = 0;
            while (true) {
                StoreResult<List<Reservation>> batch = store.expireDue(later, 7);
                total += batch.value().size();
                if (batch.value().isEmpty()) {
                    return total;
                }
            }
        });
        assertThat(expired.stream().mapToInt(Integer::intValue).sum()).isEqualTo(120);
        assertThat(outbox("inventory.expired")).isEqualTo(120);
        StockLevel level = first.level(sku, WH).orElseThrow();
        assertThat(level.reserved()).isZero();
        assertThat(level.version()).isEqualTo(1 + 120 + 120);
    }

    @Test
    void confirmAndReleaseOfOneHoldFromTwoInstancesLetExactlyOneWin() throws Exception {
        Sku sku = Sku.of("DUEL");
        first.apply(new StockCommand.Receive(sku, WH, 50, Origin.NONE), NOW);
        for (int n = 0; n < 10; n++) {
            ReservationId id = ReservationId.of("d" + n);
            first.reserve(hold(id.value(), sku, 2), NOW);
            List<ReservationResult> results = race(2, i -> (i == 0 ? first : second)
                    .transition(id, i == 0 ? Transition.CONFIRM : Transition.RELEASE, NOW, Duration.ZERO).value());
            assertThat(results).filteredOn(r -> r instanceof ReservationResult.Success).hasSize(1);
            assertThat(results).filteredOn(r -> r instanceof ReservationResult.IllegalTransition).hasSize(1);
        }
        StockLevel level = second.level(sku, WH).orElseThrow();
        assertThat(level.reserved()).isZero();
        assertThat(level.allocated() + level.available()).isEqualTo(50);
    }

    // ------------------------------------------------------------------ helpers

    private long outbox(String type) {
        return TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".outbox WHERE type = ?", type);
    }

    private static Reservation hold(String id, Sku sku, long quantity) {
        return hold(id, List.of(new ReservationLine(sku, WH, quantity)));
    }

    private static Reservation hold(String id, List<ReservationLine> lines) {
        return new Reservation(ReservationId.of(id), lines, Optional.empty(), Optional.empty(), Optional.empty(),
                ReservationStatus.ACTIVE, NOW, NOW.plus(Duration.ofMinutes(15)), NOW);
    }

    private static <T> List<T> race(int threads, IntFunction<T> task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
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
