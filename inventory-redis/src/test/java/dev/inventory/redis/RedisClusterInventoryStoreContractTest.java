package dev.inventory.redis;

import dev.inventory.core.contract.InventoryStoreContract;
import dev.inventory.core.spi.InventoryStore;

/**
 * The whole contract suite on a Redis Cluster of three masters that the tests start on loopback
 * ports: holds over SKUs in different slots go through the multi-slot protocol.
 */
class RedisClusterInventoryStoreContractTest extends InventoryStoreContract {
    private String prefix;

    @Override
    protected InventoryStore createStore() {
        prefix = TestRedis.newPrefix();
        return RedisInventoryStore.builder(TestRedis.cluster().client).keyPrefix(prefix).build();
    }

    @Override
    protected void destroyStore(InventoryStore store) {
        store.close();
        TestRedis.cluster().deleteKeys(prefix);
    }
}
