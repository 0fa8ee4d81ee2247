package dev.inventory.redis;

import dev.inventory.core.processing.EventProcessingContract;
import dev.inventory.core.spi.InventoryStore;

/**
 * The event-processing contract with the processors over the Redis store (one node); their own state (the
 * processed-event record, the backorder queue) is the core's in-memory default.
 */
class RedisEventProcessingContractTest extends EventProcessingContract {
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
