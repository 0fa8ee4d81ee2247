package dev.inventory.core.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.AvailabilityStatus;
import dev.inventory.core.Inventory;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.contract.MutableClock;
import dev.inventory.core.contract.ThreadMode;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.InventoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The inbound event processors over any store: every warehouse and order event type with its
 * store operations, duplicates, reordering (held and applied later, or rejected after the parking
 * time), blocked receiving, the cycle-count variance rule and the reorder-point crossing. A store
 * module runs it by extending it and implementing {@link #createStore()}.
 */
public abstract class EventProcessingContract extends ProcessingFixture {

    // ------------------------------------------------------------------ receiving

    @Test
    void receivingCompleteReceivesEveryItemWithThePurchaseOrderAsReference() {
        Sku a = sku("A");
        Sku b = sku("B");

        ProcessingResult result = warehouse.process(receiving("r1", "WH1", item(a, 10), item(b, 4)));

        assertApplied(result);
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
        assertQuantities(level(b, "WH1"), 4, 0, 0, 0, 4);
        assertThat(inventory.ledger(a, loc("WH1"))).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(LedgerEntry.Kind.RECEIPT);
            assertThat(e.reference()).contains("PO-r1");
            assertThat(e.eventId()).contains(eid("r1") + ":1");
        });
        assertThat(inventory.ledger(b, loc("WH1")).get(0).eventId()).contains(eid("r1") + ":2");
        assertThat(eventsOf(EventType.RESTOCKED)).hasSize(2);
    }

    @Test
    void receivingIntoABlockedLocationIsRejectedAsAWholeAndAppliesOnceUnblocked() {
        Sku a = sku("A");
        Sku b = sku("B");
        inventory.stock().setFlags(b, loc("WH1"), true, true);
        var event = receiving("r1", "WH1", item(a, 10), item(b, 4));

        var rejected = assertRejected(warehouse.process(event), ProcessingResult.Reason.RECEIVING_BLOCKED);

        assertThat(rejected.message()).contains(b.value()).contains("WH1").contains("nothing");
        assertThat(inventory.level(a, loc("WH1"))).isEmpty();
        assertThat(level(b, "WH1").onHand()).isZero();
        // a rejection is not recorded as processed: the dead-lettered event applies once the block is lifted
        inventory.stock().setFlags(b, loc("WH1"), true, false);
        assertApplied(warehouse.process(event));
        assertThat(level(a, "WH1").onHand()).isEqualTo(10);
        assertThat(level(b, "WH1").onHand()).isEqualTo(4);
    }

    @Test
    void aRedeliveryIsADuplicateEvenForAProcessorThatForgotIt() {
        Sku a = sku("A");
        var event = receiving("r1", "WH1", item(a, 10));
        assertApplied(warehouse.process(event));

        assertThat(warehouse.process(event)).isEqualTo(new ProcessingResult.Duplicate(eid("r1")));
        // a restarted processor with an empty in-memory record: the store refuses the repeated commands
        warehouse(b -> b.processedEvents(ProcessedEvents.inMemory()));
        assertThat(warehouse.process(event)).isEqualTo(new ProcessingResult.Duplicate(eid("r1")));

        assertThat(level(a, "WH1").onHand()).isEqualTo(10);
        assertThat(inventory.ledger(a, loc("WH1"))).hasSize(1);
    }

    @Test
    void everyEventTypeIsIdempotentByEventId() {
        Sku a = sku("A");
        receive(a, "WH1", 50);
        receive(a, "WH2", 5);
        ReservationId o1 = rid("o1");
        ReservationId o2 = rid("o2");
        List<Supplier<Object>> events = List.of(
                () -> placed("p1", o1, line(a, "WH1", 3)),
                () -> placed("p2", o2, line(a, "WH1", 2)),
                () -> paid("c1", o1),
                () -> cancelled("x2", o2),
                () -> receiving("r1", "WH1", item(a, 7)),
                () -> damage("d1", a, "WH1", 2),
                () -> count("cc1", a, "WH1", 55, now()),
                () -> shipped("ts1", "T1", "WH2", "WH1", item(a, 5)),
                () -> received("tr1", "T1", "WH2", "WH1", item(a, 5)),
                () -> pick("k1", o1),
                () -> pack("pk1", o1),
                () -> ship("s1", o1),
                () -> orderShipped("os1", o1));
        for (Supplier<Object> next : events) {
            clock.advance(Duration.ofSeconds(1));
            Object event = next.get();
            assertApplied(process(event));
            List<StockLevel> before = inventory.levels(a);

            ProcessingResult again = process(event);

            assertThat(again).as("redelivery of %s", event).isInstanceOf(ProcessingResult.Duplicate.class);
            assertThat(inventory.levels(a)).as("levels after redelivering %s", event).isEqualTo(before);
        }
        assertQuantities(level(a, "WH1"), 57, 0, 0, 2, 55);
        assertThat(inventory.reservations().find(o1).orElseThrow().status()).isEqualTo(ReservationStatus.FULFILLED);
    }

    private ProcessingResult process(Object event) {
        return event instanceof WarehouseEvent w ? warehouse.process(w) : orders.process((OrderEvent) event);
    }

    // ------------------------------------------------------------------ pick, pack, ship

    @Test
    void shipCompleteFulfilsTheHoldWhereItWasReserved() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        receive(a, "WH2", 10);
        ReservationId order = rid("o1");
        assertApplied(orders.process(placed("p1", order, line(a, "WH2", 3))));
        assertApplied(orders.process(paid("c1", order)));

        // the event names WH1 (the reporting site), but the units were reserved at WH2
        assertApplied(warehouse.process(ship("s1", order)));

        assertQuantities(level(a, "WH2"), 7, 0, 0, 0, 7);
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
        assertThat(inventory.reservations().find(order).orElseThrow().status()).isEqualTo(ReservationStatus.FULFILLED);
        List<LedgerEntry> ledger = inventory.ledger(a, loc("WH2"));
        assertThat(ledger.get(ledger.size() - 1)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(LedgerEntry.Kind.FULFILMENT);
            assertThat(e.delta()).isEqualTo(-3);
            assertThat(e.reference()).contains(order.value());
        });
    }

    @Test
    void byDefaultPickAndPackAreRecordedAndOnlyShipMovesStock() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 4)));
        orders.process(paid("c1", order));

        assertThat(assertApplied(warehouse.process(pick("k1", order))).detail()).contains("SHIP_COMPLETE");
        assertApplied(warehouse.process(pack("pk1", order)));
        assertQuantities(level(a, "WH1"), 10, 4, 0, 0, 6);
        // still cancellable after the pick: the units go back on sale
        assertApplied(orders.process(cancelled("x1", order)));
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
    }

    @Test
    void whenFulfillingOnPickALaterShipChangesNothing() {
        warehouse(b -> b.fulfilOn(WarehouseEventProcessor.FulfilOn.PICK));
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 4)));
        orders.process(paid("c1", order));

        assertApplied(warehouse.process(pick("k1", order, item(a, 4))));
        assertQuantities(level(a, "WH1"), 6, 0, 0, 0, 6);

        assertThat(assertApplied(warehouse.process(ship("s1", order))).detail()).contains("already fulfilled");
        assertThat(assertApplied(orders.process(orderShipped("os1", order))).detail()).contains("already fulfilled");
        assertQuantities(level(a, "WH1"), 6, 0, 0, 0, 6);
        assertThat(eventsOf(EventType.FULFILLED)).hasSize(1);
    }

    @Test
    void aShipmentWhoseItemsDoNotMatchTheHoldIsRejected() {
        Sku a = sku("A");
        Sku b = sku("B");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 3)));
        orders.process(paid("c1", order));

        var rejected = assertRejected(warehouse.process(ship("s1", order, item(a, 2))),
                ProcessingResult.Reason.LINES_MISMATCH);
        assertThat(rejected.message()).contains(order.value());
        assertRejected(warehouse.process(ship("s2", order, item(a, 3), item(b, 1))),
                ProcessingResult.Reason.LINES_MISMATCH);
        assertQuantities(level(a, "WH1"), 10, 3, 0, 0, 7);

        assertApplied(warehouse.process(ship("s3", order, item(a, 3))));
        assertQuantities(level(a, "WH1"), 7, 0, 0, 0, 7);
    }

    @Test
    void aShipmentBeforeThePaymentIsHeldUntilTheHoldIsConfirmed() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 3)));

        var deferred = assertDeferred(warehouse.process(ship("s1", order)));

        assertThat(deferred.waitingFor()).contains(order.value()).contains("confirmed");
        assertThat(deferred.until()).isEqualTo(now().plus(Duration.ofHours(1)));
        assertThat(warehouse.parkedCount()).isEqualTo(1);
        assertQuantities(level(a, "WH1"), 10, 0, 3, 0, 7);
        assertThat(settled).isEmpty();

        // the order processor confirms; the warehouse processor applies the shipment on its next call
        assertApplied(orders.process(paid("c1", order)));
        assertThat(warehouse.retryParked()).isEqualTo(1);

        assertApplied(settledResult(eid("s1")));
        assertThat(warehouse.parkedCount()).isZero();
        assertQuantities(level(a, "WH1"), 7, 0, 0, 0, 7);
        // settled events are recorded: a redelivery is a duplicate
        assertThat(warehouse.process(ship("s1", order))).isInstanceOf(ProcessingResult.Duplicate.class);
    }

    @Test
    void aShipmentBeforeTheOrderExistsWaitsThroughPlacementAndPayment() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        assertDeferred(warehouse.process(ship("s1", order)));

        orders.process(placed("p1", order, line(a, "WH1", 3)));
        assertThat(warehouse.retryParked()).as("still not confirmed").isZero();
        assertThat(warehouse.parkedCount()).isEqualTo(1);
        // a redelivery while parked is parked once
        assertDeferred(warehouse.process(ship("s1", order)));
        assertThat(warehouse.parkedCount()).isEqualTo(1);

        orders.process(paid("c1", order));
        // any later warehouse event settles it in passing
        assertApplied(warehouse.process(pack("pk1", order)));

        assertApplied(settledResult(eid("s1")));
        assertQuantities(level(a, "WH1"), 7, 0, 0, 0, 7);
    }

    @Test
    void aShipmentOfAReleasedOrExpiredHoldIsRejected() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId released = rid("o1");
        orders.process(placed("p1", released, line(a, "WH1", 3)));
        orders.process(cancelled("x1", released));

        assertThat(assertRejected(warehouse.process(ship("s1", released)), ProcessingResult.Reason.ILLEGAL_STATE)
                .message()).contains("RELEASED");

        ReservationId due = rid("o2");
        orders.process(placed("p2", due, line(a, "WH1", 2)));
        clock.advance(HOLD.plusSeconds(1));
        assertRejected(warehouse.process(ship("s2", due)), ProcessingResult.Reason.HOLD_EXPIRED);
        assertQuantities(level(a, "WH1"), 10, 0, 2, 0, 8);
        inventory.sweeper().sweepOnce();
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
    }

    @Test
    void aParkedShipmentWhoseHoldExpiresIsRejectedWhenTheSweeperExpiresIt() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 3)));
        assertDeferred(warehouse.process(ship("s1", order)));

        clock.advance(HOLD);
        inventory.sweeper().sweepOnce();
        warehouse.retryParked();

        assertRejected(settledResult(eid("s1")), ProcessingResult.Reason.HOLD_EXPIRED);
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
    }

    // ------------------------------------------------------------------ damage

    @Test
    void damageReportMarksUnpromisedUnitsDamaged() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        orders.process(placed("p1", rid("o1"), line(a, "WH1", 6)));

        assertApplied(warehouse.process(damage("d1", a, "WH1", 3)));
        assertQuantities(level(a, "WH1"), 10, 0, 6, 3, 1);
        assertThat(inventory.ledger(a, loc("WH1")).get(1).reference()).contains("dropped");

        assertRejected(warehouse.process(damage("d2", a, "WH1", 2)), ProcessingResult.Reason.INSUFFICIENT_STOCK);
        assertQuantities(level(a, "WH1"), 10, 0, 6, 3, 1);
    }

    // ------------------------------------------------------------------ transfers

    @Test
    void aTransferMovesStockThroughTransit() {
        Sku a = sku("A");
        receive(a, "WH1", 10);

        assertApplied(warehouse.process(shipped("ts1", "T1", "WH1", "WH2", item(a, 4))));
        StockLevel source = level(a, "WH1");
        StockLevel target = level(a, "WH2");
        assertThat(List.of(source.onHand(), source.inTransitOut(), target.onHand(), target.inTransitIn()))
                .containsExactly(6L, 4L, 0L, 4L);

        assertApplied(warehouse.process(received("tr1", "T1", "WH1", "WH2", item(a, 4))));
        source = level(a, "WH1");
        target = level(a, "WH2");
        assertThat(List.of(source.onHand(), source.inTransitOut(), target.onHand(), target.inTransitIn()))
                .containsExactly(6L, 0L, 4L, 0L);
        assertThat(inventory.ledger(a, loc("WH2"))).extracting(LedgerEntry::kind, LedgerEntry::delta,
                e -> e.reference().orElseThrow()).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.TRANSFER_OUT, 0L, eid("T1")),
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.TRANSFER_IN, 4L, eid("T1")));
    }

    @Test
    void anArrivalBeforeItsShipmentIsHeldAndAppliedWhenItShips() {
        Sku a = sku("A");
        Sku b = sku("B");
        receive(a, "WH1", 10);
        receive(b, "WH1", 10);

        var deferred = assertDeferred(warehouse.process(received("tr1", "T1", "WH1", "WH2", item(a, 4), item(b, 1))));
        assertThat(deferred.waitingFor()).contains("TRANSFER_SHIPPED").contains(eid("T1"));
        assertThat(inventory.level(a, loc("WH2"))).isEmpty();

        assertApplied(warehouse.process(shipped("ts1", "T1", "WH1", "WH2", item(a, 4), item(b, 1))));

        assertApplied(settledResult(eid("tr1")));
        assertThat(level(a, "WH2").onHand()).isEqualTo(4);
        assertThat(level(b, "WH2").onHand()).isEqualTo(1);
        assertThat(level(a, "WH1").inTransitOut()).isZero();
        assertThat(warehouse.parkedCount()).isZero();
    }

    @Test
    void anArrivalWaitingForATransferShippedByADirectCallAppliesWhenItShips() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        assertDeferred(warehouse.process(received("tr1", "T1", "WH1", "WH2", item(a, 4))));

        inventory.stock().transferOut(a, loc("WH1"), loc("WH2"), 4);
        assertThat(warehouse.retryParked()).isEqualTo(1);

        assertApplied(settledResult(eid("tr1")));
        assertThat(level(a, "WH2").onHand()).isEqualTo(4);
    }

    @Test
    void anArrivalOfMoreThanWasShippedIsRejectedAtOnce() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        warehouse.process(shipped("ts1", "T1", "WH1", "WH2", item(a, 4)));

        var rejected = assertRejected(warehouse.process(received("tr1", "T1", "WH1", "WH2", item(a, 5))),
                ProcessingResult.Reason.NOTHING_IN_TRANSIT);

        assertThat(rejected.message()).contains("nothing was applied");
        assertThat(level(a, "WH2").inTransitIn()).isEqualTo(4);
        assertThat(warehouse.parkedCount()).isZero();
    }

    @Test
    void anArrivalAtABlockedLocationIsRejected() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        warehouse.process(shipped("ts1", "T1", "WH1", "WH2", item(a, 4)));
        inventory.stock().setFlags(a, loc("WH2"), true, true);

        assertRejected(warehouse.process(received("tr1", "T1", "WH1", "WH2", item(a, 4))),
                ProcessingResult.Reason.RECEIVING_BLOCKED);
        assertThat(level(a, "WH2").inTransitIn()).isEqualTo(4);
    }

    @Test
    void aTransferShippingMoreThanIsUnpromisedIsRejectedWithNothingApplied() {
        Sku a = sku("A");
        Sku b = sku("B");
        receive(a, "WH1", 10);
        receive(b, "WH1", 1);

        assertRejected(warehouse.process(shipped("ts1", "T1", "WH1", "WH2", item(a, 4), item(b, 2))),
                ProcessingResult.Reason.INSUFFICIENT_STOCK);
        assertThat(level(a, "WH1").inTransitOut()).isZero();
    }

    // ------------------------------------------------------------------ parking limits

    @Test
    void aParkedEventIsRejectedAfterItsParkingTime() {
        warehouse(b -> b.parking(10, Duration.ofMinutes(5)));
        Sku a = sku("A");
        var deferred = assertDeferred(warehouse.process(received("tr1", "T1", "WH1", "WH2", item(a, 4))));
        assertThat(deferred.until()).isEqualTo(now().plus(Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(4));
        assertThat(warehouse.retryParked()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(warehouse.retryParked()).isEqualTo(1);

        var rejected = assertRejected(settledResult(eid("tr1")), ProcessingResult.Reason.PREDECESSOR_MISSING);
        assertThat(rejected.message()).contains("TRANSFER_SHIPPED");
        assertThat(warehouse.parkedCount()).isZero();
    }

    @Test
    void aFullParkingRejectsTheNextEventThatWouldWait() {
        warehouse(b -> b.parking(1, Duration.ofMinutes(5)));
        Sku a = sku("A");
        assertDeferred(warehouse.process(received("tr1", "T1", "WH1", "WH2", item(a, 4))));

        assertRejected(warehouse.process(received("tr2", "T2", "WH1", "WH2", item(a, 1))),
                ProcessingResult.Reason.PARKING_FULL);
    }

    @ParameterizedTest
    @EnumSource(ThreadMode.class)
    void aShipmentRacingItsPaymentIsAlwaysFulfilledExactlyOnce(ThreadMode mode) throws Exception {
        Sku a = sku("A");
        int n = 24;
        receive(a, "WH1", n);
        List<ReservationId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ReservationId order = rid("o" + i);
            ids.add(order);
            assertApplied(orders.process(placed("p" + i, order, line(a, "WH1", 1))));
        }

        // each order's shipment and payment arrive at the same moment on two threads
        List<ProcessingResult> results = race(mode, 2 * n, i -> i % 2 == 0
                ? warehouse.process(ship("s" + i / 2, ids.get(i / 2)))
                : orders.process(paid("c" + i / 2, ids.get(i / 2))));
        warehouse.retryParked();

        for (int i = 0; i < n; i++) {
            ProcessingResult shipment = results.get(2 * i);
            ProcessingResult outcome = shipment instanceof ProcessingResult.Deferred ? settledResult(eid("s" + i)) : shipment;
            assertApplied(outcome);
            assertApplied(results.get(2 * i + 1));
            assertThat(inventory.reservations().find(ids.get(i)).orElseThrow().status())
                    .isEqualTo(ReservationStatus.FULFILLED);
        }
        assertThat(warehouse.parkedCount()).isZero();
        assertQuantities(level(a, "WH1"), 0, 0, 0, 0, 0);
        assertThat(eventsOf(EventType.FULFILLED)).hasSize(n);
    }

    @Test
    void concurrentRedeliveriesOfOneEventApplyItOnce() throws Exception {
        Sku a = sku("A");
        var event = receiving("r1", "WH1", item(a, 3), item(sku("B"), 2));

        List<ProcessingResult> results = race(ThreadMode.VIRTUAL, 16, i -> warehouse.process(event));

        assertThat(results).anyMatch(r -> r instanceof ProcessingResult.Applied);
        assertThat(results).allMatch(r -> r instanceof ProcessingResult.Applied || r instanceof ProcessingResult.Duplicate);
        assertThat(level(a, "WH1").onHand()).isEqualTo(3);
        assertThat(inventory.ledger(a, loc("WH1"))).hasSize(1);
    }

    @Test
    void onlyDerivedEventsCanBePublishedThroughTheInventory() {
        Sku a = sku("A");
        receive(a, "WH1", 1);
        StockLevel l = level(a, "WH1");
        var restocked = new InventoryEvent.Restocked(dev.inventory.core.spi.EventIds.next(), l, now(), 1,
                java.util.Optional.empty());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> inventory.publishDerived(restocked))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inventory.restocked");
        var variance = new InventoryEvent.CycleCountVariance(dev.inventory.core.spi.EventIds.next(), l, now(), 20, 1,
                -19, java.util.Optional.of("AUDIT-1"));
        inventory.publishDerived(variance);
        assertThat(eventsOf(EventType.CYCLE_COUNT_VARIANCE)).containsExactly(variance);
    }

    // ------------------------------------------------------------------ cycle counts and variance

    @Test
    void aCycleCountAppliesAsOfItsTimestampAndKeepsLaterMovements() {
        Sku a = sku("A");
        receive(a, "WH1", 100);
        Instant countedAt = now();
        clock.advance(Duration.ofMinutes(1));
        warehouse.process(receiving("r1", "WH1", item(a, 10)));
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 5)));
        orders.process(paid("c1", order));
        warehouse.process(ship("s1", order));
        clock.advance(Duration.ofMinutes(1));

        var applied = assertApplied(warehouse.process(count("cc1", a, "WH1", 97, countedAt)));

        assertThat(applied.detail()).contains("books said 100").contains("variance -3");
        assertQuantities(level(a, "WH1"), 102, 0, 0, 0, 102);
        assertThat(eventsOf(EventType.CYCLE_COUNT_VARIANCE)).isEmpty();
        List<LedgerEntry> ledger = inventory.ledger(a, loc("WH1"));
        assertThat(ledger.get(ledger.size() - 1)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(LedgerEntry.Kind.CYCLE_COUNT);
            assertThat(e.delta()).isEqualTo(-3);
            assertThat(e.reference()).contains("AUDIT-cc1");
            assertThat(e.eventId()).contains(eid("cc1"));
        });
    }

    @ParameterizedTest(name = "books {0}, counted {1}: alert {2}")
    @CsvSource({
        "1000, 1010, false", // exactly 10 units (1 %)
        "1000,  990, false",
        "1000, 1011, true",  // 11 units
        "1000,  989, true",
        "100,    95, false", // exactly 5 %
        "100,   105, false",
        "100,    94, true",  // 6 %
        "100,   106, true",
        "40,     42, false", // 5 %
        "40,     43, true",  // 7.5 %
        "0,       3, true",  // from nothing: an infinite percentage
        "0,       0, false",
        "50,     50, false"})
    void theVarianceAlertFiresBeyondTenUnitsOrFivePercent(long books, long counted, boolean alert) {
        Sku a = sku("A");
        if (books > 0) {
            receive(a, "WH1", books);
        }
        clock.advance(Duration.ofMinutes(1));

        var applied = assertApplied(warehouse.process(count("cc1", a, "WH1", counted, now())));

        List<InventoryEvent> alerts = eventsOf(EventType.CYCLE_COUNT_VARIANCE);
        if (!alert) {
            assertThat(alerts).isEmpty();
            return;
        }
        assertThat(applied.detail()).contains("alert");
        StockLevel after = level(a, "WH1");
        assertThat(alerts).singleElement().satisfies(e -> {
            var v = (InventoryEvent.CycleCountVariance) e;
            assertThat(v.previousCount()).isEqualTo(books);
            assertThat(v.newCount()).isEqualTo(counted);
            assertThat(v.variance()).isEqualTo(counted - books);
            assertThat(v.level()).isEqualTo(after);
            assertThat(v.reference()).contains("AUDIT-cc1");
        });
    }

    @Test
    void theVarianceComparesWithTheBooksAtTheCountNotWithOnHandNow() {
        Sku a = sku("A");
        receive(a, "WH1", 100);
        Instant countedAt = now();
        clock.advance(Duration.ofMinutes(1));
        receive(a, "WH1", 20);

        warehouse.process(count("cc1", a, "WH1", 88, countedAt));

        assertThat(level(a, "WH1").onHand()).isEqualTo(108);
        assertThat(eventsOf(EventType.CYCLE_COUNT_VARIANCE)).singleElement().satisfies(e -> {
            var v = (InventoryEvent.CycleCountVariance) e;
            assertThat(List.of(v.previousCount(), v.newCount(), v.variance())).containsExactly(100L, 88L, -12L);
        });
    }

    @Test
    void theVarianceThresholdsAreConfigurable() {
        warehouse(b -> b.varianceThresholds(new VarianceThresholds(2, 50.0)));
        Sku a = sku("A");
        Sku b = sku("B");
        receive(a, "WH1", 100);
        receive(b, "WH1", 100);
        clock.advance(Duration.ofMinutes(1));

        warehouse.process(count("cc1", a, "WH1", 102, now()));
        warehouse.process(count("cc2", b, "WH1", 103, now()));

        assertThat(eventsOf(EventType.CYCLE_COUNT_VARIANCE)).singleElement()
                .satisfies(e -> assertThat(e.sku()).isEqualTo(b));
    }

    @Test
    void aCountBelowWhatIsPromisedIsRejected() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        orders.process(placed("p1", rid("o1"), line(a, "WH1", 6)));
        clock.advance(Duration.ofMinutes(1));

        assertRejected(warehouse.process(count("cc1", a, "WH1", 5, now())), ProcessingResult.Reason.BELOW_COMMITTED);
        assertThat(eventsOf(EventType.CYCLE_COUNT_VARIANCE)).isEmpty();
    }

    // ------------------------------------------------------------------ replenishment

    @Test
    void belowReorderPointFiresOnceOnTheCrossingWithTheSuggestedQuantity() {
        Sku a = sku("A");
        receive(a, "WH1", 20);
        receive(a, "WH2", 4);
        inventory.stock().setThresholds(a, loc("WH1"), 5, 0, 50);
        warehouse.process(shipped("ts1", "T1", "WH2", "WH1", item(a, 4)));

        warehouse.process(damage("d1", a, "WH1", 10));
        assertThat(eventsOf(EventType.BELOW_THRESHOLD)).isEmpty();
        warehouse.process(damage("d2", a, "WH1", 5));
        warehouse.process(damage("d3", a, "WH1", 1));

        assertThat(eventsOf(EventType.BELOW_THRESHOLD)).singleElement().satisfies(e -> {
            var below = (InventoryEvent.BelowThreshold) e;
            assertThat(below.locationId()).isEqualTo(loc("WH1"));
            assertThat(below.reorderPoint()).isEqualTo(5);
            assertThat(below.level().available()).isEqualTo(5);
            // maxStock - onHand - inTransitIn = 50 - 20 - 4
            assertThat(below.suggestedQuantity()).isEqualTo(26);
        });
    }

    // ------------------------------------------------------------------ order events

    @Test
    void orderPlacedReservesEveryLineUnderTheOrderId() {
        Sku a = sku("A");
        Sku b = sku("B");
        receive(a, "WH1", 10);
        receive(b, "WH2", 10);
        ReservationId order = rid("o1");

        assertApplied(orders.process(placed("p1", order, line(a, "WH1", 2), line(b, "WH2", 1))));

        var hold = inventory.reservations().find(order).orElseThrow();
        assertThat(hold.status()).isEqualTo(ReservationStatus.ACTIVE);
        assertThat(hold.orderId()).contains(order.value());
        assertThat(hold.userId()).contains("user-1");
        assertThat(hold.cartId()).contains("cart-1");
        assertThat(hold.expiresAt()).isEqualTo(now().plus(HOLD));
        assertQuantities(level(a, "WH1"), 10, 0, 2, 0, 8);
        assertQuantities(level(b, "WH2"), 10, 0, 1, 0, 9);
        // another event placing the same order changes nothing
        assertThat(assertApplied(orders.process(placed("p2", order, line(a, "WH1", 2), line(b, "WH2", 1)))).detail())
                .contains("already reserved");
        assertThat(level(a, "WH1").reserved()).isEqualTo(2);
    }

    @Test
    void orderPlacedHoldsForTheConfiguredDuration() {
        orders(b -> b.holdDuration(Duration.ofHours(2)));
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 2)));
        assertThat(inventory.reservations().find(order).orElseThrow().expiresAt()).isEqualTo(now().plus(Duration.ofHours(2)));
    }

    @Test
    void orderPlacedShortOfStockIsRejectedAndReservesNothing() {
        Sku a = sku("A");
        Sku b = sku("B");
        receive(a, "WH1", 10);
        receive(b, "WH1", 1);
        ReservationId order = rid("o1");

        var rejected = assertRejected(orders.process(placed("p1", order, line(a, "WH1", 2), line(b, "WH1", 3))),
                ProcessingResult.Reason.INSUFFICIENT_STOCK);

        assertThat(rejected.message()).contains(b.value()).contains("only 1");
        assertThat(inventory.reservations().find(order)).isEmpty();
        assertThat(level(a, "WH1").reserved()).isZero();
    }

    @Test
    void anOrderIdUsedWithOtherLinesIsAConflict() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 2)));

        assertRejected(orders.process(placed("p2", order, line(a, "WH1", 3))), ProcessingResult.Reason.ID_CONFLICT);
        assertThat(level(a, "WH1").reserved()).isEqualTo(2);
    }

    @Test
    void paymentConfirmsAndACancellationAfterwardsCancels() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 2)));

        assertApplied(orders.process(paid("c1", order)));
        assertQuantities(level(a, "WH1"), 10, 2, 0, 0, 8);
        assertThat(assertApplied(orders.process(paid("c2", order))).detail()).contains("already confirmed");

        assertThat(assertApplied(orders.process(cancelled("x1", order))).detail()).contains("cancelled");
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
        assertThat(inventory.reservations().find(order).orElseThrow().status()).isEqualTo(ReservationStatus.CANCELLED);
    }

    @Test
    void aCancellationBeforePaymentReleasesAndARepeatChangesNothing() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 2)));

        assertThat(assertApplied(orders.process(cancelled("x1", order))).detail()).contains("released");
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
        assertThat(assertApplied(orders.process(cancelled("x2", order))).detail()).contains("already RELEASED");
        assertThat(eventsOf(EventType.RELEASED)).hasSize(1);
    }

    @Test
    void orderShippedFulfilsAndACancellationAfterwardsIsRejected() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 2)));
        orders.process(paid("c1", order));

        assertApplied(orders.process(orderShipped("os1", order)));
        assertQuantities(level(a, "WH1"), 8, 0, 0, 0, 8);
        assertThat(assertApplied(warehouse.process(ship("s1", order))).detail()).contains("already fulfilled");

        assertRejected(orders.process(cancelled("x1", order)), ProcessingResult.Reason.ILLEGAL_STATE);
        assertQuantities(level(a, "WH1"), 8, 0, 0, 0, 8);
    }

    @Test
    void aPaymentBeforeThePlacementIsHeldAndAppliedWhenTheOrderIsPlaced() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");

        var deferred = assertDeferred(orders.process(paid("c1", order)));
        assertThat(deferred.waitingFor()).contains(order.value()).contains("placed");

        assertApplied(orders.process(placed("p1", order, line(a, "WH1", 2))));

        assertApplied(settledResult(eid("c1")));
        assertQuantities(level(a, "WH1"), 10, 2, 0, 0, 8);
        assertThat(orders.parkedCount()).isZero();
    }

    @Test
    void aCancellationBeforeThePlacementReleasesTheHoldOnceItIsPlaced() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        assertDeferred(orders.process(cancelled("x1", order)));

        assertApplied(orders.process(placed("p1", order, line(a, "WH1", 2))));

        assertApplied(settledResult(eid("x1")));
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
        assertThat(inventory.reservations().find(order).orElseThrow().status()).isEqualTo(ReservationStatus.RELEASED);
    }

    @Test
    void aPaymentAfterTheHoldExpiredIsRejected() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId order = rid("o1");
        orders.process(placed("p1", order, line(a, "WH1", 2)));
        clock.advance(HOLD);

        var rejected = assertRejected(orders.process(paid("c1", order)), ProcessingResult.Reason.HOLD_EXPIRED);

        assertThat(rejected.message()).contains(order.value());
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
    }

    // ------------------------------------------------------------------ availability

    @Test
    void availabilityShowsPreorderWhileTheOnlyUnitsAreInTransit() {
        Sku a = sku("A");
        receive(a, "WH1", 3);
        warehouse.process(shipped("ts1", "T1", "WH1", "WH2", item(a, 3)));

        var availability = inventory.availability(a);

        assertThat(availability.status()).isEqualTo(AvailabilityStatus.PREORDER);
        assertThat(availability.available()).isZero();
        assertThat(availability.incoming()).isEqualTo(3);
        warehouse.process(received("tr1", "T1", "WH1", "WH2", item(a, 3)));
        assertThat(inventory.availability(a).status()).isEqualTo(AvailabilityStatus.LOW_STOCK);
    }

    // ------------------------------------------------------------------ replay

    @Test
    void replayingARecordedSequenceGivesTheSameStockTwice() throws Exception {
        String skuPrefix = sku("A").value().substring(0, sku("A").value().length() - 1);
        sku("B");
        RecordedSequence.ORDERS.forEach(this::rid);
        List<Object> sequence = RecordedSequence.events(skuPrefix, eid(""), now());
        List<String> first = RecordedSequence.replay(sequence, warehouse, orders, clock);
        assertThat(first).contains("Deferred", "Duplicate");
        String snapshot = RecordedSequence.snapshot(inventory, skuPrefix, eid(""));
        assertThat(snapshot).contains("o1 FULFILLED", "o2 FULFILLED", "o3 RELEASED");
        assertThat(eventsOf(EventType.CYCLE_COUNT_VARIANCE)).hasSize(1);

        // the same sequence again: every event is a duplicate, nothing moves
        List<String> again = RecordedSequence.replay(sequence, warehouse, orders, clock);
        assertThat(again).containsOnly("Duplicate");
        assertThat(RecordedSequence.snapshot(inventory, skuPrefix, eid(""))).isEqualTo(snapshot);

        // the same sequence on a fresh store gives the same levels, ledgers and holds
        InventoryStore store2 = createStore();
        MutableClock clock2 = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        Inventory inventory2 = Inventory.builder().store(store2).clock(clock2).holdDuration(HOLD)
                .paymentExtension(EXTENSION).withoutSweeper().build();
        String skuPrefix2 = "q" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String idPrefix2 = "f" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (var warehouse2 = WarehouseEventProcessor.builder(inventory2).build();
                var orders2 = OrderEventProcessor.builder(inventory2).build()) {
            List<Object> sequence2 = RecordedSequence.events(skuPrefix2, idPrefix2, clock2.instant());
            assertThat(RecordedSequence.replay(sequence2, warehouse2, orders2, clock2)).isEqualTo(first);
            assertThat(RecordedSequence.snapshot(inventory2, skuPrefix2, idPrefix2)).isEqualTo(snapshot);
        } finally {
            inventory2.sweeper().stop();
            destroyStore(store2);
        }
    }
}
