package dev.inventory.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.inventory.core.StockResult;
import dev.inventory.core.Transition;
import dev.inventory.core.contract.Invariants;
import dev.inventory.core.memory.InMemoryInventoryStore;
import dev.inventory.core.spi.InventoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A real {@code redis-server} process killed and restarted empty: the loader writes every hold back,
 * finished ones included, so replays and later transitions answer as on a store that never restarted;
 * a stock command racing the restart is neither lost nor applied twice.
 */
class TieredRestartTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final LocationId WH = LocationId.of("WH1");

    static Reservation hold(String id, Instant at, ReservationLine... lines) {
        return new Reservation(ReservationId.of(id), List.of(lines), Optional.of("cart"), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, at, at.plus(Duration.ofMinutes(15)), at);
    }

    @Test
    void finishedHoldsAreWrittenBackSoReplaysAndLaterTransitionsAnswerAsIfRedisNeverRestarted() {
        TestServers.RedisProcess redis = TestServers.RedisProcess.start();
        try (TieredFixture f = new TieredFixture(redis.client(), TestServers.pg())) {
            String p = f.prefix.replace(":", "");
            Sku a = Sku.of(p + "-A");
            Sku b = Sku.of(p + "-B");
            InventoryStore reference = InMemoryInventoryStore.create(); // the same calls, no restart
            Map<String, Reservation> holds = new LinkedHashMap<>();
            Instant later = T0.plus(Duration.ofMinutes(10));
            holds.put("conf", hold(p + "-conf", T0, new ReservationLine(a, WH, 3)));
            holds.put("conf2", hold(p + "-conf2", T0, new ReservationLine(a, WH, 2), new ReservationLine(b, WH, 1)));
            holds.put("ful", hold(p + "-ful", T0, new ReservationLine(a, WH, 4)));
            holds.put("canc", hold(p + "-canc", T0, new ReservationLine(b, WH, 2)));
            holds.put("rel", hold(p + "-rel", T0, new ReservationLine(a, WH, 1)));
            holds.put("exp", hold(p + "-exp", T0, new ReservationLine(b, WH, 3)));
            holds.put("act", hold(p + "-act", later, new ReservationLine(a, WH, 5)));
            holds.put("pend", hold(p + "-pend", later, new ReservationLine(b, WH, 2), new ReservationLine(a, WH, 1)));
            for (InventoryStore s : List.of(f.store, reference)) {
                s.apply(new StockCommand.Receive(a, WH, 100, Origin.event(p + "-po-a")), T0);
                s.apply(new StockCommand.Receive(b, WH, 50, Origin.event(p + "-po-b")), T0);
                for (Reservation r : holds.values()) {
                    assertThat(s.reserve(r, r.createdAt()).value()).isInstanceOf(ReservationResult.Success.class);
                }
                Instant t = T0.plusSeconds(30);
                s.transition(holds.get("conf").id(), Transition.CONFIRM, t, Duration.ZERO);
                s.transition(holds.get("conf2").id(), Transition.CONFIRM, t, Duration.ZERO);
                s.transition(holds.get("ful").id(), Transition.CONFIRM, t, Duration.ZERO);
                s.transition(holds.get("ful").id(), Transition.FULFIL, t.plusSeconds(60), Duration.ZERO);
                s.transition(holds.get("canc").id(), Transition.CONFIRM, t, Duration.ZERO);
                s.transition(holds.get("canc").id(), Transition.CANCEL, t.plusSeconds(90), Duration.ZERO);
                s.transition(holds.get("rel").id(), Transition.RELEASE, t.plusSeconds(5), Duration.ZERO);
                s.transition(holds.get("pend").id(), Transition.START_PAYMENT, later.plusSeconds(5), Duration.ofMinutes(5));
                assertThat(s.expireDue(T0.plus(Duration.ofMinutes(16)), 100).value()).extracting(Reservation::id)
                        .containsExactly(holds.get("exp").id());
            }
            Map<String, Reservation> before = new LinkedHashMap<>();
            holds.forEach((k, r) -> before.put(k, f.hot.reservation(r.id()).orElseThrow()));

            redis.restartEmptyAndReconnect(); // everything in Redis is gone
            Instant after = T0.plus(Duration.ofMinutes(17));
            assertThat(f.store.loadIfNeeded(after)).isEqualTo(2);
            // every hold is back in Redis as it was: state, lines, cart, times
            holds.forEach((k, r) -> assertThat(f.hot.reservation(r.id())).as("hold %s in Redis", k)
                    .contains(before.get(k)));
            // the rebuild emitted nothing: the journals hold no second copy of any event
            for (Sku sku : List.of(a, b)) {
                assertThat(f.jedis.xlen(f.prefix + "inv:{" + sku.value() + "}:journal")).isZero();
            }

            // the same calls now answer on the rebuilt Redis as on the store that never restarted
            List<Function<InventoryStore, ReservationResult>> calls = new ArrayList<>();
            for (String k : List.of("conf", "ful", "canc", "rel", "exp", "act", "pend")) {
                calls.add(s -> s.reserve(holds.get(k), after).value()); // replays of the same hold
            }
            calls.add(s -> s.transition(holds.get("ful").id(), Transition.FULFIL, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("ful").id(), Transition.CANCEL, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("canc").id(), Transition.CANCEL, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("rel").id(), Transition.CONFIRM, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("rel").id(), Transition.RELEASE, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("exp").id(), Transition.CONFIRM, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("conf").id(), Transition.FULFIL, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("conf2").id(), Transition.CANCEL, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("pend").id(), Transition.CONFIRM, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("act").id(), Transition.RELEASE, after, Duration.ZERO).value());
            calls.add(s -> s.transition(holds.get("conf").id(), Transition.FULFIL, after, Duration.ZERO).value());
            for (int i = 0; i < calls.size(); i++) {
                ReservationResult expected = calls.get(i).apply(reference);
                ReservationResult actual = calls.get(i).apply(f.store);
                assertThat(actual.getClass()).as("call %d: %s", i, expected).isEqualTo(expected.getClass());
                assertThat(status(actual)).as("call %d: %s", i, expected).isEqualTo(status(expected));
            }
            for (Sku sku : List.of(a, b)) {
                StockLevel want = reference.level(sku, WH).orElseThrow();
                for (StockLevel got : List.of(f.store.level(sku, WH).orElseThrow(),
                        f.store.truth().level(sku, WH).orElseThrow())) {
                    assertThat(List.of(got.onHand(), got.allocated(), got.reserved()))
                            .as("%s on Redis and PostgreSQL", sku)
                            .isEqualTo(List.of(want.onHand(), want.allocated(), want.reserved()));
                }
                assertThat(f.store.truth().ledger(sku, WH).stream().mapToLong(LedgerEntry::delta).sum())
                        .as("ledger = onHand of %s", sku).isEqualTo(want.onHand());
            }
            // the fulfilment after the restart is in the ledger once
            assertThat(f.store.truth().ledger(a, WH)).filteredOn(e -> e.kind() == LedgerEntry.Kind.FULFILMENT)
                    .hasSize(2);
            List<ReservationId> ids = holds.values().stream().map(Reservation::id).toList();
            f.assertTruthEqualsHot(List.of(a, b), ids);
            Invariants.check(f.store, List.of(a, b), ids, List.of());
            Invariants.check(f.store.truth(), List.of(a, b), ids, List.of());
            assertThat(new TieredReconciler(f.store, f.jedis).reconcile(false).drifts()).isEmpty();
        } finally {
            redis.stop();
        }
    }

    @Test
    void aStockCommandWhoseRedisRestartsJustBeforeItsScriptRunsOnceOnTheRebuiltRedis() {
        TestServers.RedisProcess redis = TestServers.RedisProcess.start();
        AtomicBoolean armed = new AtomicBoolean();
        TieredInventoryStore.Hook restartBeforeScript = new TieredInventoryStore.Hook() {
            @Override
            public void beforeHot(String what) {
                if (what.startsWith("stock command") && armed.compareAndSet(true, false)) {
                    redis.restartEmptyAndReconnect(); // after the marker was read, before the script
                }
            }
        };
        try (TieredFixture f = new TieredFixture(redis.client(), TestServers.pg(), restartBeforeScript)) {
            Sku a = Sku.of(f.prefix.replace(":", "") + "-A");
            f.store.apply(new StockCommand.Receive(a, WH, 10, Origin.NONE), T0);
            ReservationId h = ReservationId.of(f.prefix.replace(":", "") + "-h");
            f.store.reserve(hold(h.value(), T0, new ReservationLine(a, WH, 3)), T0);
            f.store.transition(h, Transition.CONFIRM, T0, Duration.ZERO);

            armed.set(true);
            StockResult result = f.store.apply(new StockCommand.Receive(a, WH, 5, Origin.NONE), T0.plusSeconds(1)).value();
            assertThat(armed).as("Redis was restarted during the call").isFalse();
            // the script refused on the empty Redis (its marker was gone), the loader rebuilt it, and the
            // command ran once on the rebuilt data: 15, not a fresh level of 5 that PostgreSQL would refuse
            assertThat(result).isInstanceOfSatisfying(StockResult.Applied.class,
                    r -> assertThat(r.level().onHand()).isEqualTo(15));
            StockLevel truth = f.store.truth().level(a, WH).orElseThrow();
            assertThat(truth.onHand()).isEqualTo(15);
            assertThat(truth.allocated()).isEqualTo(3);
            assertThat(f.store.truth().ledger(a, WH)).extracting(LedgerEntry::delta).containsExactly(10L, 5L);
            f.assertTruthEqualsHot(List.of(a), List.of(h));
            assertThat(f.store.transition(h, Transition.FULFIL, T0.plusSeconds(2), Duration.ZERO).value())
                    .isInstanceOf(ReservationResult.Success.class);
            assertThat(f.store.truth().level(a, WH).orElseThrow().onHand()).isEqualTo(12);
        } finally {
            redis.stop();
        }
    }

    @Test
    void aStockCommandWhoseRedisRestartsBeforeItsCopyIsReportedNotAppliedAndItsRepeatAppliesOnce() {
        TestServers.RedisProcess redis = TestServers.RedisProcess.start();
        AtomicBoolean armed = new AtomicBoolean();
        TieredInventoryStore.Hook restartBeforeCopy = new TieredInventoryStore.Hook() {
            @Override
            public void beforeCopy(String what) {
                if (what.startsWith("stock command") && armed.compareAndSet(true, false)) {
                    redis.restartEmptyAndReconnect(); // the script ran, PostgreSQL does not have it yet
                }
            }
        };
        try (TieredFixture f = new TieredFixture(redis.client(), TestServers.pg(), restartBeforeCopy)) {
            Sku a = Sku.of(f.prefix.replace(":", "") + "-A");
            f.store.apply(new StockCommand.Receive(a, WH, 10, Origin.NONE), T0);

            // without an event id: the store finds out that PostgreSQL does not have it and says so
            armed.set(true);
            assertThatThrownBy(() -> f.store.apply(new StockCommand.Receive(a, WH, 5, Origin.NONE), T0.plusSeconds(1)))
                    .isInstanceOfSatisfying(InventoryStoreException.class, e -> {
                        assertThat(e.isRetrySafe()).isTrue();
                        assertThat(e.getMessage()).contains("is NOT applied");
                    });
            assertThat(f.store.truth().level(a, WH).orElseThrow().onHand()).isEqualTo(10);
            assertThat(f.store.level(a, WH).orElseThrow().onHand()).as("rebuilt Redis").isEqualTo(10);
            assertThat(f.store.apply(new StockCommand.Receive(a, WH, 5, Origin.NONE), T0.plusSeconds(2)).value())
                    .isInstanceOfSatisfying(StockResult.Applied.class, r -> assertThat(r.level().onHand()).isEqualTo(15));

            // with an event id: retry-safe; the repeat applies it once, a further repeat is a duplicate
            armed.set(true);
            assertThatThrownBy(() -> f.store.apply(new StockCommand.Receive(a, WH, 7, Origin.event("asn-1")),
                    T0.plusSeconds(3))).isInstanceOfSatisfying(InventoryStoreException.class,
                            e -> assertThat(e.isRetrySafe()).isTrue());
            assertThat(f.store.apply(new StockCommand.Receive(a, WH, 7, Origin.event("asn-1")), T0.plusSeconds(4))
                    .value()).isInstanceOf(StockResult.Applied.class);
            assertThat(f.store.apply(new StockCommand.Receive(a, WH, 7, Origin.event("asn-1")), T0.plusSeconds(5))
                    .value()).isInstanceOf(StockResult.Duplicate.class);

            assertThat(f.store.truth().ledger(a, WH)).extracting(LedgerEntry::delta).containsExactly(10L, 5L, 7L);
            assertThat(f.store.truth().level(a, WH).orElseThrow().onHand()).isEqualTo(22);
            assertThat(TestServers.queryLong("SELECT count(*) FROM " + f.schema + ".processed_events"
                    + " WHERE event_id = 'asn-1'")).isEqualTo(1);
            f.assertTruthEqualsHot(List.of(a), List.of());
        } finally {
            redis.stop();
        }
    }

    @Test
    void aStockCommandTheDrainerCopiedBeforeRedisRestartedIsAnsweredAppliedAndNotRepeated() {
        TestServers.RedisProcess redis = TestServers.RedisProcess.start();
        AtomicBoolean armed = new AtomicBoolean();
        TieredInventoryStore[] store = new TieredInventoryStore[1];
        TieredInventoryStore.Hook drainThenRestart = new TieredInventoryStore.Hook() {
            @Override
            public void beforeCopy(String what) {
                if (what.startsWith("stock command") && armed.compareAndSet(true, false)) {
                    // another instance's drainer copies the change, then Redis dies
                    assertThat(TieredDrainer.builder(store[0], redis.client()).build().drainAll(100)).isPositive();
                    redis.restartEmptyAndReconnect();
                }
            }
        };
        try (TieredFixture f = new TieredFixture(redis.client(), TestServers.pg(), drainThenRestart)) {
            store[0] = f.store;
            Sku a = Sku.of(f.prefix.replace(":", "") + "-A");
            f.store.apply(new StockCommand.Receive(a, WH, 10, Origin.NONE), T0);
            armed.set(true);
            assertThat(f.store.apply(new StockCommand.Adjust(a, WH, -4, "shrink", Origin.NONE), T0.plusSeconds(1))
                    .value()).isInstanceOfSatisfying(StockResult.Applied.class,
                            r -> assertThat(r.level().onHand()).isEqualTo(6));
            assertThat(armed).isFalse();
            assertThat(f.store.truth().ledger(a, WH)).extracting(LedgerEntry::delta).containsExactly(10L, -4L);
            assertThat(f.store.level(a, WH).orElseThrow().onHand()).as("rebuilt Redis").isEqualTo(6);
            f.assertTruthEqualsHot(List.of(a), List.of());
        } finally {
            redis.stop();
        }
    }

    private static Optional<ReservationStatus> status(ReservationResult r) {
        if (r instanceof ReservationResult.Success s) {
            return Optional.of(s.value().status());
        } else if (r instanceof ReservationResult.Replayed s) {
            return Optional.of(s.value().status());
        } else if (r instanceof ReservationResult.Expired s) {
            return Optional.of(s.value().status());
        } else if (r instanceof ReservationResult.IllegalTransition s) {
            return Optional.of(s.value().status());
        } else if (r instanceof ReservationResult.IdConflict s) {
            return Optional.of(s.existing().status());
        }
        return Optional.empty();
    }
}
