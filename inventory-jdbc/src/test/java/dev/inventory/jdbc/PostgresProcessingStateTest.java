package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.processing.Backorder;
import dev.inventory.core.processing.BackorderPolicy;
import dev.inventory.core.processing.Backorders;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL queue and record add to the shared {@code ProcessingStateContract}: they survive a
 * restart, instants to the microsecond, forgetting old ids.
 */
class PostgresProcessingStateTest {
    private static final Sku A = Sku.of("A");
    private static final LocationId WH1 = LocationId.of("WH1");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

    private String schema;
    private PostgresInventoryStore store;

    @BeforeEach
    void setUp() {
        schema = TestPostgres.newSchema();
        store = TestPostgres.newStore(schema);
    }

    @AfterEach
    void tearDown() {
        try {
            store.close();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    @Test
    void instantsAreKeptToTheMicrosecondAsPostgresqlDoes() {
        PostgresBackorderQueue queue = PostgresBackorderQueue.on(store);
        Backorder queued = queue.add(ReservationRequest.builder("o1").line(A, WH1, 1).build(), T0).orElseThrow();

        assertThat(queued.acceptedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z"));
        assertThat(queue.find(ReservationId.of("o1"))).contains(queued);
    }

    @Test
    void queuedRequestsSurviveARestartAndAreServedAfterIt() {
        Inventory before = Inventory.builder().store(store).build();
        try (Backorders backorders = Backorders.builder(before).queue(PostgresBackorderQueue.on(store))
                .defaultPolicy(BackorderPolicy.backorders(100)).build()) {
            assertThat(backorders.reserveOrQueue(ReservationRequest.builder("o1").line(A, WH1, 2).build()))
                    .isInstanceOf(Backorders.Outcome.Queued.class);
            assertThat(backorders.reserveOrQueue(ReservationRequest.builder("o2").line(A, WH1, 3).build()))
                    .isInstanceOf(Backorders.Outcome.Queued.class);
            assertThat(backorders.confirmWhenServed(ReservationId.of("o1"))).isTrue();
        }
        store.close();

        // a new process: a new store on the same schema, a new queue, a new component
        store = TestPostgres.newStore(schema);
        Inventory after = Inventory.builder().store(store).build();
        try (Backorders backorders = Backorders.builder(after).queue(PostgresBackorderQueue.on(store))
                .defaultPolicy(BackorderPolicy.backorders(100)).build()) {
            assertThat(backorders.waiting(A, WH1)).extracting(Backorder::id)
                    .containsExactly(ReservationId.of("o1"), ReservationId.of("o2"));
            assertThat(after.stock().receive(A, WH1, 4).isApplied()).isTrue();

            assertThat(backorders.servePending()).as("o1 fits; o2 (3 more) does not, strict order").isEqualTo(1);

            assertThat(after.reservations().find(ReservationId.of("o1")).orElseThrow().status())
                    .as("paid while waiting: confirmed when served").isEqualTo(ReservationStatus.CONFIRMED);
            assertThat(backorders.waiting(A, WH1)).extracting(Backorder::id).containsExactly(ReservationId.of("o2"));
        }
    }

    @Test
    void theRecordRemembersEventIdsAcrossInstancesUntilForgotten() {
        PostgresProcessedEvents record = PostgresProcessedEvents.on(store);
        assertThat(record.record("e1", T0)).isTrue();
        assertThat(record.record("e2", T0.plusSeconds(60))).isTrue();

        PostgresProcessedEvents another = PostgresProcessedEvents.on(store);
        assertThat(another.contains("e1")).isTrue();
        assertThat(another.contains("e2")).isTrue();

        assertThat(another.forgetBefore(T0.plusSeconds(30), 100)).isEqualTo(1);
        assertThat(record.contains("e1")).isFalse();
        assertThat(record.contains("e2")).isTrue();
        assertThat(record.forgetBefore(T0.plusSeconds(30), 100)).isZero();
    }

    @Test
    void badArgumentsAreRefusedWithAClearMessage() {
        PostgresProcessedEvents record = PostgresProcessedEvents.on(store);
        assertThatThrownBy(() -> record.record("", T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventId");
        assertThatThrownBy(() -> record.forgetBefore(T0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> PostgresBackorderQueue.on(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("store");
    }
}
