package dev.inventory.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.Transition;
import dev.inventory.core.contract.Invariants;
import dev.inventory.redis.RedisInventoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Randomized run: several threads on two tiered store instances (one Redis, one PostgreSQL schema),
 * a drainer, the sweeper, and faults (PostgreSQL backends of the stores terminated, a drainer dying
 * mid-batch). 20 s by default; {@code -Dinventory.soak.seconds=N} runs longer. At the end: I1-I6 on
 * Redis and on PostgreSQL, ledger = onHand, PostgreSQL = Redis per level.
 */
class TieredSoakTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void randomizedRunWithFaultsLosesNothingAndOversellsNothing() throws Exception {
        long seconds = Long.getLong("inventory.soak.seconds", 20);
        String schema = TestServers.newSchema();
        String prefix = TestServers.newPrefix();
        String app = "tiered_soak_" + schema.substring(schema.length() - 8);
        String url = TestServers.pgUrl();
        HikariDataSource pool = TestServers.newPool(url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + app, 8);
        RedisInventoryStore hot1 = RedisInventoryStore.builder(TestServers.redis()).keyPrefix(prefix).build();
        RedisInventoryStore hot2 = RedisInventoryStore.builder(TestServers.redis()).keyPrefix(prefix).build();
        TieredInventoryStore one = TieredInventoryStore.builder().hot(hot1).redis(TestServers.redis())
                .dataSource(pool).schema(schema).build();
        TieredInventoryStore two = TieredInventoryStore.builder().hot(hot2).redis(TestServers.redis())
                .dataSource(pool).schema(schema).build();
        TieredInventoryStore[] stores = {one, two};
        String p = prefix.replace(":", "");
        List<Sku> skus = List.of(Sku.of(p + "-A"), Sku.of(p + "-B"), Sku.of(p + "-C"));
        List<LocationId> locs = List.of(LocationId.of("WH1"), LocationId.of("WH2"));
        AtomicLong ticks = new AtomicLong();
        AtomicLong ops = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong faults = new AtomicLong();
        Set<ReservationId> holds = ConcurrentHashMap.newKeySet();
        try {
            for (Sku s : skus) {
                for (LocationId l : locs) {
                    one.apply(new StockCommand.Receive(s, l, 40, Origin.NONE), T0);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService pool4 = Executors.newFixedThreadPool(5);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool4.submit(() -> {
                    SplittableRandom rnd = new SplittableRandom(thread * 7919L + 1);
                    List<ReservationId> mine = new ArrayList<>();
                    while (System.nanoTime() < deadline) {
                        TieredInventoryStore store = stores[rnd.nextInt(2)];
                        Instant now = T0.plusMillis(100 * ticks.incrementAndGet());
                        ops.incrementAndGet();
                        try {
                            int dice = rnd.nextInt(100);
                            if (dice < 45 || mine.isEmpty()) {
                                ReservationId id = ReservationId.of(p + "-" + thread + "-" + mine.size());
                                List<ReservationLine> lines = new ArrayList<>();
                                Sku s = skus.get(rnd.nextInt(skus.size()));
                                lines.add(new ReservationLine(s, locs.get(0), 1 + rnd.nextInt(3)));
                                if (rnd.nextBoolean()) {
                                    lines.add(new ReservationLine(skus.get((skus.indexOf(s) + 1) % skus.size()),
                                            locs.get(1), 1 + rnd.nextInt(2)));
                                }
                                holds.add(id);
                                mine.add(id);
                                store.reserve(new Reservation(id, lines, Optional.empty(), Optional.empty(),
                                        Optional.empty(), ReservationStatus.ACTIVE, now, now.plusSeconds(30), now), now);
                            } else if (dice < 85) {
                                ReservationId id = mine.get(rnd.nextInt(mine.size()));
                                Transition tr = Transition.values()[rnd.nextInt(Transition.values().length)];
                                store.transition(id, tr, now, Duration.ofSeconds(10));
                            } else if (dice < 93) {
                                store.expireDue(now, 20);
                            } else {
                                Sku s = skus.get(rnd.nextInt(skus.size()));
                                store.apply(rnd.nextBoolean()
                                        ? new StockCommand.Receive(s, locs.get(rnd.nextInt(2)), 1 + rnd.nextInt(5),
                                                Origin.event("in-" + thread + "-" + ops.get()))
                                        : new StockCommand.Adjust(s, locs.get(rnd.nextInt(2)), -1, "shrink",
                                                Origin.NONE), now);
                            }
                        } catch (InventoryStoreException e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            // the fault injector and drainer: terminates the stores' PostgreSQL backends, kills a drainer
            // mid-batch, drains
            futures.add(pool4.submit(() -> {
                SplittableRandom rnd = new SplittableRandom(42);
                long round = 0;
                while (System.nanoTime() < deadline) {
                    round++;
                    if (round % 5 == 0) {
                        TestServers.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                + " WHERE application_name = ?", app);
                        faults.incrementAndGet();
                    }
                    int dieAt = round % 3 == 0 ? rnd.nextInt(5) : -1;
                    TieredDrainer d = TieredDrainer.builder(stores[(int) (round % 2)], TestServers.redis())
                            .lease(Duration.ofMillis(500)).hook(i -> {
                                if (i == dieAt) {
                                    faults.incrementAndGet();
                                    throw new IllegalStateException("drainer killed mid-batch");
                                }
                            }).build();
                    try {
                        d.drainOnce(50);
                    } catch (InventoryStoreException e) {
                        // the batch stays pending for the next drain
                    }
                }
                return null;
            }));
            for (Future<?> f : futures) {
                f.get(seconds + 120, TimeUnit.SECONDS);
            }
            pool4.shutdown();

            // quiesce: the drainer applies what failed write-throughs left in the journal
            TieredInventoryStore check = TieredInventoryStore.builder().hot(hot1).redis(TestServers.redis())
                    .dataSource(TestServers.pg()).schema(schema).build();
            TieredDrainer.builder(check, TestServers.redis()).lease(Duration.ofMillis(500)).build().drainAll(500);
            long oversold = 0;
            long lost = 0;
            for (Sku s : skus) {
                for (StockLevel h : check.hot().levels(s)) {
                    StockLevel t = check.truth().level(s, h.locationId()).orElseThrow();
                    oversold += Math.max(0, t.allocated() + t.reserved() + t.damaged() - t.onHand());
                    oversold += Math.max(0, h.allocated() + h.reserved() + h.damaged() - h.onHand());
                    long hotLedger = check.hot().ledger(s, h.locationId()).size();
                    long truthLedger = check.truth().ledger(s, h.locationId()).size();
                    lost += Math.abs(hotLedger - truthLedger) + (TieredReconciler.same(h, t) ? 0 : 1);
                }
            }
            for (ReservationId id : holds) {
                Optional<ReservationStatus> h = check.hot().reservation(id).map(Reservation::status);
                Optional<ReservationStatus> t = check.truth().reservation(id).map(Reservation::status);
                lost += h.equals(t) ? 0 : 1;
            }
            System.out.printf("tiered soak %d s: operations=%d failed-calls=%d faults-injected=%d units-oversold=%d"
                    + " events-lost=%d holds=%d%n", seconds, ops.get(), failed.get(), faults.get(), oversold, lost,
                    holds.size());
            assertThat(ops.get()).isGreaterThan(100);
            assertThat(faults.get()).isPositive();
            assertThat(oversold).isZero();
            assertThat(lost).isZero();
            Invariants.check(check, skus, holds, List.of());
            Invariants.check(check.truth(), skus, holds, List.of());
            check.close();
        } finally {
            one.close();
            two.close();
            pool.close();
            TestServers.dropSchema(schema);
            TestServers.deleteKeys(TestServers.redis(), prefix);
        }
    }
}
