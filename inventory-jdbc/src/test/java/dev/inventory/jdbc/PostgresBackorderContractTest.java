package dev.inventory.jdbc;

import dev.inventory.core.processing.BackorderContract;
import dev.inventory.core.processing.BackorderQueue;
import dev.inventory.core.processing.ProcessedEvents;
import dev.inventory.core.spi.InventoryStore;

/**
 * The backorder contract on PostgreSQL, with the processors' durable state there too
 * ({@link PostgresProcessedEvents}, {@link PostgresBackorderQueue}); a schema per test.
 */
class PostgresBackorderContractTest extends BackorderContract {
    private String schema;
    private PostgresInventoryStore postgres;

    @Override
    protected InventoryStore createStore() {
        schema = TestPostgres.newSchema();
        postgres = TestPostgres.newStore(schema);
        return postgres;
    }

    @Override
    protected ProcessedEvents createProcessedEvents() {
        return PostgresProcessedEvents.on(postgres);
    }

    @Override
    protected BackorderQueue createBackorderQueue() {
        return PostgresBackorderQueue.on(postgres);
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
