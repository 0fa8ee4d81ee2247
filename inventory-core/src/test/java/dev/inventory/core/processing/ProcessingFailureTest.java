package dev.inventory.core.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.Transition;
import dev.inventory.core.contract.MutableClock;
import dev.inventory.core.memory.InMemoryInventoryStore;
import dev.inventory.core.spi.InventoryStore;
import dev.inventory.core.spi.StoreResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An infrastructure failure decides nothing: the event throws, and a retry applies it. */
class ProcessingFailureTest {
    private static final Sku A = Sku.of("A");
    private static final LocationId WH1 = LocationId.of("WH1");
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private final FlakyStore store = new FlakyStore(InMemoryInventoryStore.create());
    private final MutableClock clock = new MutableClock(T);
    private final Inventory inventory = Inventory.builder().store(store).clock(clock).withoutSweeper().build();
    private final List<Map.Entry<String, ProcessingResult>> settled = new CopyOnWriteArrayList<>();
    private final WarehouseEventProcessor warehouse = WarehouseEventProcessor.builder(inventory)
            .onSettled((e, r) -> settled.add(Map.entry(e.eventId(), r))).build();
    private final OrderEventProcessor orders = OrderEventProcessor.builder(inventory).build();

    @AfterEach
    void close() {
        warehouse.close();
        orders.close();
        inventory.close();
    }

    @Test
    void aStoreFailureThrowsAndARetryAppliesTheEvent() {
        var event = new WarehouseEvent.ReceivingComplete("r1", T, WH1, List.of(new WarehouseEvent.Item(A, 5)),
                Optional.empty());
        store.failing = true;

        assertThatThrownBy(() -> warehouse.process(event)).isInstanceOf(InventoryStoreException.class);

        store.failing = false;
        assertThat(warehouse.process(event)).isInstanceOf(ProcessingResult.Applied.class);
        assertThat(inventory.level(A, WH1).orElseThrow().onHand()).isEqualTo(5);
    }

    @Test
    void aParkedEventWhoseRetryFailsStaysParkedAndIsRetriedLater() {
        inventory.stock().receive(A, WH1, 5);
        var order = ReservationId.of("o1");
        orders.process(new OrderEvent.OrderPlaced("p1", T, "o1", List.of(new ReservationLine(A, WH1, 2)),
                Optional.empty(), Optional.empty()));
        var ship = new WarehouseEvent.ShipComplete("s1", T, WH1, "o1", Optional.empty(), List.of());
        assertThat(warehouse.process(ship)).isInstanceOf(ProcessingResult.Deferred.class);
        orders.process(new OrderEvent.PaymentConfirmed("c1", T, "o1"));

        store.failing = true;
        assertThat(warehouse.retryParked()).isZero();
        assertThat(warehouse.parkedCount()).isEqualTo(1);

        store.failing = false;
        assertThat(warehouse.retryParked()).isEqualTo(1);
        assertThat(settled).singleElement().satisfies(s -> assertThat(s.getValue())
                .isInstanceOf(ProcessingResult.Applied.class));
        assertThat(inventory.reservations().find(order).orElseThrow().status().name()).isEqualTo("FULFILLED");
    }

    @Test
    void whatExpiredIsReportedEvenWhenTheNextEventFails() {
        var early = new WarehouseEvent.TransferReceived("tr1", T, "T1", LocationId.of("WH2"), WH1,
                List.of(new WarehouseEvent.Item(A, 1)));
        assertThat(warehouse.process(early)).isInstanceOf(ProcessingResult.Deferred.class);
        clock.advance(Duration.ofHours(1));
        store.failing = true;

        assertThatThrownBy(() -> warehouse.process(new WarehouseEvent.DamageReport("d1", T, A, WH1, 1,
                Optional.empty()))).isInstanceOf(InventoryStoreException.class);

        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.getKey()).isEqualTo("tr1");
            assertThat(((ProcessingResult.Rejected) s.getValue()).reason())
                    .isEqualTo(ProcessingResult.Reason.PREDECESSOR_MISSING);
        });
    }

    /** Delegates to a real store, or throws a retry-safe failure on every write and hold read. */
    private static final class FlakyStore implements InventoryStore {
        private final InventoryStore delegate;
        volatile boolean failing;

        FlakyStore(InventoryStore delegate) {
            this.delegate = delegate;
        }

        private void check() {
            if (failing) {
                throw new InventoryStoreException("store unavailable (test)", null, true);
            }
        }

        @Override
        public StoreResult<ReservationResult> reserve(Reservation reservation, Instant now) {
            check();
            return delegate.reserve(reservation, now);
        }

        @Override
        public StoreResult<ReservationResult> transition(ReservationId id, Transition transition, Instant now,
                Duration paymentExtension) {
            check();
            return delegate.transition(id, transition, now, paymentExtension);
        }

        @Override
        public StoreResult<StockResult> apply(StockCommand command, Instant now) {
            check();
            return delegate.apply(command, now);
        }

        @Override
        public StoreResult<List<Reservation>> expireDue(Instant now, int limit) {
            check();
            return delegate.expireDue(now, limit);
        }

        @Override
        public Optional<StockLevel> level(Sku sku, LocationId locationId) {
            return delegate.level(sku, locationId);
        }

        @Override
        public List<StockLevel> levels(Sku sku) {
            return delegate.levels(sku);
        }

        @Override
        public Optional<Reservation> reservation(ReservationId id) {
            check();
            return delegate.reservation(id);
        }

        @Override
        public List<LedgerEntry> ledger(Sku sku, LocationId locationId) {
            return delegate.ledger(sku, locationId);
        }
    }
}
