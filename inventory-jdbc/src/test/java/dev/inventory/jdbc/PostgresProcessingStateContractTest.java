package dev.inventory.jdbc;

import dev.inventory.core.processing.BackorderQueue;
import dev.inventory.core.processing.ProcessedEvents;
import dev.inventory.core.processing.ProcessingStateContract;

/** The processing-state contract on {@link PostgresBackorderQueue} and {@link PostgresProcessedEvents}. */
class PostgresProcessingStateContractTest extends ProcessingStateContract {
    private String schema;
    private PostgresInventoryStore store;

    private PostgresInventoryStore store() {
        if (store == null) {
            schema = TestPostgres.newSchema();
            store = TestPostgres.newStore(schema);
        }
        return store;
    }

    @Override
    protected BackorderQueue createQueue() {
        return PostgresBackorderQueue.on(store());
    }

    @Override
    protected ProcessedEvents createProcessedEvents() {
        return PostgresProcessedEvents.on(store());
    }

    @Override
    protected void cleanUp() {
        try {
            store.close();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }
}
