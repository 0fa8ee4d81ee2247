package dev.inventory.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.Transition;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.InventoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every {@link InventoryStore} must pass: extend it, implement
 * {@link #createStore()} (and {@link #destroyStore} if closing is not enough), nothing else. It
 * holds every transition with its exact quantity effect, idempotency, illegal transitions, expiry
 * (sweeper late, never running, lazy), the six seed defects of DESIGN section 3, stock operations,
 * threshold events, races on platform and virtual threads, and (inherited from
 * {@link ModelContract}) random model-based runs.
 */
public abstract class InventoryStoreContract extends ModelContract {

    // ------------------------------------------------------------------ reserve

    @Test
    void reserveHoldsStockAndEmitsReservedWithTheNewVersion() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        long versionBefore = level(a, "WH1").version();

        ReservationResult result = reserve(rid("r1"), a, "WH1", 3);

        assertThat(result).isInstanceOf(ReservationResult.Success.class);
        Reservation r = result.reservation().orElseThrow();
        assertThat(r.status()).isEqualTo(ReservationStatus.ACTIVE);
        assertThat(r.expiresAt()).isEqualTo(clock.instant().plus(HOLD));
        assertThat(r.cartId()).contains("cart-1");
        StockLevel after = level(a, "WH1");
        assertQuantities(after, 10, 0, 3, 0, 7);
        assertThat(after.version()).isEqualTo(versionBefore + 1);
        InventoryEvent.Reserved event = (InventoryEvent.Reserved) eventsOf(EventType.RESERVED).get(0);
        assertThat(event.version()).isEqualTo(after.version());
        assertThat(event.quantity()).isEqualTo(3);
        assertThat(event.reservationId()).isEqualTo(r.id());
        assertThat(event.level().reserved()).isEqualTo(3);
    }

    @Test
    void reserveWithOwnHoldDurationExpiresThen() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        var result = inventory.reservations().reserve(ReservationRequest.builder(rid("r1")).line(a, loc("WH1"), 1)
                .holdFor(Duration.ofSeconds(30)).build());
        assertThat(result.reservation().orElseThrow().expiresAt()).isEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void multiLineReserveHoldsEveryLine() {
        Sku a = sku("A");
        Sku b = sku("B");
        receive(a, "WH1", 5);
        receive(b, "WH2", 5);
        var result = inventory.reservations().reserve(ReservationRequest.builder(rid("r1"))
                .line(b, loc("WH2"), 2).line(a, loc("WH1"), 1).build());
        assertThat(result.isSuccess()).isTrue();
        assertQuantities(level(a, "WH1"), 5, 0, 1, 0, 4);
        assertQuantities(level(b, "WH2"), 5, 0, 2, 0, 3);
        assertThat(eventsOf(EventType.RESERVED)).hasSize(2);
    }

    @Test
    void multiLineReserveIsAllOrNothingAndNamesTheShortLine() {
        Sku a = sku("A");
        Sku b = sku("B");
        receive(a, "WH1", 5);
        receive(b, "WH1", 2);
        var result = inventory.reservations().reserve(ReservationRequest.builder(rid("r1"))
                .line(a, loc("WH1"), 4).line(b, loc("WH1"), 3).build());

        assertThat(result).isInstanceOf(ReservationResult.InsufficientStock.class);
        var shortage = (ReservationResult.InsufficientStock) result;
        assertThat(shortage.line().sku()).isEqualTo(b);
        assertThat(shortage.line().quantity()).isEqualTo(3);
        assertThat(shortage.available()).isEqualTo(2);
        assertQuantities(level(a, "WH1"), 5, 0, 0, 0, 5);
        assertQuantities(level(b, "WH1"), 2, 0, 0, 0, 2);
        assertThat(inventory.reservations().find(shortage.id())).isEmpty();
        assertThat(eventsOf(EventType.RESERVED)).isEmpty();
    }

    @Test
    void reserveOfAnUnknownLevelReportsZeroAvailable() {
        Sku a = sku("A");
        var result = reserve(rid("r1"), a, "NOWHERE", 1);
        assertThat(result).isEqualTo(new ReservationResult.InsufficientStock(rid("r1"),
                new dev.inventory.core.ReservationLine(a, loc("NOWHERE"), 1), 0));
    }

    @Test
    void reserveOfExactlyTheAvailableSucceedsAndOneMoreFails() {
        Sku a = sku("A");
        receive(a, "WH1", 3);
        assertThat(reserve(rid("r1"), a, "WH1", 3).isSuccess()).isTrue();
        var second = reserve(rid("r2"), a, "WH1", 1);
        assertThat(second).isInstanceOf(ReservationResult.InsufficientStock.class);
        assertThat(((ReservationResult.InsufficientStock) second).available()).isZero();
    }

    // ------------------------------------------------------------------ transitions

    @Test
    void startPaymentMovesToPendingAndExtendsTheHoldOnce() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        Instant expires = reserve(id, a, "WH1", 2).reservation().orElseThrow().expiresAt();
        long version = level(a, "WH1").version();

        var result = inventory.reservations().startPayment(id);

        assertThat(result).isInstanceOf(ReservationResult.Success.class);
        Reservation r = result.reservation().orElseThrow();
        assertThat(r.status()).isEqualTo(ReservationStatus.PENDING);
        assertThat(r.expiresAt()).isEqualTo(expires.plus(EXTENSION));
        StockLevel after = level(a, "WH1");
        assertQuantities(after, 5, 0, 2, 0, 3);
        assertThat(after.version()).isEqualTo(version + 1);
        assertThat(eventsOf(EventType.RESERVATION_PENDING)).singleElement()
                .satisfies(e -> assertThat(e.version()).isEqualTo(after.version()));

        var again = inventory.reservations().startPayment(id);
        assertThat(again).isInstanceOf(ReservationResult.Replayed.class);
        assertThat(again.reservation().orElseThrow().expiresAt()).isEqualTo(expires.plus(EXTENSION));
    }

    @Test
    void confirmFromActiveMovesReservedToAllocated() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        var result = inventory.reservations().confirm(id);
        assertThat(result).isInstanceOf(ReservationResult.Success.class);
        assertThat(result.reservation().orElseThrow().status()).isEqualTo(ReservationStatus.CONFIRMED);
        assertQuantities(level(a, "WH1"), 5, 2, 0, 0, 3);
        assertThat(eventsOf(EventType.CONFIRMED)).hasSize(1);
    }

    @Test
    void confirmFromPendingMovesReservedToAllocated() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        inventory.reservations().startPayment(id);
        assertThat(inventory.reservations().confirm(id)).isInstanceOf(ReservationResult.Success.class);
        assertQuantities(level(a, "WH1"), 5, 2, 0, 0, 3);
    }

    @Test
    void fulfilTakesStockOutOfAllocatedAndOnHandAndWritesTheLedger() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        inventory.reservations().confirm(id);
        var result = inventory.reservations().fulfil(id);
        assertThat(result).isInstanceOf(ReservationResult.Success.class);
        assertThat(result.reservation().orElseThrow().status()).isEqualTo(ReservationStatus.FULFILLED);
        assertQuantities(level(a, "WH1"), 3, 0, 0, 0, 3);
        List<LedgerEntry> ledger = inventory.ledger(a, loc("WH1"));
        assertThat(ledger).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.RECEIPT, LedgerEntry.Kind.FULFILMENT);
        assertThat(ledger.get(1).delta()).isEqualTo(-2);
        assertThat(ledger.get(1).reference()).contains(id.value());
        assertThat(eventsOf(EventType.FULFILLED)).hasSize(1);
    }

    @Test
    void cancelOfAConfirmedHoldFreesTheAllocation() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        inventory.reservations().confirm(id);
        var result = inventory.reservations().cancel(id);
        assertThat(result).isInstanceOf(ReservationResult.Success.class);
        assertThat(result.reservation().orElseThrow().status()).isEqualTo(ReservationStatus.CANCELLED);
        assertQuantities(level(a, "WH1"), 5, 0, 0, 0, 5);
        assertThat(eventsOf(EventType.CANCELLED)).hasSize(1);
    }

    @Test
    void releaseOfAnActiveHoldReturnsTheStock() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        var result = inventory.reservations().release(id);
        assertThat(result.reservation().orElseThrow().status()).isEqualTo(ReservationStatus.RELEASED);
        assertQuantities(level(a, "WH1"), 5, 0, 0, 0, 5);
        assertThat(eventsOf(EventType.RELEASED)).hasSize(1);
    }

    @Test
    void releaseOfAPendingHoldReturnsTheStock() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        inventory.reservations().startPayment(id);
        assertThat(inventory.reservations().release(id)).isInstanceOf(ReservationResult.Success.class);
        assertQuantities(level(a, "WH1"), 5, 0, 0, 0, 5);
    }

    @Test
    void sweeperExpiresDueHoldsAndReturnsTheStock() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        clock.advance(HOLD);

        assertThat(inventory.sweeper().sweepOnce()).isEqualTo(1);

        assertThat(inventory.reservations().find(id).orElseThrow().status()).isEqualTo(ReservationStatus.EXPIRED);
        assertQuantities(level(a, "WH1"), 5, 0, 0, 0, 5);
        assertThat(eventsOf(EventType.EXPIRED)).singleElement()
                .satisfies(e -> assertThat(((InventoryEvent.Expired) e).quantity()).isEqualTo(2));
        assertThat(inventory.sweeper().sweepOnce()).isZero();
    }

    @Test
    void sweeperLeavesHoldsThatAreNotDue() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        clock.advance(HOLD.minusSeconds(1));
        assertThat(inventory.sweeper().sweepOnce()).isZero();
        assertThat(inventory.reservations().find(id).orElseThrow().status()).isEqualTo(ReservationStatus.ACTIVE);
    }

    @Test
    void paymentExtensionKeepsAPendingHoldPastItsFirstExpiry() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        inventory.reservations().startPayment(id);
        clock.advance(HOLD.plusMinutes(1));
        assertThat(inventory.sweeper().sweepOnce()).isZero();
        assertThat(inventory.reservations().confirm(id)).isInstanceOf(ReservationResult.Success.class);
    }

    @Test
    void sweeperWorksInBatchesAndExpiresOldestFirst() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        for (int i = 0; i < 5; i++) {
            reserve(rid("r" + i), a, "WH1", 1);
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(HOLD);
        var firstBatch = store.expireDue(clock.instant(), 2);
        events.addAll(firstBatch.events()); // called on the store directly: record its events by hand
        assertThat(firstBatch.value()).extracting(Reservation::id).containsExactly(rid("r0"), rid("r1"));
        assertThat(inventory.sweeper().sweepOnce()).isEqualTo(3);
        assertQuantities(level(a, "WH1"), 10, 0, 0, 0, 10);
    }

    @Test
    void scheduledSweeperExpiresInTheBackgroundAndStops() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        Inventory scheduled = Inventory.builder().store(store).clock(clock).listener(events::add)
                .sweeper(Duration.ofMillis(20), 10).build();
        try {
            assertThat(scheduled.sweeper().isRunning()).isTrue();
            clock.advance(HOLD);
            Await.until("the scheduled sweeper expires the hold", Duration.ofSeconds(10),
                    () -> inventory.reservations().find(id).orElseThrow().status() == ReservationStatus.EXPIRED);
        } finally {
            scheduled.sweeper().stop(); // not close(): that would close the store this test still uses
        }
        assertThat(scheduled.sweeper().isRunning()).isFalse();
        ReservationId later = rid("r2");
        reserve(later, a, "WH1", 1);
        clock.advance(HOLD);
        assertThat(inventory.reservations().find(later).orElseThrow().status()).isEqualTo(ReservationStatus.ACTIVE);
        assertThat(scheduled.sweeper().sweepOnce()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ idempotency and illegal transitions

    @Test
    void retriedReserveSucceedsAgainEvenAfterStockRanOut() {
        Sku a = sku("A");
        receive(a, "WH1", 2);
        ReservationId id = rid("r1");
        assertThat(reserve(id, a, "WH1", 2)).isInstanceOf(ReservationResult.Success.class);
        assertThat(level(a, "WH1").available()).isZero();

        var retry = reserve(id, a, "WH1", 2);

        assertThat(retry).isInstanceOf(ReservationResult.Replayed.class);
        assertThat(retry.isSuccess()).isTrue();
        assertQuantities(level(a, "WH1"), 2, 0, 2, 0, 0);
        assertThat(eventsOf(EventType.RESERVED)).hasSize(1);
    }

    @Test
    void sameIdWithOtherLinesIsAConflictAndChangesNothing() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        var conflict = reserve(id, a, "WH1", 3);
        assertThat(conflict).isInstanceOf(ReservationResult.IdConflict.class);
        assertThat(conflict.isSuccess()).isFalse();
        assertThat(conflict.reservation().orElseThrow().lines().get(0).quantity()).isEqualTo(2);
        assertQuantities(level(a, "WH1"), 5, 0, 2, 0, 3);
    }

    @Test
    void doubleConfirmAllocatesOnce() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        inventory.reservations().confirm(id);
        var again = inventory.reservations().confirm(id);
        assertThat(again).isInstanceOf(ReservationResult.Replayed.class);
        assertQuantities(level(a, "WH1"), 5, 2, 0, 0, 3);
        assertThat(eventsOf(EventType.CONFIRMED)).hasSize(1);
    }

    @Test
    void fulfilTwiceShipsOnce() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        inventory.reservations().confirm(id);
        inventory.reservations().fulfil(id);
        assertThat(inventory.reservations().fulfil(id)).isInstanceOf(ReservationResult.Replayed.class);
        assertThat(inventory.reservations().confirm(id)).isInstanceOf(ReservationResult.Replayed.class);
        assertQuantities(level(a, "WH1"), 3, 0, 0, 0, 3);
    }

    @Test
    void releaseAndCancelRepeatedAreReplays() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId r1 = rid("r1");
        ReservationId r2 = rid("r2");
        reserve(r1, a, "WH1", 1);
        reserve(r2, a, "WH1", 1);
        inventory.reservations().release(r1);
        inventory.reservations().confirm(r2);
        inventory.reservations().cancel(r2);
        assertThat(inventory.reservations().release(r1)).isInstanceOf(ReservationResult.Replayed.class);
        assertThat(inventory.reservations().cancel(r2)).isInstanceOf(ReservationResult.Replayed.class);
        assertQuantities(level(a, "WH1"), 5, 0, 0, 0, 5);
    }

    @Test
    void illegalTransitionsChangeNoCount() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId active = rid("active");
        ReservationId confirmed = rid("confirmed");
        ReservationId released = rid("released");
        reserve(active, a, "WH1", 1);
        reserve(confirmed, a, "WH1", 1);
        reserve(released, a, "WH1", 1);
        inventory.reservations().confirm(confirmed);
        inventory.reservations().release(released);
        StockLevel before = level(a, "WH1");
        int eventCount = events.size();

        assertIllegal(inventory.reservations().fulfil(active), Transition.FULFIL, ReservationStatus.ACTIVE);
        assertIllegal(inventory.reservations().cancel(active), Transition.CANCEL, ReservationStatus.ACTIVE);
        assertIllegal(inventory.reservations().release(confirmed), Transition.RELEASE, ReservationStatus.CONFIRMED);
        assertIllegal(inventory.reservations().startPayment(confirmed), Transition.START_PAYMENT,
                ReservationStatus.CONFIRMED);
        assertIllegal(inventory.reservations().confirm(released), Transition.CONFIRM, ReservationStatus.RELEASED);
        assertIllegal(inventory.reservations().fulfil(released), Transition.FULFIL, ReservationStatus.RELEASED);

        assertThat(level(a, "WH1")).isEqualTo(before);
        assertThat(events).hasSize(eventCount);
    }

    private static void assertIllegal(ReservationResult result, Transition attempted, ReservationStatus from) {
        assertThat(result).isInstanceOf(ReservationResult.IllegalTransition.class);
        var illegal = (ReservationResult.IllegalTransition) result;
        assertThat(illegal.attempted()).isEqualTo(attempted);
        assertThat(illegal.value().status()).isEqualTo(from);
        assertThat(result.isSuccess()).isFalse();
    }

    @Test
    void transitionsOfAnUnknownIdAreNotFound() {
        ReservationId id = rid("nope");
        assertThat(inventory.reservations().confirm(id)).isEqualTo(new ReservationResult.NotFound(id));
        assertThat(inventory.reservations().release(id)).isEqualTo(new ReservationResult.NotFound(id));
        assertThat(inventory.reservations().startPayment(id)).isEqualTo(new ReservationResult.NotFound(id));
        assertThat(inventory.reservations().find(id)).isEmpty();
    }

    @Test
    void confirmOfAnExpiredHoldIsExpiredAndChangesNoCount() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        clock.advance(HOLD);
        inventory.sweeper().sweepOnce();
        StockLevel before = level(a, "WH1");

        var result = inventory.reservations().confirm(id);

        assertThat(result).isInstanceOf(ReservationResult.Expired.class);
        assertThat(result.isSuccess()).isFalse();
        assertThat(level(a, "WH1")).isEqualTo(before);
        assertThat(inventory.reservations().release(id)).isInstanceOf(ReservationResult.Expired.class);
        assertThat(inventory.reservations().startPayment(id)).isInstanceOf(ReservationResult.Expired.class);
    }

    @Test
    void confirmOfADueHoldThatNoSweeperSawExpiresItAndReturnsTheStock() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        clock.advance(HOLD);

        var result = inventory.reservations().confirm(id);

        assertThat(result).isInstanceOf(ReservationResult.Expired.class);
        assertThat(result.reservation().orElseThrow().status()).isEqualTo(ReservationStatus.EXPIRED);
        assertQuantities(level(a, "WH1"), 5, 0, 0, 0, 5);
        assertThat(eventsOf(EventType.EXPIRED)).hasSize(1);
        assertThat(eventsOf(EventType.CONFIRMED)).isEmpty();
    }

    @Test
    void confirmedHoldsNeverExpire() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        inventory.reservations().confirm(id);
        clock.advance(Duration.ofDays(3));
        assertThat(inventory.sweeper().sweepOnce()).isZero();
        assertThat(inventory.reservations().fulfil(id)).isInstanceOf(ReservationResult.Success.class);
    }

    // ------------------------------------------------------------------ lazy expiry and the seed defects

    @Test
    void lazyExpiryFreesStockWhenTheSweeperNeverRuns() {
        Sku a = sku("A");
        receive(a, "WH1", 3);
        ReservationId old = rid("old");
        reserve(old, a, "WH1", 3);
        clock.advance(HOLD.plusSeconds(1));

        var result = reserve(rid("new"), a, "WH1", 2);

        assertThat(result).isInstanceOf(ReservationResult.Success.class);
        assertThat(inventory.reservations().find(old).orElseThrow().status()).isEqualTo(ReservationStatus.EXPIRED);
        assertQuantities(level(a, "WH1"), 3, 0, 2, 0, 1);
        assertThat(eventsOf(EventType.EXPIRED)).hasSize(1);
    }

    @Test
    void lazyExpiryOfAMultiLineHoldReturnsEveryLine() {
        Sku a = sku("A");
        Sku b = sku("B");
        receive(a, "WH1", 2);
        receive(b, "WH1", 2);
        ReservationId old = rid("old");
        inventory.reservations().reserve(ReservationRequest.builder(old).line(a, loc("WH1"), 2)
                .line(b, loc("WH1"), 1).build());
        clock.advance(HOLD);

        assertThat(reserve(rid("new"), a, "WH1", 2).isSuccess()).isTrue();
        assertQuantities(level(b, "WH1"), 2, 0, 0, 0, 2);
    }

    @Test
    void seedDefectTtlNeverDeletesAHoldThatOwnsStock() {
        Sku a = sku("A");
        receive(a, "WH1", 4);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 4);
        clock.advance(Duration.ofDays(2)); // far past any TTL a store might use

        assertThat(inventory.reservations().find(id)).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(ReservationStatus.ACTIVE));
        assertThat(level(a, "WH1").reserved()).isEqualTo(4);
        assertThat(inventory.sweeper().sweepOnce()).isEqualTo(1);
        assertQuantities(level(a, "WH1"), 4, 0, 0, 0, 4);
    }

    @Test
    void seedDefectIdempotencyIsCheckedBeforeStock() {
        Sku a = sku("A");
        receive(a, "WH1", 1);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 1);
        reserve(rid("other"), a, "WH1", 1); // fails: nothing left
        assertThat(reserve(id, a, "WH1", 1)).isInstanceOf(ReservationResult.Replayed.class);
    }

    @Test
    void seedDefectConfirmChecksStatus() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 4);
        for (int i = 0; i < 3; i++) {
            inventory.reservations().confirm(id);
        }
        assertQuantities(level(a, "WH1"), 10, 4, 0, 0, 6);
    }

    @Test
    void seedDefectOneBuyerCannotHoldTwiceWithConcurrentRequests() throws Exception {
        Sku a = sku("A");
        receive(a, "WH1", 100);
        ReservationId id = rid("user-7-purchase");
        List<ReservationResult> results = race(ThreadMode.PLATFORM, 16, i -> reserve(id, a, "WH1", 1));
        assertThat(results).filteredOn(r -> r instanceof ReservationResult.Success).hasSize(1);
        assertThat(results).allMatch(ReservationResult::isSuccess);
        assertQuantities(level(a, "WH1"), 100, 0, 1, 0, 99);
    }

    @Test
    void seedDefectHoldIsDurableWhenReserveReturns() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        // read straight from the store, not through anything the inventory keeps
        assertThat(store.reservation(id)).isPresent();
        assertThat(store.level(a, loc("WH1")).orElseThrow().reserved()).isEqualTo(2);
    }

    @Test
    void seedDefectCycleCountKeepsMovementsMadeAfterTheCount() {
        Sku a = sku("A");
        receive(a, "WH1", 100);
        Instant countedAt = clock.instant().plusSeconds(60);
        clock.advance(Duration.ofMinutes(2));
        // after the count was taken, 10 more arrive and 5 ship
        receive(a, "WH1", 10);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 5);
        inventory.reservations().confirm(id);
        inventory.reservations().fulfil(id);
        clock.advance(Duration.ofMinutes(1));

        // the count (taken before those movements) found 97 of the 100 the books had then
        var result = inventory.stock().cycleCount(a, loc("WH1"), 97, countedAt);

        assertThat(result).isInstanceOf(StockResult.Applied.class);
        assertThat(((StockResult.Applied) result).onHandDelta()).isEqualTo(-3);
        assertQuantities(level(a, "WH1"), 102, 0, 0, 0, 102);
    }

    // ------------------------------------------------------------------ stock operations

    @Test
    void receiveAddsToOnHandWritesTheLedgerAndEmitsRestocked() {
        Sku a = sku("A");
        var result = inventory.stock().apply(new StockCommand.Receive(a, loc("WH1"), 7, Origin.reference("PO-1")));
        assertThat(result).isInstanceOf(StockResult.Applied.class);
        assertQuantities(level(a, "WH1"), 7, 0, 0, 0, 7);
        assertThat(inventory.ledger(a, loc("WH1"))).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(LedgerEntry.Kind.RECEIPT);
            assertThat(e.delta()).isEqualTo(7);
            assertThat(e.onHandAfter()).isEqualTo(7);
            assertThat(e.reference()).contains("PO-1");
        });
        assertThat(eventsOf(EventType.RESTOCKED)).singleElement()
                .satisfies(e -> assertThat(((InventoryEvent.Restocked) e).quantity()).isEqualTo(7));
    }

    @Test
    void receiveIsRejectedWhenReceivingIsBlocked() {
        Sku a = sku("A");
        receive(a, "WH1", 1);
        inventory.stock().setFlags(a, loc("WH1"), true, true);
        var result = inventory.stock().receive(a, loc("WH1"), 5);
        assertThat(result).isInstanceOf(StockResult.Rejected.class);
        assertThat(((StockResult.Rejected) result).reason()).isEqualTo(StockResult.Reason.RECEIVING_BLOCKED);
        assertThat(level(a, "WH1").onHand()).isEqualTo(1);
        inventory.stock().setFlags(a, loc("WH1"), true, false);
        assertThat(inventory.stock().receive(a, loc("WH1"), 5).isApplied()).isTrue();
    }

    @Test
    void adjustMovesOnHandBothWaysButNeverBelowWhatIsPromised() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        reserve(rid("r1"), a, "WH1", 6);
        assertThat(inventory.stock().adjust(a, loc("WH1"), 2, "found").isApplied()).isTrue();
        assertThat(inventory.stock().adjust(a, loc("WH1"), -5, "lost").isApplied()).isTrue();
        var refused = inventory.stock().adjust(a, loc("WH1"), -2, "lost");
        assertThat(refused).isInstanceOf(StockResult.Rejected.class);
        assertThat(((StockResult.Rejected) refused).reason()).isEqualTo(StockResult.Reason.BELOW_COMMITTED);
        assertQuantities(level(a, "WH1"), 7, 0, 6, 0, 1);
        assertThat(eventsOf(EventType.ADJUSTED)).extracting(e -> ((InventoryEvent.Adjusted) e).delta())
                .containsExactly(2L, -5L);
    }

    @Test
    void cycleCountBelowWhatIsPromisedIsRejected() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        reserve(rid("r1"), a, "WH1", 6);
        clock.advance(Duration.ofMinutes(1));
        var result = inventory.stock().cycleCount(a, loc("WH1"), 5, clock.instant());
        assertThat(result).isInstanceOf(StockResult.Rejected.class);
        assertThat(((StockResult.Rejected) result).reason()).isEqualTo(StockResult.Reason.BELOW_COMMITTED);
        assertThat(level(a, "WH1").onHand()).isEqualTo(10);
    }

    @Test
    void cycleCountThatMatchesStillWritesALedgerEntry() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        clock.advance(Duration.ofMinutes(1));
        var result = inventory.stock().cycleCount(a, loc("WH1"), 10, clock.instant());
        assertThat(((StockResult.Applied) result).onHandDelta()).isZero();
        assertThat(inventory.ledger(a, loc("WH1"))).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.RECEIPT, LedgerEntry.Kind.CYCLE_COUNT);
    }

    @Test
    void markDamagedTakesUnitsOffSaleButNotOffHand() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        reserve(rid("r1"), a, "WH1", 7);
        assertThat(inventory.stock().markDamaged(a, loc("WH1"), 2).isApplied()).isTrue();
        assertQuantities(level(a, "WH1"), 10, 0, 7, 2, 1);
        var refused = inventory.stock().markDamaged(a, loc("WH1"), 2);
        assertThat(((StockResult.Rejected) refused).reason()).isEqualTo(StockResult.Reason.INSUFFICIENT_STOCK);
        assertThat(eventsOf(EventType.DAMAGED)).hasSize(1);
        assertThat(inventory.ledger(a, loc("WH1"))).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.RECEIPT, LedgerEntry.Kind.DAMAGE);
    }

    @Test
    void transferOutAndInMoveStockThroughTransit() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        var out = inventory.stock().transferOut(a, loc("WH1"), loc("WH2"), 4);
        assertThat(out.isApplied()).isTrue();
        StockLevel src = level(a, "WH1");
        StockLevel dst = level(a, "WH2");
        assertQuantities(src, 6, 0, 0, 0, 6);
        assertThat(src.inTransitOut()).isEqualTo(4);
        assertThat(dst.inTransitIn()).isEqualTo(4);
        assertThat(dst.onHand()).isZero();
        assertThat(inventory.availability(a).incoming()).isEqualTo(4);

        var tooMuch = inventory.stock().transferIn(a, loc("WH1"), loc("WH2"), 5);
        assertThat(((StockResult.Rejected) tooMuch).reason()).isEqualTo(StockResult.Reason.NOTHING_IN_TRANSIT);

        assertThat(inventory.stock().transferIn(a, loc("WH1"), loc("WH2"), 4).isApplied()).isTrue();
        src = level(a, "WH1");
        dst = level(a, "WH2");
        assertThat(src.inTransitOut()).isZero();
        assertThat(dst.inTransitIn()).isZero();
        assertQuantities(dst, 4, 0, 0, 0, 4);
        assertThat(eventsOf(EventType.TRANSFER_SHIPPED)).hasSize(2);
        assertThat(eventsOf(EventType.TRANSFER_RECEIVED)).hasSize(2);
    }

    @Test
    void transferOutCannotShipPromisedUnits() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        reserve(rid("r1"), a, "WH1", 4);
        var result = inventory.stock().transferOut(a, loc("WH1"), loc("WH2"), 2);
        assertThat(((StockResult.Rejected) result).reason()).isEqualTo(StockResult.Reason.INSUFFICIENT_STOCK);
        assertThat(level(a, "WH1").onHand()).isEqualTo(5);
        assertThat(inventory.level(a, loc("WH2"))).isEmpty();
    }

    @Test
    void safetyStockAndSellableShapeAvailable() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        inventory.stock().setThresholds(a, loc("WH1"), 0, 4, 50);
        assertThat(level(a, "WH1").available()).isEqualTo(6);
        var tooMuch = reserve(rid("r1"), a, "WH1", 7);
        assertThat(((ReservationResult.InsufficientStock) tooMuch).available()).isEqualTo(6);
        inventory.stock().setFlags(a, loc("WH1"), false, false);
        assertThat(level(a, "WH1").available()).isZero();
        assertThat(reserve(rid("r2"), a, "WH1", 1)).isInstanceOf(ReservationResult.InsufficientStock.class);
        StockLevel l = level(a, "WH1");
        assertThat(l.safetyStock()).isEqualTo(4);
        assertThat(l.maxStock()).isEqualTo(50);
        assertThat(l.sellable()).isFalse();
        assertThat(inventory.ledger(a, loc("WH1"))).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.RECEIPT, LedgerEntry.Kind.SETTINGS, LedgerEntry.Kind.SETTINGS);
    }

    @Test
    void thresholdEventsFireOnTheCrossingOnly() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        inventory.stock().setThresholds(a, loc("WH1"), 5, 0, 40);
        reserve(rid("r1"), a, "WH1", 4); // 6 left: above
        assertThat(eventsOf(EventType.BELOW_THRESHOLD)).isEmpty();
        reserve(rid("r2"), a, "WH1", 2); // 4 left: crossed
        reserve(rid("r3"), a, "WH1", 1); // 3 left: still below, no new event
        assertThat(eventsOf(EventType.BELOW_THRESHOLD)).singleElement().satisfies(e -> {
            var below = (InventoryEvent.BelowThreshold) e;
            assertThat(below.reorderPoint()).isEqualTo(5);
            assertThat(below.suggestedQuantity()).isEqualTo(40 - 10);
            assertThat(below.level().available()).isEqualTo(4);
        });
        reserve(rid("r4"), a, "WH1", 3); // 0 left
        assertThat(eventsOf(EventType.OUT_OF_STOCK)).hasSize(1);
        assertThat(reserve(rid("r5"), a, "WH1", 1)).isInstanceOf(ReservationResult.InsufficientStock.class);
        assertThat(eventsOf(EventType.OUT_OF_STOCK)).hasSize(1);
        inventory.reservations().release(rid("r4"));
        assertThat(eventsOf(EventType.BACK_IN_STOCK)).hasSize(1);
        receive(a, "WH1", 20); // back above the reorder point
        reserve(rid("r6"), a, "WH1", 20); // and down again: a second crossing
        assertThat(eventsOf(EventType.BELOW_THRESHOLD)).hasSize(2);
    }

    @Test
    void duplicateEventIdIsAppliedOnce() {
        Sku a = sku("A");
        var cmd = new StockCommand.Receive(a, loc("WH1"), 5, Origin.event("evt-1"));
        assertThat(inventory.stock().apply(cmd).isApplied()).isTrue();
        assertThat(inventory.stock().apply(cmd)).isEqualTo(new StockResult.Duplicate("evt-1"));
        var transfer = new StockCommand.TransferOut(a, loc("WH1"), loc("WH2"), 1, Origin.event("evt-2"));
        assertThat(inventory.stock().apply(transfer).isApplied()).isTrue();
        assertThat(inventory.stock().apply(transfer)).isEqualTo(new StockResult.Duplicate("evt-2"));
        assertThat(level(a, "WH1").onHand()).isEqualTo(4);
        assertThat(inventory.ledger(a, loc("WH1"))).extracting(LedgerEntry::eventId)
                .containsExactly(java.util.Optional.of("evt-1"), java.util.Optional.of("evt-2"));
    }

    @Test
    void rejectedEventCanBeAppliedWhenRedelivered() {
        Sku a = sku("A");
        inventory.stock().setFlags(a, loc("WH1"), true, true);
        var cmd = new StockCommand.Receive(a, loc("WH1"), 5, Origin.event("evt-9"));
        assertThat(inventory.stock().apply(cmd)).isInstanceOf(StockResult.Rejected.class);
        inventory.stock().setFlags(a, loc("WH1"), true, false);
        assertThat(inventory.stock().apply(cmd).isApplied()).isTrue();
    }

    @Test
    void versionsStrictlyIncreaseAndEveryEventCarriesItsVersion() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 2);
        inventory.reservations().startPayment(id);
        inventory.reservations().confirm(id);
        inventory.reservations().fulfil(id);
        inventory.stock().markDamaged(a, loc("WH1"), 1);
        List<Long> versions = events.stream().map(InventoryEvent::version).toList();
        assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(level(a, "WH1").version()).isEqualTo(6);
        assertThat(events).extracting(InventoryEvent::eventId).doesNotHaveDuplicates();
    }

    @Test
    void ledgerSumsToOnHandAfterMixedOperations() {
        Sku a = sku("A");
        receive(a, "WH1", 50);
        inventory.stock().adjust(a, loc("WH1"), -3, "shrink");
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 10);
        inventory.reservations().confirm(id);
        inventory.reservations().fulfil(id);
        inventory.stock().transferOut(a, loc("WH1"), loc("WH2"), 7);
        inventory.stock().transferIn(a, loc("WH1"), loc("WH2"), 7);
        clock.advance(Duration.ofMinutes(1));
        inventory.stock().cycleCount(a, loc("WH1"), 29, clock.instant());
        long sum = inventory.ledger(a, loc("WH1")).stream().mapToLong(LedgerEntry::delta).sum();
        assertThat(sum).isEqualTo(level(a, "WH1").onHand()).isEqualTo(29);
        assertThat(inventory.ledger(a, loc("WH2")).stream().mapToLong(LedgerEntry::delta).sum()).isEqualTo(7);
    }

    @Test
    void availabilityAddsUpLocations() {
        Sku a = sku("A");
        receive(a, "WH1", 3);
        receive(a, "WH2", 4);
        var availability = inventory.availability(a);
        assertThat(availability.available()).isEqualTo(7);
        assertThat(availability.byLocation()).containsEntry(loc("WH1"), 3L).containsEntry(loc("WH2"), 4L);
        assertThat(inventory.levels(a)).extracting(StockLevel::locationId).containsExactly(loc("WH1"), loc("WH2"));
    }

    // ------------------------------------------------------------------ concurrency

    @ParameterizedTest
    @EnumSource(ThreadMode.class)
    void lastUnitsAreSoldExactlyOnceUnderContention(ThreadMode mode) throws Exception {
        Sku a = sku("HOT");
        receive(a, "WH1", 40);
        int threads = 16;
        AtomicInteger sold = new AtomicInteger();
        race(mode, threads, t -> {
            for (int i = 0; i < 10; i++) {
                ReservationId id = rid("t" + t + "-" + i);
                if (reserve(id, a, "WH1", 1).isSuccess()) {
                    sold.incrementAndGet();
                }
            }
            return null;
        });
        assertThat(sold.get()).isEqualTo(40);
        assertQuantities(level(a, "WH1"), 40, 0, 40, 0, 0);
    }

    @ParameterizedTest
    @EnumSource(ThreadMode.class)
    void manyBuyersForFewUnitsSellExactlyTheStock(ThreadMode mode) throws Exception {
        Sku a = sku("DROP");
        receive(a, "WH1", 25);
        int buyers = mode == ThreadMode.VIRTUAL ? 400 : 32;
        List<ReservationResult> results = race(mode, buyers, i -> reserve(rid("b" + i), a, "WH1", 1));
        assertThat(results).filteredOn(ReservationResult::isSuccess).hasSize(Math.min(25, buyers));
        assertQuantities(level(a, "WH1"), 25, 0, Math.min(25, buyers), 0, Math.max(0, 25 - buyers));
    }

    @ParameterizedTest
    @EnumSource(ThreadMode.class)
    void multiLineHoldsUnderContentionAreAllOrNothingAndDoNotDeadlock(ThreadMode mode) throws Exception {
        List<Sku> items = List.of(sku("X"), sku("Y"), sku("Z"));
        for (Sku s : items) {
            receive(s, "WH1", 30);
        }
        List<ReservationId> won = Collections.synchronizedList(new ArrayList<>());
        race(mode, 16, t -> {
            var random = new java.util.Random(t);
            for (int i = 0; i < 15; i++) {
                List<Sku> shuffled = new ArrayList<>(items);
                Collections.shuffle(shuffled, random);
                ReservationId id = rid("m" + t + "-" + i);
                var request = ReservationRequest.builder(id).line(shuffled.get(0), loc("WH1"), 1 + random.nextInt(2))
                        .line(shuffled.get(1), loc("WH1"), 1 + random.nextInt(2)).build();
                if (inventory.reservations().reserve(request).isSuccess()) {
                    won.add(id);
                }
                if (random.nextInt(4) == 0 && !won.isEmpty()) {
                    inventory.reservations().release(won.get(random.nextInt(won.size())));
                }
            }
            return null;
        });
        // Invariants (checked after each test) prove every level's reserved equals its live holds
        for (Sku s : items) {
            assertThat(level(s, "WH1").reserved()).isBetween(0L, 30L);
        }
        assertThat(won).isNotEmpty();
    }

    @Test
    void concurrentConfirmsOfOneHoldAllocateOnce() throws Exception {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        ReservationId id = rid("r1");
        reserve(id, a, "WH1", 3);
        List<ReservationResult> results = race(ThreadMode.PLATFORM, 16, i -> inventory.reservations().confirm(id));
        assertThat(results).filteredOn(r -> r instanceof ReservationResult.Success).hasSize(1);
        assertThat(results).allMatch(ReservationResult::isSuccess);
        assertQuantities(level(a, "WH1"), 10, 3, 0, 0, 7);
    }

    @Test
    void concurrentConfirmAndReleaseOfOneHoldLetExactlyOneWin() throws Exception {
        Sku a = sku("A");
        receive(a, "WH1", 40);
        for (int n = 0; n < 20; n++) {
            ReservationId id = rid("r" + n);
            reserve(id, a, "WH1", 2);
            List<ReservationResult> results = race(ThreadMode.PLATFORM, 2, i -> i == 0
                    ? inventory.reservations().confirm(id)
                    : inventory.reservations().release(id));
            assertThat(results).filteredOn(r -> r instanceof ReservationResult.Success).hasSize(1);
            assertThat(results).filteredOn(r -> r instanceof ReservationResult.IllegalTransition).hasSize(1);
        }
        StockLevel l = level(a, "WH1");
        assertThat(l.allocated() + l.available()).isEqualTo(40);
    }

    @Test
    void concurrentSweepersExpireEachHoldOnce() throws Exception {
        Sku a = sku("A");
        receive(a, "WH1", 60);
        for (int i = 0; i < 60; i++) {
            reserve(rid("r" + i), a, "WH1", 1);
        }
        clock.advance(HOLD);
        List<Integer> counts = race(ThreadMode.PLATFORM, 4, i -> inventory.sweeper().sweepOnce());
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
        assertThat(eventsOf(EventType.EXPIRED)).hasSize(60);
        assertQuantities(level(a, "WH1"), 60, 0, 0, 0, 60);
    }

    @Test
    void eventIdIsAppliedOnceUnderConcurrentRedelivery() throws Exception {
        Sku a = sku("A");
        var cmd = new StockCommand.Receive(a, loc("WH1"), 5, Origin.event("evt-race"));
        List<StockResult> results = race(ThreadMode.PLATFORM, 16, i -> inventory.stock().apply(cmd));
        assertThat(results).filteredOn(StockResult::isApplied).hasSize(1);
        assertThat(level(a, "WH1").onHand()).isEqualTo(5);
    }
}
