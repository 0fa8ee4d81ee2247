package dev.inventory.jdbc;

import dev.inventory.core.flashsale.FlashSaleContract;
import dev.inventory.core.flashsale.FlashSaleStore;
import dev.inventory.core.spi.InventoryStore;

/**
 * The whole flash-sale contract on PostgreSQL ({@value TestPostgres#ENV}, or an embedded PostgreSQL),
 * each test in a freshly migrated schema of its own, dropped afterwards.
 */
class PostgresFlashSaleStoreContractTest extends FlashSaleContract {
    private String schema;

    @Override
    protected InventoryStore createStore() {
        schema = TestPostgres.newSchema();
        return TestPostgres.newStore(schema);
    }

    @Override
    protected FlashSaleStore createFlashSaleStore(InventoryStore store) {
        return PostgresFlashSaleStore.on((PostgresInventoryStore) store);
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
