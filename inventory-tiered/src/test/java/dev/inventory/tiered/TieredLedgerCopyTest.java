package dev.inventory.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The write-through copies only the ledger entries PostgreSQL cannot have yet (the Redis ledger's tail
 * above what an earlier copy left in PostgreSQL), and PostgreSQL's ledger stays exactly Redis' one.
 */
class TieredLedgerCopyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final LocationId WH1 = LocationId.of("WH1");

    @Test
    void copiesOfALongLedgerStayExactAlsoFromAnInstanceThatStartsLater() {
        try (TieredFixture f = new TieredFixture(TestServers.redis(), TestServers.pg())) {
            String p = f.prefix.replace(":", "");
            Sku a = Sku.of(p + "-A");
            List<ReservationId> holds = new ArrayList<>();
            // 100 receipts (ledger entries) with holds in between (versions without ledger entries), so
            // the tail reads cross several chunks and version gaps
            for (int i = 0; i < 100; i++) {
                f.store.apply(new StockCommand.Receive(a, WH1, 2, Origin.NONE), T0.plusMillis(i));
                if (i % 7 == 0) {
                    ReservationId id = ReservationId.of(p + "-h" + i);
                    holds.add(id);
                    f.store.reserve(TieredDrainerTest.hold(id.value(), T0, new ReservationLine(a, WH1, 1)), T0);
                }
            }
            f.assertTruthEqualsHot(List.of(a), holds);
            assertThat(f.store.truth().ledger(a, WH1)).hasSize(100);

            // a second instance on the same schema and keys knows nothing of the first one's copies
            try (TieredInventoryStore second = TieredInventoryStore.builder().hot(f.hot).redis(f.jedis)
                    .dataSource(TestServers.pg()).schema(f.schema).build()) {
                for (int i = 0; i < 30; i++) {
                    TieredInventoryStore writer = i % 2 == 0 ? second : f.store;
                    writer.apply(new StockCommand.Adjust(a, WH1, -1, "count", Origin.NONE), T0.plusSeconds(1 + i));
                }
            }
            f.assertTruthEqualsHot(List.of(a), holds);
            assertThat(f.store.truth().ledger(a, WH1)).hasSize(130);
        }
    }

    @Test
    void aSnapshotStartingAfterPostgresLedgerIsRefused() throws Exception {
        try (TieredFixture f = new TieredFixture(TestServers.redis(), TestServers.pg())) {
            String p = f.prefix.replace(":", "");
            Sku a = Sku.of(p + "-A");
            for (int i = 0; i < 3; i++) {
                f.store.apply(new StockCommand.Receive(a, WH1, 1, Origin.NONE), T0);
            }
            TruthWriter writer = new TruthWriter(TestServers.pg(), f.schema, "");
            String epoch = writer.epoch().orElseThrow();
            var snapshot = new TruthWriter.LevelSnapshot(f.hot.level(a, WH1).orElseThrow(),
                    f.hot.ledgerAfter(a, WH1, 1_000), 1_000);

            assertThatThrownBy(() -> writer.write(List.of(snapshot), List.of(), List.of(), epoch, T0))
                    .isInstanceOf(TruthWriter.LedgerGapException.class).hasMessageContaining("version");
            assertThat(f.store.truth().ledger(a, WH1)).hasSize(3);
        }
    }
}
