package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.contract.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PostgresInventoryStore#purgeFinishedHolds}: which holds go, which stay, and that stock is untouched. */
class PostgresRetentionTest {
    private static final Sku A = Sku.of("A");
    private static final LocationId WH1 = LocationId.of("WH1");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private String schema;
    private PostgresInventoryStore store;
    private MutableClock clock;
    private Inventory inventory;

    @BeforeEach
    void setUp() {
        schema = TestPostgres.newSchema();
        store = TestPostgres.newStore(schema);
        clock = new MutableClock(T0);
        inventory = Inventory.builder().store(store).clock(clock).build();
        assertThat(inventory.stock().receive(A, WH1, 100).isApplied()).isTrue();
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
    void onlyHoldsThatFinishedBeforeTheCutoffGoWithTheirLines() {
        hold("fulfilled");
        inventory.reservations().confirm(id("fulfilled"));
        inventory.reservations().fulfil(id("fulfilled"));
        hold("released");
        inventory.reservations().release(id("released"));
        hold("cancelled");
        inventory.reservations().confirm(id("cancelled"));
        inventory.reservations().cancel(id("cancelled"));
        hold("active");
        hold("confirmed");
        inventory.reservations().confirm(id("confirmed"));
        clock.advance(Duration.ofDays(2));
        hold("late");
        inventory.reservations().release(id("late"));
        StockLevel before = inventory.level(A, WH1).orElseThrow();

        assertThat(store.purgeFinishedHolds(clock.instant().minus(Duration.ofDays(1)), 2)).isEqualTo(2);
        assertThat(store.purgeFinishedHolds(clock.instant().minus(Duration.ofDays(1)), 100)).isEqualTo(1);
        assertThat(store.purgeFinishedHolds(clock.instant().minus(Duration.ofDays(1)), 100)).isZero();

        for (String gone : new String[] {"fulfilled", "released", "cancelled"}) {
            assertThat(inventory.reservations().find(id(gone))).as(gone).isEmpty();
        }
        for (String kept : new String[] {"active", "confirmed", "late"}) {
            assertThat(inventory.reservations().find(id(kept))).as(kept).isPresent();
        }
        assertThat(TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".reservation_lines")).isEqualTo(3);
        assertThat(inventory.level(A, WH1)).as("stock is not touched").contains(before);
    }

    @Test
    void aHoldAFlashSalePurchasePointsAtIsKept() {
        hold("bought");
        inventory.reservations().release(id("bought"));
        hold("plain");
        inventory.reservations().release(id("plain"));
        TestPostgres.update("INSERT INTO " + schema + ".flash_purchases (reservation_id, sale_id, user_id, pool, "
                + "quantity, live) VALUES (?, 'sale-1', 'u1', 0, 1, false)", "bought");
        clock.advance(Duration.ofDays(2));

        assertThat(store.purgeFinishedHolds(clock.instant(), 100)).isEqualTo(1);

        assertThat(inventory.reservations().find(id("bought"))).isPresent();
        assertThat(inventory.reservations().find(id("plain"))).isEmpty();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> store.purgeFinishedHolds(null, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cutoff");
        assertThatThrownBy(() -> store.purgeFinishedHolds(T0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    private void hold(String name) {
        ReservationResult result = inventory.reservations().reserve(ReservationRequest.builder(id(name))
                .line(A, WH1, 1).build());
        assertThat(result).isInstanceOf(ReservationResult.Success.class);
    }

    private static ReservationId id(String name) {
        return ReservationId.of(name);
    }
}
