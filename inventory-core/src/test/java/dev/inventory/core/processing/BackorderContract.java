package dev.inventory.core.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.AvailabilityStatus;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.contract.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Backorders and pre-orders over any store: queued when the SKU allows it, served in arrival order
 * when stock comes in (by warehouse events or direct calls), confirmed or dequeued by order events,
 * and shown in what a product page may offer.
 */
public abstract class BackorderContract extends ProcessingFixture {

    private final List<ReservationId> served = new CopyOnWriteArrayList<>();

    private void allow(Sku sku, BackorderPolicy policy, boolean strict) {
        backorders(b -> b.policy(sku, policy).strictOrder(strict).listener((backorder, hold) -> served.add(hold.id())));
    }

    @Test
    void backordersAreServedInArrivalOrderAndALaterSmallOneNeverJumpsAnEarlierBigOne() {
        Sku a = sku("A");
        allow(a, BackorderPolicy.backorders(100), true);
        ReservationId o1 = rid("o1");
        ReservationId o2 = rid("o2");
        ReservationId o3 = rid("o3");
        for (var order : List.of(o1, o2, o3)) {
            long quantity = order == o1 ? 5 : order == o2 ? 2 : 3;
            var applied = assertApplied(orders.process(placed("p-" + order.value(), order, line(a, "WH1", quantity))));
            assertThat(applied.detail()).contains("backorder");
        }
        assertThat(backorders.waiting(a, loc("WH1"))).extracting(Backorder::id).containsExactly(o1, o2, o3);

        warehouse.process(receiving("r1", "WH1", item(a, 4)));

        assertThat(served).as("o2 (2 units) must not jump o1 (5 units)").isEmpty();
        assertThat(inventory.reservations().find(o2)).isEmpty();

        warehouse.process(receiving("r2", "WH1", item(a, 4)));

        assertThat(served).containsExactly(o1, o2);
        assertQuantities(level(a, "WH1"), 8, 0, 7, 0, 1);
        assertThat(inventory.reservations().find(o1).orElseThrow().expiresAt()).isEqualTo(now().plus(Duration.ofDays(1)));
        assertThat(backorders.waiting(a, loc("WH1"))).extracting(Backorder::id).containsExactly(o3);

        assertApplied(orders.process(paid("c1", o1)));
        warehouse.process(receiving("r3", "WH1", item(a, 2)));
        assertThat(served).containsExactly(o1, o2, o3);
        assertQuantities(level(a, "WH1"), 10, 5, 5, 0, 0);
        assertThat(backorders.waiting(a, loc("WH1"))).isEmpty();
    }

    @Test
    void withoutStrictOrderALaterRequestThatFitsGoesFirst() {
        Sku a = sku("A");
        allow(a, BackorderPolicy.backorders(100), false);
        ReservationId o1 = rid("o1");
        ReservationId o2 = rid("o2");
        orders.process(placed("p1", o1, line(a, "WH1", 5)));
        orders.process(placed("p2", o2, line(a, "WH1", 2)));

        warehouse.process(receiving("r1", "WH1", item(a, 4)));

        assertThat(served).containsExactly(o2);
        assertThat(backorders.waiting(a, loc("WH1"))).extracting(Backorder::id).containsExactly(o1);
    }

    @Test
    void aPaymentWhileWaitingConfirmsOnServingAndACancellationDequeues() {
        Sku a = sku("A");
        allow(a, BackorderPolicy.backorders(100), true);
        ReservationId o1 = rid("o1");
        ReservationId o2 = rid("o2");
        orders.process(placed("p1", o1, line(a, "WH1", 3)));
        orders.process(placed("p2", o2, line(a, "WH1", 2)));

        assertThat(assertApplied(orders.process(paid("c1", o1))).detail()).contains("confirmed when served");
        assertThat(assertApplied(orders.process(cancelled("x2", o2))).detail()).contains("out of the queue");
        warehouse.process(receiving("r1", "WH1", item(a, 5)));

        assertThat(served).containsExactly(o1);
        assertThat(inventory.reservations().find(o1).orElseThrow().status()).isEqualTo(ReservationStatus.CONFIRMED);
        assertThat(inventory.reservations().find(o2)).isEmpty();
        assertQuantities(level(a, "WH1"), 5, 3, 0, 0, 2);
    }

    @Test
    void aShortOrderIsRefusedWhenItsSkuTakesNoBackordersOrTheQueueIsFull() {
        Sku a = sku("A");
        Sku b = sku("B");
        allow(a, BackorderPolicy.backorders(4), true);
        receive(b, "WH1", 1);

        var refused = assertRejected(orders.process(placed("p0", rid("o0"), line(b, "WH1", 2))),
                ProcessingResult.Reason.INSUFFICIENT_STOCK);
        assertThat(refused.message()).contains("takes no backorders");

        assertApplied(orders.process(placed("p1", rid("o1"), line(a, "WH1", 3))));
        var full = assertRejected(orders.process(placed("p2", rid("o2"), line(a, "WH1", 2))),
                ProcessingResult.Reason.INSUFFICIENT_STOCK);
        assertThat(full.message()).contains("full").contains("3 units queued");
        assertThat(backorders.orderability(a).capacity()).isEqualTo(1);
    }

    @Test
    void aLineThatFitsDoesNotNeedAPolicyButWaitsWithItsOrder() {
        Sku a = sku("A");
        Sku b = sku("B");
        allow(a, BackorderPolicy.backorders(10), true);
        receive(b, "WH1", 5);
        ReservationId order = rid("o1");

        assertApplied(orders.process(placed("p1", order, line(a, "WH1", 1), line(b, "WH1", 2))));
        assertThat(level(b, "WH1").reserved()).as("nothing is held while the order waits").isZero();

        warehouse.process(receiving("r1", "WH1", item(a, 1)));

        assertThat(served).containsExactly(order);
        assertThat(level(a, "WH1").reserved()).isEqualTo(1);
        assertThat(level(b, "WH1").reserved()).isEqualTo(2);
    }

    @Test
    void preordersAreTakenUpToWhatIsInTransitAndServedWhenItArrives() {
        Sku a = sku("A");
        allow(a, BackorderPolicy.preorders(10), true);
        ReservationId o1 = rid("o1");
        ReservationId o2 = rid("o2");
        var before = backorders.orderability(a);
        assertThat(before.availability().status()).isEqualTo(AvailabilityStatus.OUT_OF_STOCK);
        assertThat(before.acceptsPreorders()).isFalse();
        assertThat(before.acceptsBackorders()).isFalse();
        assertThat(assertRejected(orders.process(placed("p0", rid("o0"), line(a, "WH2", 1))),
                ProcessingResult.Reason.INSUFFICIENT_STOCK).message()).contains("pre-orders only");

        receive(a, "WH1", 3);
        warehouse.process(shipped("ts1", "T1", "WH1", "WH2", item(a, 3)));
        var during = backorders.orderability(a);
        assertThat(during.availability().status()).isEqualTo(AvailabilityStatus.PREORDER);
        assertThat(during.availability().message()).isEqualTo("Available for pre-order");
        assertThat(during.acceptsPreorders()).isTrue();
        assertThat(during.acceptsBackorders()).isFalse();

        assertApplied(orders.process(placed("p1", o1, line(a, "WH2", 2))));
        assertRejected(orders.process(placed("p2", o2, line(a, "WH2", 2))), ProcessingResult.Reason.INSUFFICIENT_STOCK);
        assertThat(backorders.orderability(a).queued()).isEqualTo(2);

        warehouse.process(received("tr1", "T1", "WH1", "WH2", item(a, 3)));

        assertThat(served).containsExactly(o1);
        assertQuantities(level(a, "WH2"), 3, 0, 2, 0, 1);
    }

    @Test
    void reserveOrQueueIsIdempotentByTheRequestId() {
        Sku a = sku("A");
        allow(a, BackorderPolicy.backorders(10), true);
        var request = ReservationRequest.builder(rid("o1")).line(a, loc("WH1"), 2).build();

        var first = backorders.reserveOrQueue(request);
        var again = backorders.reserveOrQueue(request);

        assertThat(first).isInstanceOf(Backorders.Outcome.Queued.class);
        assertThat(again).isEqualTo(first);
        assertThat(backorders.orderability(a).queued()).isEqualTo(2);
        receive(a, "WH1", 2);
        assertThat(backorders.servePending()).isEqualTo(1);
        var afterServing = backorders.reserveOrQueue(request);
        assertThat(afterServing).isInstanceOf(Backorders.Outcome.Reserved.class);
        assertThat(((Backorders.Outcome.Reserved) afterServing).result()).isInstanceOf(ReservationResult.Replayed.class);
        assertThat(level(a, "WH1").reserved()).isEqualTo(2);
    }

    @Test
    void aRequestThatFitsIsReservedAtOnce() {
        Sku a = sku("A");
        allow(a, BackorderPolicy.backorders(10), true);
        receive(a, "WH1", 5);

        var outcome = backorders.reserveOrQueue(ReservationRequest.builder(rid("o1")).line(a, loc("WH1"), 2).build());

        assertThat(outcome).isInstanceOf(Backorders.Outcome.Reserved.class);
        assertThat(level(a, "WH1").reserved()).isEqualTo(2);
        assertThat(backorders.orderability(a).queued()).isZero();
    }

    @Test
    void stockReceivedByADirectCallIsServedAutomaticallyWithAnExecutor() throws Exception {
        Sku a = sku("A");
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            backorders(b -> b.policy(a, BackorderPolicy.backorders(10)).serveOn(executor)
                    .listener((backorder, hold) -> served.add(hold.id())));
            ReservationId order = rid("o1");
            assertThat(backorders.reserveOrQueue(ReservationRequest.builder(order).line(a, loc("WH1"), 2).build()))
                    .isInstanceOf(Backorders.Outcome.Queued.class);

            inventory.stock().receive(a, loc("WH1"), 3);

            Await.until("backorder o1 served", Duration.ofSeconds(10), () -> !served.isEmpty());
            Reservation hold = inventory.reservations().find(order).orElseThrow();
            assertThat(hold.status()).isEqualTo(ReservationStatus.ACTIVE);
            assertThat(level(a, "WH1").reserved()).isEqualTo(2);
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void releasedStockServesWaitingBackordersToo() {
        Sku a = sku("A");
        allow(a, BackorderPolicy.backorders(10), true);
        receive(a, "WH1", 3);
        ReservationId o1 = rid("o1");
        ReservationId o2 = rid("o2");
        orders.process(placed("p1", o1, line(a, "WH1", 3)));
        assertThat(assertApplied(orders.process(placed("p2", o2, line(a, "WH1", 2)))).detail()).contains("backorder");

        orders.process(cancelled("x1", o1));

        assertThat(served).containsExactly(o2);
        assertQuantities(level(a, "WH1"), 3, 0, 2, 0, 1);
    }
}
