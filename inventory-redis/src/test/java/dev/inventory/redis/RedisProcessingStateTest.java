package dev.inventory.redis;

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
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the Redis queue and record add to the shared {@code ProcessingStateContract}: another store
 * instance on the same keys finds them, ids expire after the retention.
 */
class RedisProcessingStateTest {
    private static final Sku A = Sku.of("A");
    private static final LocationId WH1 = LocationId.of("WH1");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

    private String prefix;
    private RedisInventoryStore store;

    @BeforeEach
    void setUp() {
        prefix = TestRedis.newPrefix();
        store = newStore();
    }

    @AfterEach
    void tearDown() {
        store.close();
        TestRedis.single().deleteKeys(prefix);
    }

    private RedisInventoryStore newStore() {
        return RedisInventoryStore.builder(TestRedis.single().client).keyPrefix(prefix).build();
    }

    @Test
    void queuedRequestsSurviveANewInstanceAndAreServedByIt() {
        Inventory before = Inventory.builder().store(store).build();
        try (Backorders backorders = Backorders.builder(before).queue(RedisBackorderQueue.on(store))
                .defaultPolicy(BackorderPolicy.backorders(100)).build()) {
            assertThat(backorders.reserveOrQueue(ReservationRequest.builder("o1").line(A, WH1, 2).build()))
                    .isInstanceOf(Backorders.Outcome.Queued.class);
            assertThat(backorders.reserveOrQueue(ReservationRequest.builder("o2").line(A, WH1, 3).build()))
                    .isInstanceOf(Backorders.Outcome.Queued.class);
            assertThat(backorders.confirmWhenServed(ReservationId.of("o1"))).isTrue();
        }
        store.close();

        store = newStore(); // a new process on the same keys
        Inventory after = Inventory.builder().store(store).build();
        try (Backorders backorders = Backorders.builder(after).queue(RedisBackorderQueue.on(store))
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
    void theRecordRemembersEventIdsForItsRetention() {
        RedisProcessedEvents record = RedisProcessedEvents.on(store, Duration.ofHours(1));
        assertThat(record.record("e1", T0)).isTrue();
        assertThat(RedisProcessedEvents.on(newStore()).contains("e1")).as("another instance").isTrue();

        long ttl = TestRedis.single().client.pttl(prefix + "inv:pe:{e1}");
        assertThat(ttl).as("forgotten by Redis after the retention").isBetween(1L, 3_600_000L);
    }

    @Test
    void badArgumentsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> RedisProcessedEvents.on(store, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        RedisProcessedEvents record = RedisProcessedEvents.on(store);
        assertThatThrownBy(() -> record.record("", T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventId");
        assertThatThrownBy(() -> RedisBackorderQueue.on(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("store");
    }
}
