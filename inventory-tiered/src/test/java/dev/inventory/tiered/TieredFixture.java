package dev.inventory.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.redis.RedisInventoryStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.JedisPooled;

/** A tiered store in its own schema and key prefix, plus a Redis-only store on the same keys ("bypass"). */
final class TieredFixture implements AutoCloseable {
    final String schema = TestServers.newSchema();
    final String prefix = TestServers.newPrefix();
    final JedisPooled jedis;
    final RedisInventoryStore hot;
    final TieredInventoryStore store;

    TieredFixture(JedisPooled jedis, javax.sql.DataSource pg) {
        this(jedis, pg, TieredInventoryStore.Hook.NONE);
    }

    TieredFixture(JedisPooled jedis, javax.sql.DataSource pg, TieredInventoryStore.Hook hook) {
        this.jedis = jedis;
        this.hot = RedisInventoryStore.builder(jedis).keyPrefix(prefix).build();
        this.store = TieredInventoryStore.builder().hot(hot).redis(jedis).dataSource(pg).schema(schema).hook(hook)
                .build();
    }

    /** Writes on Redis only (as if the write-through had failed): the journal still records them. */
    RedisInventoryStore bypass() {
        return hot;
    }

    /** Asserts that PostgreSQL has exactly Redis' levels, ledgers and holds for the given SKUs and holds. */
    void assertTruthEqualsHot(Collection<Sku> skus, Collection<ReservationId> holds) {
        for (Sku sku : skus) {
            List<StockLevel> hotLevels = hot.levels(sku);
            List<StockLevel> truthLevels = store.truth().levels(sku);
            assertThat(truthLevels).as("levels of %s in PostgreSQL", sku).hasSameSizeAs(hotLevels);
            for (StockLevel h : hotLevels) {
                StockLevel t = store.truth().level(sku, h.locationId()).orElseThrow();
                assertThat(TieredReconciler.same(h, t)).as("PostgreSQL %s equals Redis %s", t, h).isTrue();
                List<LedgerEntry> hl = hot.ledger(sku, h.locationId());
                List<LedgerEntry> tl = store.truth().ledger(sku, h.locationId());
                // Redis keeps the ledger entries since its last rebuild (the loader does not reload
                // them): PostgreSQL's ledger ends with exactly those, every version once
                assertThat(tl.size()).as("ledger of %s@%s", sku, h.locationId()).isGreaterThanOrEqualTo(hl.size());
                assertThat(tl.subList(tl.size() - hl.size(), tl.size()))
                        .as("ledger of %s@%s applied exactly once", sku, h.locationId())
                        .extracting(LedgerEntry::version, LedgerEntry::delta, LedgerEntry::kind)
                        .containsExactlyElementsOf(hl.stream()
                                .map(e -> org.assertj.core.groups.Tuple.tuple(e.version(), e.delta(), e.kind()))
                                .toList());
                assertThat(tl).extracting(LedgerEntry::version).as("versions of %s@%s", sku, h.locationId())
                        .isSorted().doesNotHaveDuplicates();
                assertThat(tl.stream().mapToLong(LedgerEntry::delta).sum())
                        .as("ledger = onHand of %s@%s", sku, h.locationId()).isEqualTo(t.onHand());
            }
        }
        for (ReservationId id : holds) {
            Optional<Reservation> h = hot.reservation(id);
            Optional<Reservation> t = store.truth().reservation(id);
            assertThat(t.map(Reservation::status)).as("hold %s", id).isEqualTo(h.map(Reservation::status));
            assertThat(t.map(r -> r.lines())).as("lines of %s", id).isEqualTo(h.map(r -> r.lines()));
        }
    }

    static LocationId loc(String l) {
        return LocationId.of(l);
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            TestServers.dropSchema(schema);
            TestServers.deleteKeys(jedis, prefix);
        }
    }
}
