package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store closes the pool it created, and never a pool the host passed in. */
class PostgresPoolOwnershipTest {
    private static final Sku A = Sku.of("A");
    private static final LocationId WH = LocationId.of("WH1");

    private String schema;

    @BeforeEach
    void setUp() {
        schema = TestPostgres.newSchema();
    }

    @AfterEach
    void tearDown() {
        TestPostgres.dropSchema(schema);
    }

    @Test
    void closingTheStoreClosesThePoolItCreated() {
        PostgresInventoryStore store = PostgresInventoryStore.builder().jdbcUrl(TestPostgres.jdbcUrl()).maxPoolSize(2)
                .schema(schema).build();
        assertThat(store.level(A, WH)).isEmpty();
        store.close();
        assertThatThrownBy(() -> store.level(A, WH)).isInstanceOf(InventoryStoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closingTheStoreLeavesTheHostsPoolOpen() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestPostgres.jdbcUrl());
        config.setMaximumPoolSize(2);
        try (HikariDataSource hostPool = new HikariDataSource(config)) {
            PostgresInventoryStore store = PostgresInventoryStore.builder().dataSource(hostPool).schema(schema).build();
            assertThat(store.level(A, WH)).isEmpty();
            store.close();
            assertThat(hostPool.isClosed()).isFalse();
            try (Connection c = hostPool.getConnection()) {
                assertThat(c.isValid(5)).isTrue();
            }
            try (PostgresInventoryStore again = PostgresInventoryStore.builder().dataSource(hostPool).schema(schema)
                    .build()) {
                assertThat(again.level(A, WH)).isEmpty();
            }
        }
    }
}
