package dev.inventory.core.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the processors' own state: a {@link BackorderQueue} and a {@link ProcessedEvents}
 * record, whatever keeps them (the core's in-memory ones, a store module's durable ones). A subclass
 * gives fresh, empty instances per test and cleans up after.
 */
public abstract class ProcessingStateContract {
    protected static final Sku A = Sku.of("A");
    protected static final Sku B = Sku.of("B");
    protected static final LocationId WH1 = LocationId.of("WH1");
    protected static final LocationId WH2 = LocationId.of("WH2");
    /** Whole microseconds: what every implementation keeps exactly. */
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    private BackorderQueue queue;
    private ProcessedEvents record;

    /** A new, empty queue. */
    protected abstract BackorderQueue createQueue() throws Exception;

    /** A new, empty record. */
    protected abstract ProcessedEvents createProcessedEvents() throws Exception;

    /** Removes what the test wrote; called after each test. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    void setUpState() throws Exception {
        queue = createQueue();
        record = createProcessedEvents();
    }

    @AfterEach
    void tearDownState() throws Exception {
        cleanUp();
    }

    @Test
    void theQueueKeepsRequestsWholeInArrivalOrderPerLevel() {
        ReservationRequest first = ReservationRequest.builder("o1").line(A, WH1, 3).line(B, WH1, 1).cartId("c1")
                .userId("u1").orderId("order-1").holdFor(Duration.ofNanos(90_000_000_123L)).build();
        ReservationRequest second = ReservationRequest.builder("o2").line(A, WH1, 2).build();
        ReservationRequest third = ReservationRequest.builder("o3").line(A, WH2, 7).build();

        Backorder queued = queue.add(first, T0).orElseThrow();
        Backorder next = queue.add(second, T0.plusSeconds(1)).orElseThrow();
        queue.add(third, T0.plusSeconds(2)).orElseThrow();

        assertThat(queued.request()).isEqualTo(first);
        assertThat(queued.acceptedAt()).isEqualTo(T0);
        assertThat(queued.confirmWhenServed()).isFalse();
        assertThat(next.sequence()).as("arrival order").isGreaterThan(queued.sequence());
        assertThat(queue.add(first, T0.plusSeconds(5))).as("queued already").isEmpty();
        assertThat(queue.find(ReservationId.of("o1"))).contains(queued);
        assertThat(queue.find(ReservationId.of("nobody"))).isEmpty();
        assertThat(queue.waiting(A, WH1)).containsExactly(queued, next);
        assertThat(queue.waiting(B, WH1)).containsExactly(queued);
        assertThat(queue.waiting(B, WH2)).isEmpty();
        assertThat(queue.queuedQuantity(A)).isEqualTo(12);
        assertThat(queue.queuedQuantity(A, WH1)).isEqualTo(5);
        assertThat(queue.queuedQuantity(B, WH2)).isZero();

        assertThat(queue.markConfirmWhenServed(ReservationId.of("o2"))).isTrue();
        assertThat(queue.find(ReservationId.of("o2")).orElseThrow().confirmWhenServed()).isTrue();
        assertThat(queue.markConfirmWhenServed(ReservationId.of("nobody"))).isFalse();

        assertThat(queue.remove(ReservationId.of("o1"))).isTrue();
        assertThat(queue.remove(ReservationId.of("o1"))).isFalse();
        assertThat(queue.find(ReservationId.of("o1"))).isEmpty();
        assertThat(queue.queuedQuantity(A)).isEqualTo(9);
        assertThat(queue.queuedQuantity(A, WH1)).isEqualTo(2);
        assertThat(queue.queuedQuantity(B)).isZero();
        assertThat(queue.waiting(A, WH1)).extracting(Backorder::id).containsExactly(ReservationId.of("o2"));
        assertThat(queue.waiting(B, WH1)).isEmpty();
    }

    @Test
    void aRemovedRequestMayBeQueuedAgainAtTheEnd() {
        ReservationRequest first = ReservationRequest.builder("o1").line(A, WH1, 1).build();
        queue.add(first, T0).orElseThrow();
        queue.add(ReservationRequest.builder("o2").line(A, WH1, 1).build(), T0).orElseThrow();
        queue.remove(ReservationId.of("o1"));

        Backorder again = queue.add(first, T0.plusSeconds(1)).orElseThrow();

        assertThat(queue.waiting(A, WH1)).extracting(Backorder::id)
                .containsExactly(ReservationId.of("o2"), ReservationId.of("o1"));
        assertThat(again.confirmWhenServed()).isFalse();
        assertThat(queue.queuedQuantity(A, WH1)).isEqualTo(2);
    }

    @Test
    void theRecordRemembersEachEventIdOnce() {
        assertThat(record.contains("e1")).isFalse();
        assertThat(record.record("e1", T0)).isTrue();
        assertThat(record.record("e1", T0.plusSeconds(1))).as("recorded already").isFalse();
        assertThat(record.record("e2", T0)).isTrue();
        assertThat(record.contains("e1")).isTrue();
        assertThat(record.contains("e2")).isTrue();
        assertThat(record.contains("e3")).isFalse();
    }

    @Test
    void missingArgumentsAreRefused() {
        assertThatThrownBy(() -> queue.add(null, T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("request");
        assertThatThrownBy(() -> record.record("e1", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at");
        assertThatThrownBy(() -> record.record(null, T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventId");
    }
}
