package dev.inventory.core.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.Sku;
import dev.inventory.core.contract.StoreFixture;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the processing tests start from: the store fixture's inventory, a warehouse and an order
 * processor over it recording settled results, per-test event ids, and event factories.
 */
public abstract class ProcessingFixture extends StoreFixture {

    protected WarehouseEventProcessor warehouse;
    protected OrderEventProcessor orders;
    protected Backorders backorders;
    protected final List<Map.Entry<Object, ProcessingResult>> settled = new CopyOnWriteArrayList<>();
    private String ids;

    @BeforeEach
    void setUpProcessors() {
        ids = "e" + UUID.randomUUID().toString().substring(0, 8) + "-";
        warehouse = warehouseBuilder().build();
        orders = orderBuilder().build();
    }

    /**
     * The processors' record of settled event ids; a store with a durable one (the PostgreSQL
     * module's) returns it, so the suite runs on it. Called for every processor the tests build.
     */
    protected ProcessedEvents createProcessedEvents() {
        return ProcessedEvents.inMemory();
    }

    /** The backorder queue of {@link #backorders}; a store with a durable queue returns it. */
    protected BackorderQueue createBackorderQueue() {
        return BackorderQueue.inMemory();
    }

    private WarehouseEventProcessor.Builder warehouseBuilder() {
        return WarehouseEventProcessor.builder(inventory).processedEvents(createProcessedEvents())
                .onSettled((e, r) -> settled.add(Map.entry(e, r)));
    }

    private OrderEventProcessor.Builder orderBuilder() {
        return OrderEventProcessor.builder(inventory).processedEvents(createProcessedEvents())
                .onSettled((e, r) -> settled.add(Map.entry(e, r)));
    }

    @AfterEach
    void closeProcessors() {
        warehouse.close();
        orders.close();
        if (backorders != null) {
            backorders.close();
        }
    }

    /** Replaces the warehouse processor by one built with {@code config}. */
    protected void warehouse(UnaryOperator<WarehouseEventProcessor.Builder> config) {
        warehouse.close();
        warehouse = config.apply(warehouseBuilder()).build();
    }

    /** Replaces the order processor by one built with {@code config}. */
    protected void orders(UnaryOperator<OrderEventProcessor.Builder> config) {
        orders.close();
        orders = config.apply(orderBuilder()).build();
    }

    /** Sets up backorders with {@code config} and wires both processors to them. */
    protected void backorders(UnaryOperator<Backorders.Builder> config) {
        backorders = config.apply(Backorders.builder(inventory).queue(createBackorderQueue())).build();
        warehouse(b -> b.backorders(backorders));
        orders(b -> b.backorders(backorders));
    }

    protected String eid(String name) {
        return ids + name;
    }

    protected Instant now() {
        return clock.instant();
    }

    protected static WarehouseEvent.Item item(Sku sku, long quantity) {
        return new WarehouseEvent.Item(sku, quantity);
    }

    protected static ReservationLine line(Sku sku, String location, long quantity) {
        return new ReservationLine(sku, LocationId.of(location), quantity);
    }

    // ------------------------------------------------------------------ warehouse events

    protected WarehouseEvent.ReceivingComplete receiving(String event, String location, WarehouseEvent.Item... items) {
        return new WarehouseEvent.ReceivingComplete(eid(event), now(), loc(location), List.of(items),
                Optional.of("PO-" + event));
    }

    protected WarehouseEvent.PickComplete pick(String event, ReservationId order, WarehouseEvent.Item... items) {
        return new WarehouseEvent.PickComplete(eid(event), now(), loc("WH1"), order.value(), Optional.empty(),
                List.of(items));
    }

    protected WarehouseEvent.PackComplete pack(String event, ReservationId order) {
        return new WarehouseEvent.PackComplete(eid(event), now(), loc("WH1"), order.value(), Optional.empty(),
                List.of());
    }

    protected WarehouseEvent.ShipComplete ship(String event, ReservationId order, WarehouseEvent.Item... items) {
        return new WarehouseEvent.ShipComplete(eid(event), now(), loc("WH1"), order.value(), Optional.empty(),
                List.of(items));
    }

    protected WarehouseEvent.CycleCountAdjustment count(String event, Sku sku, String location, long counted,
            Instant countedAt) {
        return new WarehouseEvent.CycleCountAdjustment(eid(event), countedAt, sku, loc(location), counted,
                Optional.of("scheduled"), Optional.of("AUDIT-" + event));
    }

    protected WarehouseEvent.DamageReport damage(String event, Sku sku, String location, long quantity) {
        return new WarehouseEvent.DamageReport(eid(event), now(), sku, loc(location), quantity, Optional.of("dropped"));
    }

    protected WarehouseEvent.TransferShipped shipped(String event, String transfer, String from, String to,
            WarehouseEvent.Item... items) {
        return new WarehouseEvent.TransferShipped(eid(event), now(), eid(transfer), loc(from), loc(to), List.of(items));
    }

    protected WarehouseEvent.TransferReceived received(String event, String transfer, String from, String to,
            WarehouseEvent.Item... items) {
        return new WarehouseEvent.TransferReceived(eid(event), now(), eid(transfer), loc(from), loc(to),
                List.of(items));
    }

    // ------------------------------------------------------------------ order events

    protected OrderEvent.OrderPlaced placed(String event, ReservationId order, ReservationLine... lines) {
        return new OrderEvent.OrderPlaced(eid(event), now(), order.value(), Arrays.asList(lines), Optional.of("user-1"),
                Optional.of("cart-1"));
    }

    protected OrderEvent.PaymentConfirmed paid(String event, ReservationId order) {
        return new OrderEvent.PaymentConfirmed(eid(event), now(), order.value());
    }

    protected OrderEvent.OrderCancelled cancelled(String event, ReservationId order) {
        return new OrderEvent.OrderCancelled(eid(event), now(), order.value(), Optional.of("customer"));
    }

    protected OrderEvent.OrderShipped orderShipped(String event, ReservationId order) {
        return new OrderEvent.OrderShipped(eid(event), now(), order.value());
    }

    // ------------------------------------------------------------------ assertions

    protected static ProcessingResult.Applied assertApplied(ProcessingResult result) {
        assertThat(result).as("result").isInstanceOf(ProcessingResult.Applied.class);
        return (ProcessingResult.Applied) result;
    }

    protected static ProcessingResult.Rejected assertRejected(ProcessingResult result, ProcessingResult.Reason reason) {
        assertThat(result).as("result").isInstanceOf(ProcessingResult.Rejected.class);
        ProcessingResult.Rejected rejected = (ProcessingResult.Rejected) result;
        assertThat(rejected.reason()).as("reason of %s", rejected).isEqualTo(reason);
        return rejected;
    }

    protected static ProcessingResult.Deferred assertDeferred(ProcessingResult result) {
        assertThat(result).as("result").isInstanceOf(ProcessingResult.Deferred.class);
        return (ProcessingResult.Deferred) result;
    }

    /** The settled result of the event with id {@code eventId}. */
    protected ProcessingResult settledResult(String eventId) {
        return settled.stream().filter(s -> s.getValue().eventId().equals(eventId)).map(Map.Entry::getValue)
                .reduce((a, b) -> {
                    throw new AssertionError("settled twice: " + a + " and " + b);
                }).orElseThrow(() -> new AssertionError("not settled: " + eventId + "; settled: " + settled));
    }
}
