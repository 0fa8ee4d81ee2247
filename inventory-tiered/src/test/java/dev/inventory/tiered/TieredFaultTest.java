package dev.inventory.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.inventory.core.InventoryStoreException;
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
import dev.inventory.redis.RedisInventoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Faults with real servers: a Redis process killed and restarted empty, PostgreSQL connections cut. */
class TieredFaultTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void redisRestartedEmptyMidLoadIsRebuiltFromPostgresWithNoUnitSoldTwice() throws Exception {
        TestServers.RedisProcess redis = TestServers.RedisProcess.start();
        try (TieredFixture f = new TieredFixture(redis.client(), TestServers.pg())) {
            Sku a = Sku.of(f.prefix.replace(":", "") + "-A");
            f.store.apply(new StockCommand.Receive(a, TieredFixture.loc("WH1"), 150, Origin.event("po-1")), T0);
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger restarts = new AtomicInteger();
            Set<ReservationId> succeeded = ConcurrentHashMap.newKeySet();
            Set<ReservationId> confirmed = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        int n = attempts.incrementAndGet();
                        if (n == 100) {
                            redis.restartEmpty(); // everything in Redis is gone, mid-load
                            restarts.incrementAndGet();
                        }
                        ReservationId id = ReservationId.of(f.prefix.replace(":", "") + "-t" + thread + "-" + i);
                        Instant now = T0.plusMillis(n);
                        Reservation hold = new Reservation(id, List.of(new ReservationLine(a,
                                TieredFixture.loc("WH1"), 1)), java.util.Optional.empty(), java.util.Optional.empty(),
                                java.util.Optional.empty(), ReservationStatus.ACTIVE, now, now.plus(Duration.ofMinutes(15)),
                                now);
                        try {
                            if (f.store.reserve(hold, now).value() instanceof ReservationResult.Success) {
                                succeeded.add(id);
                                if (i % 2 == 0 && f.store.transition(id, Transition.CONFIRM, now, Duration.ZERO)
                                        .value() instanceof ReservationResult.Success) {
                                    confirmed.add(id);
                                }
                            }
                        } catch (InventoryStoreException | redis.clients.jedis.exceptions.JedisException e) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                fu.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            f.store.loadIfNeeded(T0.plusSeconds(1));

            StockLevel truth = f.store.truth().level(a, TieredFixture.loc("WH1")).orElseThrow();
            StockLevel hot = f.hot.level(a, TieredFixture.loc("WH1")).orElseThrow();
            long lost = succeeded.stream().filter(id -> f.store.truth().reservation(id).isEmpty()).count();
            long lostConfirmed = confirmed.stream().filter(id -> f.store.truth().reservation(id)
                    .map(r -> r.status() != ReservationStatus.CONFIRMED).orElse(true)).count();
            System.out.printf("redis restart mid-load: attempts=%d restarts=%d failed-calls=%d held=%d confirmed=%d"
                    + " lost-holds=%d lost-confirmations=%d truth=%s%n", attempts.get(), restarts.get(),
                    failures.get(), succeeded.size(), confirmed.size(), lost, lostConfirmed, truth);
            assertThat(restarts).hasValue(1);
            assertThat(failures.get()).as("calls during the restart fail with the retry-safe exception").isPositive();
            assertThat(lost).as("holds a caller was told it has, missing from PostgreSQL").isZero();
            assertThat(lostConfirmed).isZero();
            // no unit sold twice: PostgreSQL's holds account for exactly the stock held, within on-hand
            assertThat(truth.allocated()).isEqualTo(confirmed.size());
            long activeInTruth = 0;
            for (int t = 0; t < 4; t++) {
                for (int i = 0; i < 60; i++) {
                    ReservationId id = ReservationId.of(f.prefix.replace(":", "") + "-t" + t + "-" + i);
                    activeInTruth += f.store.truth().reservation(id)
                            .filter(r -> r.status() == ReservationStatus.ACTIVE).isPresent() ? 1 : 0;
                }
            }
            // holds whose call failed after Redis applied it: the retry-safe exception's retry answers
            // Replayed; left alone they expire with the hold duration
            System.out.printf("holds applied but not acknowledged to the caller: %d%n",
                    activeInTruth - (succeeded.size() - confirmed.size()));
            assertThat(activeInTruth).isGreaterThanOrEqualTo(succeeded.size() - confirmed.size());
            assertThat(truth.reserved()).isEqualTo(activeInTruth);
            assertThat(truth.allocated() + truth.reserved()).isLessThanOrEqualTo(truth.onHand());
            // Redis rebuilt: same quantities as the truth, every hold back
            assertThat(TieredReconciler.same(truth, hot)).as("Redis %s equals PostgreSQL %s", hot, truth).isTrue();
            assertThat(new TieredReconciler(f.store, f.jedis).reconcile(false).drifts()).isEmpty();
            for (ReservationId id : succeeded) {
                var inTruth = f.store.truth().reservation(id).map(Reservation::status);
                assertThat(f.store.reservation(id).map(Reservation::status)).isEqualTo(inTruth);
                if (inTruth.orElseThrow() == ReservationStatus.ACTIVE) {
                    assertThat(f.hot.reservation(id).map(Reservation::status)).as("live hold %s back in Redis", id)
                            .contains(ReservationStatus.ACTIVE);
                }
            }
            // the inbound event id came back with the rebuild: a redelivery stays a duplicate
            assertThat(f.store.apply(new StockCommand.Receive(a, TieredFixture.loc("WH1"), 150, Origin.event("po-1")),
                    T0.plusSeconds(2)).value().isApplied()).isFalse();
        } finally {
            redis.stop();
        }
    }

    @Test
    void postgresConnectionCutFailsFastWithRetrySafeExceptionAndTheRetryCompletes() {
        String schema = TestServers.newSchema();
        String prefix = TestServers.newPrefix();
        HikariDataSource cut = TestServers.newPool(TestServers.pgUrl(), 4);
        RedisInventoryStore hot = RedisInventoryStore.builder(TestServers.redis()).keyPrefix(prefix).build();
        try {
            TieredInventoryStore store = TieredInventoryStore.builder().hot(hot).redis(TestServers.redis())
                    .dataSource(cut).schema(schema).build();
            Sku a = Sku.of(prefix.replace(":", "") + "-A");
            store.apply(new StockCommand.Receive(a, TieredFixture.loc("WH1"), 5, Origin.NONE), T0);
            ReservationId id = ReservationId.of(prefix.replace(":", "") + "-h");
            Reservation hold = TieredDrainerTest.hold(id.value(), T0, new ReservationLine(a, TieredFixture.loc("WH1"), 2));

            cut.close(); // every connection to the source of truth is gone
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.reserve(hold, T0)).isInstanceOfSatisfying(InventoryStoreException.class,
                    e -> assertThat(e.isRetrySafe()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThatThrownBy(() -> store.ledger(a, TieredFixture.loc("WH1")))
                    .isInstanceOf(InventoryStoreException.class);

            // PostgreSQL got nothing of the failed call (its transaction never began)
            TieredInventoryStore recovered = TieredInventoryStore.builder().hot(hot).redis(TestServers.redis())
                    .dataSource(TestServers.pg()).schema(schema).build();
            assertThat(recovered.truth().reservation(id)).isEmpty();
            assertThat(recovered.truth().level(a, TieredFixture.loc("WH1")).orElseThrow().reserved()).isZero();
            // the retry completes it on both tiers, exactly once
            assertThat(recovered.reserve(hold, T0).value()).isInstanceOf(ReservationResult.Replayed.class);
            assertThat(recovered.truth().level(a, TieredFixture.loc("WH1")).orElseThrow().reserved()).isEqualTo(2);
            assertThat(recovered.truth().reservation(id).map(Reservation::status)).contains(ReservationStatus.ACTIVE);
            TieredDrainer.builder(recovered, TestServers.redis()).build().drainAll(100);
            assertThat(recovered.truth().level(a, TieredFixture.loc("WH1")).orElseThrow().reserved()).isEqualTo(2);
            assertThat(recovered.level(a, TieredFixture.loc("WH1")).orElseThrow().reserved()).isEqualTo(2);
            recovered.close();
        } finally {
            TestServers.dropSchema(schema);
            TestServers.deleteKeys(TestServers.redis(), prefix);
        }
    }
}
