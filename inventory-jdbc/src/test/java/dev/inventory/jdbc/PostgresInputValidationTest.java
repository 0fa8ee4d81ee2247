package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.Transition;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input is refused before any SQL runs: the store sits on a data source that counts the
 * connections taken (a probe in front of the real pool, not a stand-in for PostgreSQL).
 */
class PostgresInputValidationTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private String schema;
    private CountingDataSource counting;
    private PostgresInventoryStore store;

    @BeforeEach
    void setUp() {
        schema = TestPostgres.newSchema();
        counting = new CountingDataSource(TestPostgres.dataSource());
        store = PostgresInventoryStore.builder().dataSource(counting).schema(schema).build();
        counting.connections.set(0);
    }

    @AfterEach
    void tearDown() {
        try {
            store.close();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "A B", "x'; DROP TABLE stock_levels; --", "a:b", "sku/1", "é", "{tag}",
            "12345678901234567890123456789012345678901234567890123456789012345"})
    void malformedSkusAndLocationsAreRejectedBeforeAnySql(String bad) {
        assertRefusedWithoutSql(() -> store.level(Sku.of(bad), LocationId.of("WH1")), "sku");
        assertRefusedWithoutSql(() -> store.levels(Sku.of(bad)), "sku");
        assertRefusedWithoutSql(() -> store.ledger(Sku.of("A"), LocationId.of(bad)), "locationId");
        assertRefusedWithoutSql(() -> store.apply(new StockCommand.Receive(Sku.of("A"), LocationId.of(bad), 1,
                Origin.NONE), NOW), "locationId");
        assertRefusedWithoutSql(() -> ReservationLine.of(bad, "WH1", 1), "sku");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "r 1", "r1'--", "r1;", "r/1",
        "a12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678"})
    void malformedReservationAndEventIdsAreRejectedBeforeAnySql(String bad) {
        assertRefusedWithoutSql(() -> store.reservation(ReservationId.of(bad)), "reservationId");
        assertRefusedWithoutSql(() -> store.transition(ReservationId.of(bad), Transition.CONFIRM, NOW, Duration.ZERO),
                "reservationId");
        assertRefusedWithoutSql(() -> Origin.event(bad), "eventId");
    }

    @Test
    void nullsAndBadNumbersAreRejectedBeforeAnySql() {
        Reservation hold = new Reservation(ReservationId.of("r1"), List.of(ReservationLine.of("A", "WH1", 1)),
                Optional.empty(), Optional.empty(), Optional.empty(), ReservationStatus.ACTIVE, NOW, NOW, NOW);
        assertRefusedWithoutSql(() -> store.reserve(null, NOW), "reservation");
        assertRefusedWithoutSql(() -> store.reserve(hold, null), "now");
        assertRefusedWithoutSql(() -> store.transition(null, Transition.CONFIRM, NOW, Duration.ZERO), "id");
        assertRefusedWithoutSql(() -> store.transition(hold.id(), null, NOW, Duration.ZERO), "transition");
        assertRefusedWithoutSql(() -> store.transition(hold.id(), Transition.START_PAYMENT, NOW, Duration.ofSeconds(-1)),
                "paymentExtension");
        assertRefusedWithoutSql(() -> store.apply(null, NOW), "command");
        assertRefusedWithoutSql(() -> store.expireDue(NOW, 0), "limit");
        assertRefusedWithoutSql(() -> store.expireDue(null, 10), "now");
        assertRefusedWithoutSql(() -> store.level(null, LocationId.of("WH1")), "sku");
        assertRefusedWithoutSql(() -> new StockCommand.Receive(Sku.of("A"), LocationId.of("WH1"), 0, Origin.NONE),
                "quantity");
        assertRefusedWithoutSql(() -> store.outbox().relay(0, batch -> java.util.Set.of()), "limit");
        assertRefusedWithoutSql(() -> store.outbox().relay(10, null), "publisher");
        assertRefusedWithoutSql(() -> store.outbox().purgePublished(null, 10), "cutoff");
    }

    @Test
    void theLongestAndOddestValidIdsRoundTrip() {
        Sku sku = Sku.of("Aa0._-" + "z".repeat(58));
        LocationId location = LocationId.of("-._" + "9".repeat(61));
        ReservationId id = ReservationId.of("checkout:" + "x".repeat(119));
        assertThat(store.apply(new StockCommand.Receive(sku, location, 3, Origin.event("evt:1.a_b-c", "po 7/ü")),
                NOW).value().isApplied()).isTrue();
        Reservation hold = new Reservation(id, List.of(new ReservationLine(sku, location, 2)), Optional.of("cart \"1\""),
                Optional.of("user'1"), Optional.empty(), ReservationStatus.ACTIVE, NOW, NOW.plusSeconds(60), NOW);
        assertThat(store.reserve(hold, NOW).value()).isInstanceOf(ReservationResult.Success.class);
        assertThat(store.reservation(id)).contains(hold);
        assertThat(store.ledger(sku, location).get(0).reference()).contains("po 7/ü");
        assertThat(store.level(sku, location).orElseThrow().reserved()).isEqualTo(2);
    }

    @Test
    void badBuilderSettingsNameTheFieldAndTouchNoDatabase() {
        CountingDataSource probe = new CountingDataSource(TestPostgres.dataSource());
        assertRefused(() -> PostgresInventoryStore.builder().schema("Inventory"), "schema", "\"Inventory\"");
        assertRefused(() -> PostgresInventoryStore.builder().schema("inv; DROP SCHEMA public"), "schema", "DROP");
        assertRefused(() -> PostgresInventoryStore.builder().schema("pg_inventory"), "schema", "pg_");
        assertRefused(() -> PostgresInventoryStore.builder().schema(null), "schema", "null");
        assertRefused(() -> PostgresInventoryStore.builder().tablePrefix("1x"), "tablePrefix", "\"1x\"");
        assertRefused(() -> PostgresInventoryStore.builder().tablePrefix("x\"y"), "tablePrefix", "x\"y");
        assertRefused(() -> PostgresInventoryStore.builder().maxPoolSize(0), "maxPoolSize", "0");
        assertRefused(() -> PostgresInventoryStore.builder().connectionTimeout(Duration.ofMillis(10)),
                "connectionTimeout", "PT0.01S");
        assertRefused(() -> PostgresInventoryStore.builder().jdbcUrl("jdbc:mysql://localhost/x"), "jdbcUrl", "mysql");
        assertRefused(() -> PostgresInventoryStore.builder().build(), "dataSource", "neither");
        assertRefused(() -> PostgresInventoryStore.builder().dataSource(probe).jdbcUrl("jdbc:postgresql://h/d")
                .build(), "dataSource", "both");
        assertRefused(() -> PostgresInventoryStore.builder().dataSource(probe).maxPoolSize(3).build(), "maxPoolSize",
                "your own dataSource");
        assertThat(probe.connections.get()).isZero();
        assertThat(new JdbcConfig("inv_2", "", false).schema()).isEqualTo("inv_2");
    }

    // ------------------------------------------------------------------ helpers

    private void assertRefusedWithoutSql(Executable call, String field) {
        int before = counting.connections.get();
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
        assertThat(counting.connections.get()).as("connections taken for a call refused on %s", field)
                .isEqualTo(before);
    }

    private static void assertRefused(Executable call, String field, String value) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(field).hasMessageContaining(value);
    }

    /** Counts {@link #getConnection()} calls and hands out the real pool's connections. */
    static final class CountingDataSource implements DataSource {
        final AtomicInteger connections = new AtomicInteger();
        private final DataSource delegate;

        CountingDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            connections.incrementAndGet();
            return delegate.getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return delegate.isWrapperFor(iface);
        }
    }
}
