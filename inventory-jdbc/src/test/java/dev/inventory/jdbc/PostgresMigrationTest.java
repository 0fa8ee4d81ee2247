package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The schema's versioned migration, and the constraints it installs. */
class PostgresMigrationTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

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
    void migratingTwiceCreatesTheSchemaOnceAndThenDoesNothing() {
        try (PostgresInventoryStore store = TestPostgres.newStore(schema)) {
            assertThat(versions()).isEqualTo(Migrations.latest());
            store.apply(new StockCommand.Receive(Sku.of("A"), LocationId.of("WH1"), 5, Origin.NONE), NOW);
            assertThat(store.migrate()).isZero();
            assertThat(store.migrate()).isZero();
            assertThat(versions()).isEqualTo(Migrations.latest());
            assertThat(store.level(Sku.of("A"), LocationId.of("WH1")).orElseThrow().onHand()).isEqualTo(5);
        }
        assertThat(tables()).containsExactlyInAnyOrder("stock_levels", "reservations", "ledger", "outbox",
                "processed_events", "schema_version", "flash_sales", "flash_sale_pools", "flash_sale_users",
                "flash_purchases", "flash_used_tokens", "flash_outstanding_tokens", "flash_entries", "flash_buckets",
                "processor_events", "backorders", "backorder_lines");
    }

    @Test
    void storesStartingAtOnceOnAFreshSchemaMigrateItExactlyOnce() throws Exception {
        int instances = 6;
        ExecutorService executor = Executors.newFixedThreadPool(instances);
        List<PostgresInventoryStore> stores = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<PostgresInventoryStore>> futures = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return TestPostgres.newStore(schema);
                }));
            }
            start.countDown();
            for (Future<PostgresInventoryStore> f : futures) {
                stores.add(f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            executor.shutdownNow();
            stores.forEach(PostgresInventoryStore::close);
        }
        assertThat(stores).hasSize(instances);
        assertThat(versions()).isEqualTo(Migrations.latest());
        assertThat(tables()).hasSize(17); // 7 of V1, 8 of V2, 3 of V4; reservation_lines a view since V5
    }

    @Test
    void aStoreThatMustNotMigrateRefusesAnUnmigratedSchemaAndSaysWhatToDo() {
        assertThatThrownBy(() -> PostgresInventoryStore.builder().dataSource(TestPostgres.dataSource()).schema(schema)
                .migrateOnStart(false).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(schema).hasMessageContaining("version 0").hasMessageContaining("migrate()");
        try (PostgresInventoryStore migrating = TestPostgres.newStore(schema)) {
            assertThat(migrating.config().schema()).isEqualTo(schema);
        }
        try (PostgresInventoryStore store = PostgresInventoryStore.builder().dataSource(TestPostgres.dataSource())
                .schema(schema).migrateOnStart(false).build()) {
            assertThat(store.level(Sku.of("A"), LocationId.of("WH1"))).isEmpty();
        }
    }

    @Test
    void aSchemaNewerThanTheLibraryIsRefused() {
        TestPostgres.newStore(schema).close();
        TestPostgres.update("INSERT INTO " + schema + ".schema_version (version, script) VALUES (99, 'V99__future.sql')");
        assertThatThrownBy(() -> TestPostgres.newStore(schema))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("version 99");
    }

    @Test
    void tablePrefixesKeepTwoStoresApartInOneSchema() {
        try (PostgresInventoryStore shop = PostgresInventoryStore.builder().dataSource(TestPostgres.dataSource())
                .schema(schema).tablePrefix("shop_").build();
             PostgresInventoryStore outlet = PostgresInventoryStore.builder().dataSource(TestPostgres.dataSource())
                .schema(schema).tablePrefix("outlet_").build()) {
            shop.apply(new StockCommand.Receive(Sku.of("A"), LocationId.of("WH1"), 5, Origin.NONE), NOW);
            assertThat(outlet.level(Sku.of("A"), LocationId.of("WH1"))).isEmpty();
            assertThat(shop.level(Sku.of("A"), LocationId.of("WH1"))).isPresent();
        }
        assertThat(tables()).contains("shop_stock_levels", "outlet_stock_levels", "shop_outbox", "outlet_outbox")
                .hasSize(34);
    }

    @Test
    void version5MovesTheLinesOfExistingHoldsIntoTheirRows() throws Exception {
        Sql sql = new Sql(new JdbcConfig(schema, "", true));
        TestPostgres.update("CREATE SCHEMA " + schema);
        try (java.sql.Connection c = TestPostgres.dataSource().getConnection();
                java.sql.Statement st = c.createStatement()) {
            st.execute(sql.get("create_version_table"));
            for (int v = 1; v <= 3; v++) {
                st.execute(sql.migration(Migrations.SCRIPTS.get(v - 1)));
                st.execute("INSERT INTO " + schema + ".schema_version (version, script) VALUES (" + v + ", '"
                        + Migrations.SCRIPTS.get(v - 1) + "')");
            }
            st.execute("INSERT INTO " + schema + ".reservations (id, status, created_at, expires_at, updated_at)"
                    + " VALUES ('H1', 'ACTIVE', '2026-03-01T10:00:00Z', '2026-03-01T10:15:00Z', '2026-03-01T10:00:00Z')");
            st.execute("INSERT INTO " + schema + ".reservation_lines (reservation_id, sku, location_id, quantity)"
                    + " VALUES ('H1', 'b', 'WH1', 2), ('H1', 'B', 'WH2', 3), ('H1', 'B', 'WH1', 1)");
        }
        try (PostgresInventoryStore store = TestPostgres.newStore(schema)) {
            dev.inventory.core.Reservation hold = store.reservation(dev.inventory.core.ReservationId.of("H1"))
                    .orElseThrow();
            assertThat(hold.lines()).containsExactly(
                    new dev.inventory.core.ReservationLine(Sku.of("B"), LocationId.of("WH1"), 1),
                    new dev.inventory.core.ReservationLine(Sku.of("B"), LocationId.of("WH2"), 3),
                    new dev.inventory.core.ReservationLine(Sku.of("b"), LocationId.of("WH1"), 2));
        }
        assertThat(versions()).isEqualTo(Migrations.latest());
        assertThat(TestPostgres.queryStrings("SELECT sku || '@' || location_id || '=' || quantity FROM " + schema
                + ".reservation_lines WHERE reservation_id = ?", "H1")).containsExactly("B@WH1=1", "B@WH2=3", "b@WH1=2");
        assertThatThrownBy(() -> TestPostgres.update("UPDATE " + schema + ".reservations SET line_quantities = '{1, 0, 2}'"))
                .rootCause().hasMessageContaining("reservations_lines");
    }

    @Test
    void theLedgerIsAppendOnly() {
        try (PostgresInventoryStore store = TestPostgres.newStore(schema)) {
            store.apply(new StockCommand.Receive(Sku.of("A"), LocationId.of("WH1"), 5, Origin.NONE), NOW);
        }
        for (String change : List.of("UPDATE " + schema + ".ledger SET delta = 50",
                "DELETE FROM " + schema + ".ledger", "TRUNCATE " + schema + ".ledger")) {
            assertThatThrownBy(() -> TestPostgres.update(change)).as(change)
                    .rootCause().hasMessageContaining("the inventory ledger is append-only: "
                            + change.split(" ")[0] + " refused");
        }
        assertThat(TestPostgres.queryLong("SELECT sum(delta) FROM " + schema + ".ledger")).isEqualTo(5);
    }

    @Test
    void checkConstraintsEnforceI1AndI2() {
        try (PostgresInventoryStore store = TestPostgres.newStore(schema)) {
            store.apply(new StockCommand.Receive(Sku.of("A"), LocationId.of("WH1"), 5, Origin.NONE), NOW);
        }
        assertThatThrownBy(() -> TestPostgres.update("UPDATE " + schema + ".stock_levels SET reserved = 6"))
                .rootCause().hasMessageContaining("violates check constraint \"stock_levels_i2_not_overpromised\"");
        assertThatThrownBy(() -> TestPostgres.update("UPDATE " + schema + ".stock_levels SET damaged = -1"))
                .rootCause().hasMessageContaining("stock_levels_i1_non_negative");
    }

    @Test
    void aMigrationThatFailsLeavesNothingBehindAndIsNotRetrySafe() {
        TestPostgres.update("CREATE SCHEMA " + schema);
        TestPostgres.update("CREATE TABLE " + schema + ".stock_levels (x int)"); // someone else's table
        assertThatThrownBy(() -> TestPostgres.newStore(schema))
                .isInstanceOfSatisfying(InventoryStoreException.class, e -> assertThat(e.isRetrySafe()).isFalse());
        assertThat(tables()).containsExactly("stock_levels"); // the failed migration left nothing behind
    }

    // ------------------------------------------------------------------ helpers

    private long versions() {
        return TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".schema_version");
    }

    private List<String> tables() {
        return TestPostgres.queryStrings("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY tablename",
                schema);
    }
}
