package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write statement checks its own row counts: a guarded level update that misses its row (the
 * level is not at the version the transaction believes it locked, which only a bug can cause) fails
 * the statement, so nothing of it is written, and the COMMIT that travels with it for idempotent
 * calls does not run.
 */
class PostgresWriteCheckTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Sku A = Sku.of("CHECK-A");
    private static final LocationId WH = LocationId.of("WH1");

    private String schema;
    private PostgresInventoryStore store;

    @BeforeEach
    void setUp() {
        schema = TestPostgres.newSchema();
        store = TestPostgres.newStore(schema);
        store.apply(new StockCommand.Receive(A, WH, 10, Origin.NONE), NOW);
    }

    @AfterEach
    void tearDown() {
        try {
            store.close();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    @ParameterizedTest(name = "idempotent call (COMMIT in the same round trip): {0}")
    @ValueSource(booleans = {true, false})
    void aGuardedUpdateThatMissesItsRowFailsTheWholeWriteAndCommitsNothing(boolean idempotent) {
        StockLevel level = store.level(A, WH).orElseThrow();
        StockLevel after = level.withQuantities(level.onHand() + 5, level.allocated(), level.reserved(),
                level.damaged(), NOW);
        Jdbc jdbc = new Jdbc(TestPostgres.dataSource(), false);
        Sql sql = new Sql(store.config());

        assertThatThrownBy(() -> jdbc.inTransaction("a write with a stale version", idempotent, tx -> {
            WriteSet writes = new WriteSet();
            writes.level(after, level.version() + 7); // not the version the row is at
            writes.ledger(new LedgerEntry(A, WH, LedgerEntry.Kind.RECEIPT, 5, after.onHand(), after.version(),
                    Optional.empty(), Optional.empty(), NOW));
            writes.execute(tx, sql);
            return null;
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inventory write check failed")
                .hasMessageContaining("level=0")
                .hasMessageContaining("rolled back");

        assertThat(store.level(A, WH).orElseThrow()).isEqualTo(level);
        assertThat(store.ledger(A, WH)).hasSize(1);
        // the connection went back to the pool usable: the next call works
        store.apply(new StockCommand.Receive(A, WH, 1, Origin.NONE), NOW);
        assertThat(store.level(A, WH).orElseThrow().onHand()).isEqualTo(11);
    }
}
