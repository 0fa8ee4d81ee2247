package dev.inventory.redis;

import dev.inventory.core.flashsale.FlashSaleContract;
import dev.inventory.core.flashsale.FlashSaleStore;
import dev.inventory.core.spi.InventoryStore;

/** The whole flash-sale contract on one Redis node ({@value TestRedis#ENV}, or an embedded Redis 6.2). */
class RedisFlashSaleTest extends FlashSaleContract {
    private String prefix;

    @Override
    protected InventoryStore createStore() {
        prefix = TestRedis.newPrefix();
        return RedisInventoryStore.builder(TestRedis.single().client).keyPrefix(prefix).build();
    }

    @Override
    protected FlashSaleStore createFlashSaleStore(InventoryStore store) {
        return RedisFlashSaleStore.on((RedisInventoryStore) store);
    }

    @Override
    protected void destroyStore(InventoryStore store) {
        store.close();
        TestRedis.single().deleteKeys(prefix);
    }
}
