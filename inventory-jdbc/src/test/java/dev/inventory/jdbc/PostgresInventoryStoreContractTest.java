package dev.inventory.jdbc;

import dev.inventory.core.contract.InventoryStoreContract;
import dev.inventory.core.spi.InventoryStore;

/**
 * The whole contract suite on PostgreSQL. Each test gets its own freshly migrated schema (the
 * sweeper tests count every due hold in the store, so tests cannot share one), dropped afterwards.
 */
class PostgresInventoryStoreContractTest extends InventoryStoreContract {
    private String schema;

    @Override
    protected InventoryStore createStore() {
        schema = TestPostgres.newSchema();
        return TestPostgres.newStore(schema);
    }

    @Override
    protected void destroyStore(InventoryStore store) {
        try {
            store.close();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }
}
