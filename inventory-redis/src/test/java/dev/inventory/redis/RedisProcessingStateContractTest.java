package dev.inventory.redis;

import dev.inventory.core.processing.BackorderQueue;
import dev.inventory.core.processing.ProcessedEvents;
import dev.inventory.core.processing.ProcessingStateContract;

/** The processing-state contract on {@link RedisBackorderQueue} and {@link RedisProcessedEvents}, one Redis node. */
class RedisProcessingStateContractTest extends ProcessingStateContract {
    private String prefix;
    private RedisInventoryStore store;

    private RedisInventoryStore store() {
        if (store == null) {
            prefix = TestRedis.newPrefix();
            store = RedisInventoryStore.builder(TestRedis.single().client).keyPrefix(prefix).build();
        }
        return store;
    }

    @Override
    protected BackorderQueue createQueue() {
        return RedisBackorderQueue.on(store());
    }

    @Override
    protected ProcessedEvents createProcessedEvents() {
        return RedisProcessedEvents.on(store());
    }

    @Override
    protected void cleanUp() {
        store.close();
        TestRedis.single().deleteKeys(prefix);
    }
}
