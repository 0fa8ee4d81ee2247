package dev.inventory.tiered;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.StockLevel;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Compares every level of PostgreSQL (the source of truth) with Redis, reports the drift per SKU x
 * location, and on request repairs Redis from PostgreSQL (the level's hash and the SKU's location index).
 */
public final class TieredReconciler {

    private final TieredInventoryStore store;
    private final UnifiedJedis jedis;

    /**
     * A reconciler.
     *
     * @param store the tiered store
     * @param jedis the client of its Redis
     */
    public TieredReconciler(TieredInventoryStore store, UnifiedJedis jedis) {
        this.store = Objects.requireNonNull(store, "store");
        this.jedis = Objects.requireNonNull(jedis, "jedis");
    }

    /**
     * One level that differs.
     *
     * @param truth the level in PostgreSQL
     * @param hot the level in Redis, empty when Redis does not have it
     */
    public record Drift(StockLevel truth, Optional<StockLevel> hot) {
    }

    /**
     * The outcome of a pass.
     *
     * @param checked levels compared
     * @param drifts levels that differed (before any repair)
     * @param repaired levels written to Redis from PostgreSQL
     */
    public record Report(int checked, List<Drift> drifts, int repaired) {
        /** Immutable copy. */
        public Report {
            drifts = List.copyOf(drifts);
        }
    }

    /**
     * Compares every level (quantities, settings, flags; not the timestamps) and, when {@code repair},
     * writes PostgreSQL's level into Redis for each drift. Run it when writes are quiet, or accept that a
     * level changing during the pass may be reported (and repaired to the truth's value of that moment).
     */
    public Report reconcile(boolean repair) {
        List<StockLevel> truth;
        try {
            truth = store.writer().allLevels();
        } catch (SQLException e) {
            throw new InventoryStoreException("reconcile: cannot read PostgreSQL: " + e.getMessage(), e, true);
        }
        List<Drift> drifts = new ArrayList<>();
        int repaired = 0;
        for (StockLevel t : truth) {
            Optional<StockLevel> h = store.hot().level(t.sku(), t.locationId());
            if (h.isPresent() && same(t, h.get())) {
                continue;
            }
            drifts.add(new Drift(t, h));
            if (repair) {
                HotWriter.writeLevel(jedis, store.hot().keyPrefix(), t);
                repaired++;
            }
        }
        return new Report(truth.size(), drifts, repaired);
    }

    static boolean same(StockLevel a, StockLevel b) {
        return a.onHand() == b.onHand() && a.allocated() == b.allocated() && a.reserved() == b.reserved()
                && a.damaged() == b.damaged() && a.safetyStock() == b.safetyStock()
                && a.inTransitIn() == b.inTransitIn() && a.inTransitOut() == b.inTransitOut()
                && a.reorderPoint() == b.reorderPoint() && a.maxStock() == b.maxStock()
                && a.sellable() == b.sellable() && a.receivingBlocked() == b.receivingBlocked()
                && a.version() == b.version();
    }
}
