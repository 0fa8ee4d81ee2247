package dev.inventory.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The drainer applies the Redis journal to PostgreSQL exactly once, also after dying mid-batch. */
class TieredDrainerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    static Reservation hold(String id, Instant now, ReservationLine... lines) {
        return new Reservation(ReservationId.of(id), List.of(lines), Optional.of("cart"), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, now, now.plus(Duration.ofMinutes(15)), now);
    }

    @Test
    void drainerKilledMidBatchResumesAndAppliesEveryChangeExactlyOnce() {
        try (TieredFixture f = new TieredFixture(TestServers.redis(), TestServers.pg())) {
            // 12 SKU x location levels written on Redis only: the journal is all PostgreSQL will get
            List<Sku> skus = new ArrayList<>();
            List<ReservationId> holds = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Sku sku = Sku.of(f.prefix.replace(":", "") + "-S" + i);
                skus.add(sku);
                f.bypass().apply(new StockCommand.Receive(sku, TieredFixture.loc("WH1"), 10, Origin.event("rcv-" + i)), T0);
                f.bypass().apply(new StockCommand.Receive(sku, TieredFixture.loc("WH2"), 5, Origin.NONE), T0);
                String id = f.prefix.replace(":", "") + "-h" + i;
                holds.add(ReservationId.of(id));
                assertThat(f.bypass().reserve(hold(id, T0, new ReservationLine(sku, TieredFixture.loc("WH1"), 2),
                        new ReservationLine(sku, TieredFixture.loc("WH2"), 1)), T0).value())
                        .isInstanceOf(ReservationResult.Success.class);
                if (i % 2 == 0) {
                    f.bypass().transition(ReservationId.of(id), Transition.CONFIRM, T0.plusSeconds(5), Duration.ZERO);
                }
                f.bypass().apply(new StockCommand.Adjust(sku, TieredFixture.loc("WH2"), -1, "shrink", Origin.NONE),
                        T0.plusSeconds(6));
            }
            // the first drainer dies after committing 7 entries of its batch, before acknowledging any
            AtomicInteger committed = new AtomicInteger();
            TieredDrainer dying = TieredDrainer.builder(f.store, f.jedis).lease(Duration.ofMillis(200))
                    .hook(i -> {
                        committed.incrementAndGet();
                        if (i == 6) {
                            throw new IllegalStateException("drainer killed mid-batch");
                        }
                    }).build();
            assertThatThrownBy(() -> dying.drainOnce(1000)).isInstanceOf(InventoryStoreException.class)
                    .hasMessageContaining("killed mid-batch");
            assertThat(committed).hasValue(7);

            TieredDrainer resumed = TieredDrainer.builder(f.store, f.jedis).lease(Duration.ofMillis(200)).build();
            long drained = resumed.drainAll(50);
            assertThat(drained).as("every journal entry drained after the restart").isGreaterThanOrEqualTo(36);
            assertThat(resumed.drainOnce(1000)).as("nothing left unacknowledged").isZero();
            f.assertTruthEqualsHot(skus, holds);
            // the inbound event ids came along: PostgreSQL alone would refuse the repeats
            assertThat(TestServers.queryLong("SELECT count(*) FROM " + f.schema + ".processed_events"
                    + " WHERE event_id LIKE 'rcv-%'")).isEqualTo(6);
        }
    }

    @Test
    void drainingWhatTheWriteThroughAlreadyCopiedChangesNothing() {
        try (TieredFixture f = new TieredFixture(TestServers.redis(), TestServers.pg())) {
            Sku sku = Sku.of(f.prefix.replace(":", "") + "-A");
            f.store.apply(new StockCommand.Receive(sku, TieredFixture.loc("WH1"), 4, Origin.NONE), T0);
            String id = f.prefix.replace(":", "") + "-h";
            f.store.reserve(hold(id, T0, new ReservationLine(sku, TieredFixture.loc("WH1"), 3)), T0);
            f.store.transition(ReservationId.of(id), Transition.CONFIRM, T0, Duration.ZERO);
            f.assertTruthEqualsHot(List.of(sku), List.of(ReservationId.of(id)));
            long ledgerRows = f.store.truth().ledger(sku, TieredFixture.loc("WH1")).size();
            assertThat(TieredDrainer.builder(f.store, f.jedis).build().drainAll(100)).isEqualTo(3);
            f.assertTruthEqualsHot(List.of(sku), List.of(ReservationId.of(id)));
            assertThat(f.store.truth().ledger(sku, TieredFixture.loc("WH1"))).hasSize((int) ledgerRows);
        }
    }
}
