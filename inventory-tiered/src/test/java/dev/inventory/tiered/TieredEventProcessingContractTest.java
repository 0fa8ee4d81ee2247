package dev.inventory.tiered;

import dev.inventory.core.processing.EventProcessingContract;
import dev.inventory.core.spi.InventoryStore;
import dev.inventory.redis.RedisInventoryStore;

/**
 * The event-processing contract with the processors over the tiered store (own schema and prefix); their own
 * state (the processed-event record, the backorder queue) is the core's in-memory default.
 */
class TieredEventProcessingContractTest extends EventProcessingContract {
    private String schema;
    private String prefix;

    @Override
    protected InventoryStore createStore() {
        schema = TestServers.newSchema();
        prefix = TestServers.newPrefix();
        RedisInventoryStore hot = RedisInventoryStore.builder(TestServers.redis()).keyPrefix(prefix).build();
        return TieredInventoryStore.builder().hot(hot).redis(TestServers.redis()).dataSource(TestServers.pg())
                .schema(schema).build();
    }

    @Override
    protected void destroyStore(InventoryStore store) {
        try {
            store.close();
        } finally {
            TestServers.dropSchema(schema);
            TestServers.deleteKeys(TestServers.redis(), prefix);
        }
    }
}
