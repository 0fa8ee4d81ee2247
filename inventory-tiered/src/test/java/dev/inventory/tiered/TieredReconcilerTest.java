package dev.inventory.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Origin;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The reconciler reports drift per SKU x location and repairs Redis from PostgreSQL. */
class TieredReconcilerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aRebuildDropsFromPostgresALostHoldThatALaterLevelCopyCarried() {
        try (TieredFixture f = new TieredFixture(TestServers.redis(), TestServers.pg())) {
            String p = f.prefix.replace(":", "");
            Sku a = Sku.of(p + "-A");
            f.store.apply(new StockCommand.Receive(a, TieredFixture.loc("WH1"), 10, Origin.NONE), T0);
            // a hold applied in Redis whose copy to PostgreSQL never lands (its call failed) ...
            f.bypass().reserve(TieredDrainerTest.hold(p + "-lost", T0,
                    new ReservationLine(a, TieredFixture.loc("WH1"), 3)), T0);
            // ... then a hold that does land: levels are copied as snapshots, so PostgreSQL's level now
            // counts the lost hold too
            f.store.reserve(TieredDrainerTest.hold(p + "-kept", T0,
                    new ReservationLine(a, TieredFixture.loc("WH1"), 2)), T0);
            assertThat(f.store.truth().level(a, TieredFixture.loc("WH1")).orElseThrow().reserved()).isEqualTo(5);
            assertThat(f.store.truth().reservation(ReservationId.of(p + "-lost"))).isEmpty();

            // Redis loses everything (with the lost hold's journal entry): the rebuild must not keep
            // three units reserved for a hold that exists nowhere
            f.jedis.keys(f.prefix + "*").forEach(f.jedis::del);
            f.store.loadIfNeeded(T0.plusSeconds(1));

            StockLevel truth = f.store.truth().level(a, TieredFixture.loc("WH1")).orElseThrow();
            assertThat(truth.reserved()).as("only the kept hold is held").isEqualTo(2);
            assertThat(truth.allocated()).isZero();
            assertThat(TieredReconciler.same(truth, f.hot.level(a, TieredFixture.loc("WH1")).orElseThrow()))
                    .isTrue();
            assertThat(f.store.reserve(TieredDrainerTest.hold(p + "-rest", T0.plusSeconds(2),
                    new ReservationLine(a, TieredFixture.loc("WH1"), 8)), T0.plusSeconds(2)).value().isSuccess())
                    .as("the lost hold's units are for sale again").isTrue();
        }
    }

    @Test
    void reportsDriftPerLevelAndRepairsRedisFromTheTruth() {
        try (TieredFixture f = new TieredFixture(TestServers.redis(), TestServers.pg())) {
            Sku a = Sku.of(f.prefix.replace(":", "") + "-A");
            Sku b = Sku.of(f.prefix.replace(":", "") + "-B");
            f.store.apply(new StockCommand.Receive(a, TieredFixture.loc("WH1"), 10, Origin.NONE), T0);
            f.store.apply(new StockCommand.Receive(a, TieredFixture.loc("WH2"), 4, Origin.NONE), T0);
            f.store.apply(new StockCommand.Receive(b, TieredFixture.loc("WH1"), 7, Origin.NONE), T0);
            f.store.reserve(TieredDrainerTest.hold(f.prefix.replace(":", "") + "-h", T0,
                    new ReservationLine(a, TieredFixture.loc("WH1"), 3)), T0);
            TieredReconciler reconciler = new TieredReconciler(f.store, f.jedis);
            assertThat(reconciler.reconcile(false).drifts()).isEmpty();

            // drift: a's WH1 on-hand changed behind the store's back, b's WH1 lost from Redis
            String base = f.prefix + "inv:";
            f.jedis.hset(base + "{" + a.value() + "}:lvl:WH1", "oh", "999");
            f.jedis.del(base + "{" + b.value() + "}:lvl:WH1");

            TieredReconciler.Report report = reconciler.reconcile(false);
            assertThat(report.checked()).isEqualTo(3);
            assertThat(report.repaired()).isZero();
            assertThat(report.drifts()).extracting(d -> d.truth().sku(), d -> d.truth().locationId().value(),
                    d -> d.hot().map(StockLevel::onHand).orElse(-1L), d -> d.truth().onHand())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(a, "WH1", 999L, 10L),
                            org.assertj.core.groups.Tuple.tuple(b, "WH1", -1L, 7L));

            TieredReconciler.Report repair = reconciler.reconcile(true);
            assertThat(repair.repaired()).isEqualTo(2);
            assertThat(reconciler.reconcile(false).drifts()).isEmpty();
            StockLevel repaired = f.store.level(a, TieredFixture.loc("WH1")).orElseThrow();
            assertThat(repaired.onHand()).isEqualTo(10);
            assertThat(repaired.reserved()).isEqualTo(3);
            assertThat(f.store.levels(b)).extracting(StockLevel::onHand).containsExactly(7L);
        }
    }
}
