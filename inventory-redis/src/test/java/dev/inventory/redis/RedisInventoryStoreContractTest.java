package dev.inventory.redis;

import dev.inventory.core.contract.InventoryStoreContract;
import dev.inventory.core.spi.InventoryStore;

/** The whole contract suite on one Redis node ({@value TestRedis#ENV}, or an embedded Redis 6.2). */
class RedisInventoryStoreContractTest extends InventoryStoreContract {
    private String prefix;

    @Override
    protected InventoryStore createStore() {
        prefix = TestRedis.newPrefix();
        return RedisInventoryStore.builder(TestRedis.single().client).keyPrefix(prefix).build();
    }

    @Override
    protected void destroyStore(InventoryStore store) {
        store.close();
        TestRedis.single().deleteKeys(prefix);
    }
}
