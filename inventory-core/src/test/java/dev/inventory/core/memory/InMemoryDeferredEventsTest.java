package dev.inventory.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.Transition;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.DeferredEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The events the store hands back without building them (most callers never read them): when they
 * are read, in whatever order and however often, they are those the change emitted, with the levels
 * as of the change, even after later changes of the same levels.
 */
class InMemoryDeferredEventsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final LocationId WH = LocationId.of("WH1");
    static final Sku A = Sku.of("A");
    static final Sku B = Sku.of("B");

    final InMemoryInventoryStore store = InMemoryInventoryStore.create();

    void receive(Sku sku, long quantity) {
        store.apply(new StockCommand.Receive(sku, WH, quantity, Origin.reference("po")), T0);
    }

    static Reservation hold(String id, ReservationLine... lines) {
        return new Reservation(ReservationId.of(id), List.of(lines), Optional.empty(), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, T0, T0.plus(Duration.ofMinutes(15)), T0);
    }

    @Test
    void aReserveAndAConfirmReadLaterDescribeTheLevelsAsTheyWereThen() {
        receive(A, 10);
        receive(B, 10);
        var reserved = store.reserve(hold("r1", new ReservationLine(A, WH, 2), new ReservationLine(B, WH, 3)),
                T0.plusSeconds(1));
        var levelsAfterReserve = List.of(store.level(A, WH).orElseThrow(), store.level(B, WH).orElseThrow());
        var confirmed = store.transition(ReservationId.of("r1"), Transition.CONFIRM, T0.plusSeconds(2),
                Duration.ZERO);
        assertThat(reserved.events()).isInstanceOf(DeferredEvents.class);
        assertThat(confirmed.events()).isInstanceOf(DeferredEvents.class);

        // read after the later change: still the levels of the reserve
        List<InventoryEvent> r = new ArrayList<>(reserved.events());
        assertThat(r).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(InventoryEvent.Reserved.class));
        assertThat(r).extracting(InventoryEvent::level).isEqualTo(levelsAfterReserve);
        assertThat(r).extracting(e -> ((InventoryEvent.Reserved) e).quantity()).containsExactly(2L, 3L);
        assertThat(r).extracting(InventoryEvent::occurredAt).containsOnly(T0.plusSeconds(1));
        assertThat(r).extracting(e -> ((InventoryEvent.Reserved) e).expiresAt())
                .containsOnly(T0.plus(Duration.ofMinutes(15)));

        List<InventoryEvent> c = confirmed.events();
        assertThat(c).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(InventoryEvent.Confirmed.class));
        assertThat(c).extracting(InventoryEvent::level)
                .containsExactly(store.level(A, WH).orElseThrow(), store.level(B, WH).orElseThrow());
        assertThat(c.get(0).level().allocated()).isEqualTo(2);
        assertThat(c.get(0).level().reserved()).isZero();

        // the same events on every read; ids unique, made at the change, in call order
        assertThat(reserved.events()).isEqualTo(r);
        List<InventoryEvent> all = new ArrayList<>(r);
        all.addAll(c);
        assertThat(all).extracting(InventoryEvent::eventId).doesNotHaveDuplicates().isSorted();
        assertThat(all).extracting(e -> e.eventId().version()).containsOnly(7);
    }

    @Test
    void aChangeThatCrossesAThresholdListsItsThresholdEventsAfterTheLineEvent() {
        receive(A, 2);
        var reserved = store.reserve(hold("r1", new ReservationLine(A, WH, 2)), T0.plusSeconds(1));
        assertThat(reserved.events()).extracting(InventoryEvent::type)
                .containsExactly(EventType.RESERVED, EventType.OUT_OF_STOCK);
        var released = store.transition(ReservationId.of("r1"), Transition.RELEASE, T0.plusSeconds(2),
                Duration.ZERO);
        assertThat(released.events()).extracting(InventoryEvent::type)
                .containsExactly(EventType.RELEASED, EventType.BACK_IN_STOCK);
        assertThat(released.events().get(1).level().available()).isEqualTo(2);
        assertThat(released.events()).extracting(InventoryEvent::eventId).doesNotHaveDuplicates();
    }
}
