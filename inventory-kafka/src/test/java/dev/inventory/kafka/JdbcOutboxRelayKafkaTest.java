package dev.inventory.kafka;

import dev.inventory.core.Inventory;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.OutboxSource;
import dev.inventory.jdbc.PostgresInventoryStore;
import dev.inventory.jdbc.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The relay over the PostgreSQL outbox ({@link PostgresInventoryStore#outbox()}) and a real broker.
 * PostgreSQL is {@code INVENTORY_TEST_PG_URL} or an embedded one ({@link TestPostgres}); each test
 * works in its own schema ({@code inv_test_<random>}) and drops only that schema.
 */
@ExtendWith(KafkaBroker.class)
class JdbcOutboxRelayKafkaTest extends RealSourceRelayScenarios {
    private final List<PostgresInventoryStore> stores = new CopyOnWriteArrayList<>();
    private String schema;

    private PostgresInventoryStore newStore() {
        PostgresInventoryStore store = PostgresInventoryStore.builder().jdbcUrl(TestPostgres.jdbcUrl()).schema(schema)
                .maxPoolSize(3).build();
        stores.add(store);
        return store;
    }

    @Override
    protected Inventory openInventory(Consumer<InventoryEvent> listener) {
        schema = TestPostgres.newSchema();
        return Inventory.builder().store(newStore()).withoutSweeper().listener(listener::accept).build();
    }

    @Override
    protected OutboxSource openSource() {
        return newStore().outbox(); // another instance: its own store and pool on the same schema
    }

    @Override
    protected long storedRecords() {
        try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".outbox")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not count the outbox rows of " + schema, e);
        }
    }

    @Override
    protected void dropTestData() {
        try {
            stores.forEach(PostgresInventoryStore::close);
        } finally {
            if (schema != null) {
                TestPostgres.dropSchema(schema);
            }
        }
    }
}
