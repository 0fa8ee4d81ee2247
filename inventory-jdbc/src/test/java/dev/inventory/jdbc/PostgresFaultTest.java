package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.Transition;
import dev.inventory.core.contract.Await;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Infrastructure failures: a connection killed by {@code pg_terminate_backend} in the middle of a
 * transaction (while the store waits for a level lock the test holds) leaves nothing half-applied,
 * surfaces as a retry-safe {@link InventoryStoreException}, and the retry succeeds.
 */
class PostgresFaultTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Sku A = Sku.of("FAULT-A");
    private static final Sku B = Sku.of("FAULT-B");
    private static final LocationId WH = LocationId.of("WH1");

    private String schema;
    private PostgresInventoryStore store;
    private ExecutorService executor;

    @BeforeEach
    void setUp() {
        schema = TestPostgres.newSchema();
        store = PostgresInventoryStore.builder().jdbcUrl(TestPostgres.jdbcUrl()).maxPoolSize(3).schema(schema).build();
        executor = Executors.newCachedThreadPool();
        receive(A, 10);
        receive(B, 10);
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        try {
            store.close();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    @Test
    void killedMultiLineReserveLeavesNothingAndTheRetrySucceeds() throws Exception {
        Reservation hold = hold("r1", ReservationLine.of(A.value(), WH.value(), 2),
                ReservationLine.of(B.value(), WH.value(), 3));
        Snapshot before = snapshot();

        // the store inserts the hold, locks A, then waits for B (held here) and is killed there
        InventoryStoreException failure = killWhileBlockedOn(B, () -> store.reserve(hold, NOW));

        assertThat(failure.isRetrySafe()).isTrue();
        assertThat(failure.getMessage()).contains("reserve").contains("retry is safe");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(store.reservation(hold.id())).isEmpty();

        var retry = store.reserve(hold, NOW);
        assertThat(retry.value()).isInstanceOf(ReservationResult.Success.class);
        assertThat(level(A).reserved()).isEqualTo(2);
        assertThat(level(B).reserved()).isEqualTo(3);
        assertThat(outboxRows()).isEqualTo(before.outboxRows + 2);
    }

    @Test
    void killedConfirmLeavesTheHoldActive() throws Exception {
        Reservation hold = hold("r2", ReservationLine.of(A.value(), WH.value(), 4));
        assertThat(store.reserve(hold, NOW).value().isSuccess()).isTrue();
        Snapshot before = snapshot();

        InventoryStoreException failure = killWhileBlockedOn(A,
                () -> store.transition(hold.id(), Transition.CONFIRM, NOW, Duration.ZERO));

        assertThat(failure.isRetrySafe()).isTrue();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(store.reservation(hold.id()).orElseThrow().status()).isEqualTo(ReservationStatus.ACTIVE);
        var retry = store.transition(hold.id(), Transition.CONFIRM, NOW, Duration.ZERO);
        assertThat(retry.value()).isInstanceOf(ReservationResult.Success.class);
        assertThat(level(A).allocated()).isEqualTo(4);
    }

    @Test
    void killedEventCommandKeepsNoProcessedEventSoTheRedeliveryApplies() throws Exception {
        var receipt = new StockCommand.Receive(A, WH, 5, Origin.event("evt-kill-1", "po-9"));
        Snapshot before = snapshot();

        InventoryStoreException failure = killWhileBlockedOn(A, () -> store.apply(receipt, NOW));

        assertThat(failure.isRetrySafe()).isTrue();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".processed_events")).isZero();
        var redelivered = store.apply(receipt, NOW);
        assertThat(redelivered.value().isApplied()).isTrue();
        assertThat(store.apply(receipt, NOW).value()).isEqualTo(new StockResult.Duplicate("evt-kill-1"));
        assertThat(level(A).onHand()).isEqualTo(15);
    }

    @Test
    void unreachableDatabaseIsARetrySafeFailureAtBuild() {
        // port 1 on the loopback interface: nothing listens there
        assertThatThrownBy(() -> PostgresInventoryStore.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2").connectionTimeout(Duration.ofSeconds(1))
                .schema(schema).build())
                .isInstanceOfSatisfying(InventoryStoreException.class, e -> assertThat(e.isRetrySafe()).isTrue());
    }

    @Test
    void aStatementThatFailsForGoodIsNotRetrySafeAndChangesNothing() {
        // an operator dropped the outbox: every write fails, permanently, and rolls back whole
        TestPostgres.update("ALTER TABLE " + schema + ".outbox RENAME TO outbox_gone");
        long version = level(A).version();
        assertThatThrownBy(() -> store.apply(new StockCommand.Receive(A, WH, 1, Origin.NONE), NOW))
                .isInstanceOfSatisfying(InventoryStoreException.class, e -> {
                    assertThat(e.isRetrySafe()).isFalse();
                    assertThat(e.getMessage()).contains("42P01");
                });
        assertThat(level(A).version()).isEqualTo(version);
        assertThat(store.ledger(A, WH)).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Holds {@code locked}'s row lock, starts {@code call} on another thread, waits until the store's
     * transaction waits for that lock, terminates the store's backend, and returns what the call threw.
     */
    private InventoryStoreException killWhileBlockedOn(Sku locked, Supplier<?> call) throws Exception {
        try (Connection blocker = TestPostgres.dataSource().getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement ps = blocker.prepareStatement(
                    "SELECT 1 FROM " + schema + ".stock_levels WHERE sku = ? FOR UPDATE")) {
                ps.setString(1, locked.value());
                ps.executeQuery().close();
            }
            Future<Throwable> outcome = executor.submit(() -> {
                try {
                    call.get();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            AtomicLong pid = new AtomicLong();
            Await.until("the store's transaction waits for the lock on " + locked, Duration.ofSeconds(20), () -> {
                pid.set(blockedBackend());
                return pid.get() != 0;
            });
            assertThat(TestPostgres.queryLong("SELECT count(*) FROM pg_stat_activity WHERE pid = ?"
                    + " AND state = 'active' AND wait_event_type = 'Lock'", (int) pid.get())).isEqualTo(1);
            assertThat(TestPostgres.queryLong("SELECT CASE WHEN pg_terminate_backend(?) THEN 1 ELSE 0 END",
                    (int) pid.get())).isEqualTo(1);
            Throwable thrown = outcome.get(30, TimeUnit.SECONDS);
            blocker.rollback();
            assertThat(thrown).as("the call must fail when its connection is killed")
                    .isInstanceOf(InventoryStoreException.class);
            return (InventoryStoreException) thrown;
        }
    }

    /** The backend of a session of this schema waiting for a lock, or 0. */
    private long blockedBackend() {
        try (Connection c = TestPostgres.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                     + " AND state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, "%" + schema + ".%"); // pg_stat_activity keeps the first 1,024 bytes of a statement
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Snapshot(StockLevel a, StockLevel b, long outboxRows, long ledgerRows, long holds, long lines) {
    }

    private Snapshot snapshot() {
        return new Snapshot(level(A), level(B), outboxRows(),
                TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".ledger"),
                TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".reservations"),
                TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".reservation_lines"));
    }

    private long outboxRows() {
        return TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".outbox");
    }

    private StockLevel level(Sku sku) {
        return store.level(sku, WH).orElseThrow();
    }

    private void receive(Sku sku, long quantity) {
        assertThat(store.apply(new StockCommand.Receive(sku, WH, quantity, Origin.NONE), NOW).value().isApplied())
                .isTrue();
    }

    private static Reservation hold(String id, ReservationLine... lines) {
        return new Reservation(ReservationId.of(id), List.of(lines), Optional.of("cart"), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, NOW, NOW.plus(Duration.ofMinutes(15)), NOW);
    }
}
