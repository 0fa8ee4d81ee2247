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
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.StockResult;
import dev.inventory.core.contract.Await;
import dev.inventory.core.contract.Invariants;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
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
    /** How long a caller in these tests repeats a retry-safe failure. */
    private static final Duration RETRY_FOR = Duration.ofSeconds(60);

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
            ExecutorService pool = Executors.newFixedThreadPool(5);
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
                                // a checkout confirms as a real caller does: a retry-safe failure is repeated
                                // (the confirm may have been applied before it failed; the repeat says Replayed)
                                if (i % 2 == 0 && confirmRetrying(f, id, now, failures)) {
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
            // a warehouse feed: 40 receipts of one unit, each with its event id, repeated on a retry-safe
            // failure until applied (or a duplicate: an earlier attempt got through)
            AtomicInteger receiptRetries = new AtomicInteger();
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    StockCommand receive = new StockCommand.Receive(a, TieredFixture.loc("WH1"), 1,
                            Origin.event("rcv-" + i));
                    long giveUp = System.nanoTime() + RETRY_FOR.toNanos();
                    while (true) {
                        try {
                            f.store.apply(receive, T0.plusMillis(1000 + i));
                            break;
                        } catch (InventoryStoreException | redis.clients.jedis.exceptions.JedisException e) {
                            if (e instanceof InventoryStoreException ise && !ise.isRetrySafe()
                                    || System.nanoTime() > giveUp) {
                                throw e;
                            }
                            receiptRetries.incrementAndGet();
                            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                        }
                    }
                }
                return null;
            }));
            for (Future<?> fu : futures) {
                fu.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            f.store.loadIfNeeded(T0.plusSeconds(1));
            // every receipt exactly once: none lost in the restart, none applied twice by a repeat
            System.out.printf("receipts during the restart: 40, retried calls=%d%n", receiptRetries.get());
            assertThat(f.store.truth().level(a, TieredFixture.loc("WH1")).orElseThrow().onHand()).isEqualTo(190);
            assertThat(f.store.truth().ledger(a, TieredFixture.loc("WH1"))).hasSize(41)
                    .extracting(e -> e.eventId().orElseThrow()).doesNotHaveDuplicates();
            assertThat(f.store.truth().ledger(a, TieredFixture.loc("WH1")).stream().mapToLong(LedgerEntry::delta).sum())
                    .isEqualTo(190);

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
            assertThat(f.store.apply(new StockCommand.Receive(a, TieredFixture.loc("WH1"), 1, Origin.event("rcv-7")),
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

    @Test
    void postgresBackendTerminatedMidCopyLeavesNothingHalfAppliedAndEachChangeLandsExactlyOnce() throws Exception {
        String app = "tiered_cut_" + UUID.randomUUID().toString().substring(0, 8);
        String url = TestServers.pgUrl();
        HikariDataSource pool = TestServers.newPool(url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + app, 4);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (TieredFixture f = new TieredFixture(TestServers.redis(), pool)) {
            String p = f.prefix.replace(":", "");
            Sku a = Sku.of(p + "-A");
            Sku b = Sku.of(p + "-B");
            LocationId wh = TieredFixture.loc("WH1");
            f.store.apply(new StockCommand.Receive(a, wh, 10, Origin.NONE), T0);
            f.store.apply(new StockCommand.Receive(b, wh, 10, Origin.NONE), T0);
            ReservationId id = ReservationId.of(p + "-h");
            Reservation hold = TieredDrainerTest.hold(id.value(), T0, new ReservationLine(a, wh, 2),
                    new ReservationLine(b, wh, 3));

            // 1. a reserve over A and B: its copy writes A, then waits for B's row (another session holds
            // it) and its backend is terminated there, mid-transaction
            Throwable failed = underCut(f, b, app, caller, () -> f.store.reserve(hold, T0));
            assertThat(failed).isInstanceOfSatisfying(InventoryStoreException.class, e -> {
                assertThat(e.isRetrySafe()).isTrue();
                assertThat(e.getMessage()).contains("applied on Redis").contains("repeating the call is safe");
            });
            // PostgreSQL has nothing of it (A's row was written in the rolled back transaction), Redis all
            StockLevel truthA = f.store.truth().level(a, wh).orElseThrow();
            assertThat(List.of(truthA.reserved(), truthA.version())).isEqualTo(List.of(0L, 1L));
            assertThat(f.store.truth().level(b, wh).orElseThrow().reserved()).isZero();
            assertThat(f.store.truth().reservation(id)).isEmpty();
            assertThat(f.hot.level(a, wh).orElseThrow().reserved()).isEqualTo(2);
            assertThat(f.hot.level(b, wh).orElseThrow().reserved()).isEqualTo(3);
            // the retry answers as a replay and completes the copy, once
            assertThat(f.store.reserve(hold, T0).value()).isInstanceOf(ReservationResult.Replayed.class);
            assertThat(f.store.truth().level(a, wh).orElseThrow().reserved()).isEqualTo(2);
            assertThat(f.store.truth().level(b, wh).orElseThrow().reserved()).isEqualTo(3);
            assertThat(f.store.truth().reservation(id).map(Reservation::status)).contains(ReservationStatus.ACTIVE);

            // 2. a stock command without an event id: not retry-safe (a repeat would apply it twice);
            // the drainer completes it, once
            failed = underCut(f, a, app, caller, () -> f.store.apply(new StockCommand.Receive(a, wh, 5, Origin.NONE),
                    T0.plusSeconds(1)));
            assertThat(failed).isInstanceOfSatisfying(InventoryStoreException.class, e -> {
                assertThat(e.isRetrySafe()).isFalse();
                assertThat(e.getMessage()).contains("do NOT repeat");
            });
            assertThat(f.store.truth().level(a, wh).orElseThrow().onHand()).isEqualTo(10);
            TieredDrainer drainer = TieredDrainer.builder(f.store, f.jedis).build();
            drainer.drainAll(100);
            assertThat(f.store.truth().level(a, wh).orElseThrow().onHand()).isEqualTo(15);

            // 3. with an event id: retry-safe; the repeat is a duplicate on Redis that completes the copy
            failed = underCut(f, a, app, caller, () -> f.store.apply(new StockCommand.Receive(a, wh, 7,
                    Origin.event(p + "-asn")), T0.plusSeconds(2)));
            assertThat(failed).isInstanceOfSatisfying(InventoryStoreException.class,
                    e -> assertThat(e.isRetrySafe()).isTrue());
            assertThat(f.store.truth().level(a, wh).orElseThrow().onHand()).isEqualTo(15);
            assertThat(f.store.apply(new StockCommand.Receive(a, wh, 7, Origin.event(p + "-asn")), T0.plusSeconds(3))
                    .value()).isInstanceOf(StockResult.Duplicate.class);
            assertThat(f.store.truth().level(a, wh).orElseThrow().onHand()).isEqualTo(22);

            // 4. a confirmation: retry-safe, the repeat is a replay
            failed = underCut(f, a, app, caller, () -> f.store.transition(id, Transition.CONFIRM, T0.plusSeconds(4),
                    Duration.ZERO));
            assertThat(failed).isInstanceOfSatisfying(InventoryStoreException.class,
                    e -> assertThat(e.isRetrySafe()).isTrue());
            assertThat(f.store.truth().reservation(id).map(Reservation::status)).contains(ReservationStatus.ACTIVE);
            assertThat(f.store.transition(id, Transition.CONFIRM, T0.plusSeconds(5), Duration.ZERO).value())
                    .isInstanceOf(ReservationResult.Replayed.class);

            // converged: the drainer once more over everything changes nothing; each change once
            drainer.drainAll(100);
            f.assertTruthEqualsHot(List.of(a, b), List.of(id));
            assertThat(f.store.truth().ledger(a, wh)).extracting(LedgerEntry::delta).containsExactly(10L, 5L, 7L);
            assertThat(f.store.truth().level(a, wh).orElseThrow().allocated()).isEqualTo(2);
            assertThat(f.store.truth().level(b, wh).orElseThrow().allocated()).isEqualTo(3);
            assertThat(TestServers.queryLong("SELECT count(*) FROM " + f.schema + ".processed_events WHERE event_id = ?",
                    p + "-asn")).isEqualTo(1);
            Invariants.check(f.store, List.of(a, b), List.of(id), List.of());
            Invariants.check(f.store.truth(), List.of(a, b), List.of(id), List.of());
        } finally {
            caller.shutdownNow();
            pool.close();
        }
    }

    /**
     * Runs {@code call} while another session holds {@code sku}'s row: the call's copy waits for it, and
     * its PostgreSQL backend is terminated while it waits. Returns what the call threw.
     */
    private static Throwable underCut(TieredFixture f, Sku sku, String app, ExecutorService caller,
            java.util.concurrent.Callable<?> call) throws Exception {
        try (Connection blocker = TestServers.pg().getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement ps = blocker.prepareStatement("SELECT 1 FROM " + f.schema
                    + ".stock_levels WHERE sku = ? FOR UPDATE")) {
                ps.setString(1, sku.value());
                ps.executeQuery().close();
            }
            Future<Throwable> running = caller.submit(() -> {
                try {
                    call.call();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            String waiting = "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                    + " AND wait_event_type = 'Lock'";
            Await.until("the copy waits for the row", Duration.ofSeconds(20),
                    () -> TestServers.queryLong(waiting, app) > 0);
            assertThat(TestServers.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = ? AND wait_event_type = 'Lock'", app)).isEqualTo(1);
            long start = System.nanoTime();
            Throwable thrown = running.get(30, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails fast").isLessThan(Duration.ofSeconds(3));
            blocker.rollback();
            return thrown;
        }
    }

    /**
     * Confirms {@code id} as a checkout does; true when the hold ends up confirmed. A retry-safe failure
     * is repeated for as long as a caller would: a rebuild on a loaded machine can take seconds, and
     * giving up early would leave uncounted a confirm that an earlier attempt applied (the drainer
     * copies it later).
     */
    private static boolean confirmRetrying(TieredFixture f, ReservationId id, Instant now, AtomicInteger failures) {
        long giveUp = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                return f.store.transition(id, Transition.CONFIRM, now, Duration.ZERO).value().isSuccess();
            } catch (InventoryStoreException | redis.clients.jedis.exceptions.JedisException e) {
                failures.incrementAndGet();
                if (e instanceof InventoryStoreException ise && !ise.isRetrySafe()) {
                    throw e;
                }
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError("confirm of " + id + " still failing after " + RETRY_FOR, e);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
        }
    }
}
