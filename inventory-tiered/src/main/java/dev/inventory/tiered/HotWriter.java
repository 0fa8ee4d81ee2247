package dev.inventory.tiered;

import dev.inventory.core.StockLevel;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Writes a level into Redis in the hot store's key layout (inventory-redis README, "Key layout"): the
 * level hash {@code P{sku}:lvl:<loc>}, the SKU's location index and the SKU registry.
 */
final class HotWriter {

    private HotWriter() {
    }

    /**
     * Writes the level with room for any hold while the loader writes the holds back: a huge onHand,
     * nothing held or damaged, no safety stock, sellable, version 0. Overwritten by {@link #writeLevel}.
     */
    static void writeRoomyLevel(UnifiedJedis jedis, String keyPrefix, StockLevel l) {
        writeLevel(jedis, keyPrefix, new StockLevel(l.sku(), l.locationId(), 1_000_000_000_000L, 0, 0, 0, 0,
                l.inTransitIn(), l.inTransitOut(), 0, 0, true, false, 0, l.updatedAt()));
    }

    static String ledgerKey(String keyPrefix, dev.inventory.core.Sku sku, dev.inventory.core.LocationId loc) {
        return keyPrefix + "inv:{" + sku.value() + "}:ledger:" + loc.value();
    }

    static void writeLevel(UnifiedJedis jedis, String keyPrefix, StockLevel l) {
        String p = keyPrefix + "inv:";
        String base = p + "{" + l.sku().value() + "}:";
        Map<String, String> f = new LinkedHashMap<>();
        f.put("oh", Long.toString(l.onHand()));
        f.put("al", Long.toString(l.allocated()));
        f.put("rs", Long.toString(l.reserved()));
        f.put("dm", Long.toString(l.damaged()));
        f.put("ss", Long.toString(l.safetyStock()));
        f.put("ti", Long.toString(l.inTransitIn()));
        f.put("to", Long.toString(l.inTransitOut()));
        f.put("rp", Long.toString(l.reorderPoint()));
        f.put("mx", Long.toString(l.maxStock()));
        f.put("sl", l.sellable() ? "1" : "0");
        f.put("rb", l.receivingBlocked() ? "1" : "0");
        f.put("v", Long.toString(l.version()));
        f.put("u", Long.toString(l.updatedAt().toEpochMilli()));
        jedis.hset(base + "lvl:" + l.locationId().value(), f);
        jedis.zadd(base + "locs", 0, l.locationId().value());
        jedis.sadd(p + "{:reg}:skus", l.sku().value());
    }
}
