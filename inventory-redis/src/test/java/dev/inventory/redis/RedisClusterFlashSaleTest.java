package dev.inventory.redis;

import dev.inventory.core.flashsale.FlashSaleContract;
import dev.inventory.core.flashsale.FlashSaleStore;
import dev.inventory.core.spi.InventoryStore;

/**
 * The whole flash-sale contract on the three-master Redis Cluster the tests start: each sale lives in
 * its SKU's slot, the purchase holds' id keys in their own.
 */
class RedisClusterFlashSaleTest extends FlashSaleContract {
    private String prefix;

    @Override
    protected InventoryStore createStore() {
        prefix = TestRedis.newPrefix();
        return RedisInventoryStore.builder(TestRedis.cluster().client).keyPrefix(prefix).build();
    }

    @Override
    protected FlashSaleStore createFlashSaleStore(InventoryStore store) {
        return RedisFlashSaleStore.on((RedisInventoryStore) store);
    }

    @Override
    protected void destroyStore(InventoryStore store) {
        store.close();
        TestRedis.cluster().deleteKeys(prefix);
    }
}
