package dev.inventory.redis;

import dev.inventory.core.processing.BackorderContract;
import dev.inventory.core.processing.BackorderQueue;
import dev.inventory.core.processing.ProcessedEvents;
import dev.inventory.core.spi.InventoryStore;

/**
 * The backorder contract on the tests' Redis Cluster, with the queue and the processed-event record
 * there too (the queue's keys share one slot; SKUs and event ids spread over the nodes).
 */
class RedisClusterBackorderContractTest extends BackorderContract {
    private String prefix;
    private RedisInventoryStore redis;

    @Override
    protected InventoryStore createStore() {
        prefix = TestRedis.newPrefix();
        redis = RedisInventoryStore.builder(TestRedis.cluster().client).keyPrefix(prefix).build();
        return redis;
    }

    @Override
    protected ProcessedEvents createProcessedEvents() {
        return RedisProcessedEvents.on(redis);
    }

    @Override
    protected BackorderQueue createBackorderQueue() {
        return RedisBackorderQueue.on(redis);
    }

    @Override
    protected void destroyStore(InventoryStore store) {
        store.close();
        TestRedis.cluster().deleteKeys(prefix);
    }
}
