package dev.inventory.redis;

import dev.inventory.core.processing.BackorderContract;
import dev.inventory.core.processing.BackorderQueue;
import dev.inventory.core.processing.ProcessedEvents;
import dev.inventory.core.spi.InventoryStore;

/**
 * The backorder contract on one Redis node, with the processors' state there too
 * ({@link RedisProcessedEvents}, {@link RedisBackorderQueue}).
 */
class RedisBackorderContractTest extends BackorderContract {
    private String prefix;
    private RedisInventoryStore redis;

    @Override
    protected InventoryStore createStore() {
        prefix = TestRedis.newPrefix();
        redis = RedisInventoryStore.builder(TestRedis.single().client).keyPrefix(prefix).build();
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
        TestRedis.single().deleteKeys(prefix);
    }
}
