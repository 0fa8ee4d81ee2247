package dev.inventory.tiered;

import dev.inventory.core.contract.InventoryStoreContract;
import dev.inventory.core.spi.InventoryStore;
import dev.inventory.redis.RedisInventoryStore;

/** The core's whole contract suite on the tiered store: Redis hot, PostgreSQL truth, own schema and prefix. */
class TieredInventoryStoreContractTest extends InventoryStoreContract {
    private String schema;
    private String prefix;

    @Override
    protected InventoryStore createStore() {
        schema = TestServers.newSchema();
        prefix = TestServers.newPrefix();
        RedisInventoryStore hot = RedisInventoryStore.builder(TestServers.redis()).keyPrefix(prefix).build();
        return TieredInventoryStore.builder().hot(hot).redis(TestServers.redis()).dataSource(TestServers.pg()).schema(schema).build();
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
