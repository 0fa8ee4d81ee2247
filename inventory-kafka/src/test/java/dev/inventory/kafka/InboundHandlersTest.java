package dev.inventory.kafka;

import static dev.inventory.kafka.InboundJson.field;
import static dev.inventory.kafka.InboundJson.items;
import static dev.inventory.kafka.InboundJson.lines;
import static dev.inventory.kafka.InboundJson.order;
import static dev.inventory.kafka.InboundJson.wms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.contract.MutableClock;
import dev.inventory.core.processing.OrderEvent;
import dev.inventory.core.processing.OrderEventProcessor;
import dev.inventory.core.processing.WarehouseEvent;
import dev.inventory.core.processing.WarehouseEventProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The inbound handlers without a broker: the mapping of every field, mapping failures, and the results. */
class InboundHandlersTest {
    private static final Instant AT = Instant.parse(InboundJson.AT);
    private static final LocationId WH1 = LocationId.of("WH-1");
    private static final LocationId WH2 = LocationId.of("WH-2");
    private static final Sku TEE = Sku.of("TEE-M");
    private static final Sku CAP = Sku.of("CAP");

    private static List<WarehouseEvent> warehouse(String json) throws Exception {
        return WarehouseEventHandler.toEvents(WarehouseMessage.fromJson(json));
    }

    private static OrderEvent mapped(String json) throws Exception {
        return OrderEventHandler.toEvent(OrderMessage.fromJson(json));
    }

    private static WarehouseEvent.Item item(Sku sku, long quantity) {
        return new WarehouseEvent.Item(sku, quantity);
    }

    @Test
    void everyWarehouseTypeMapsWithEveryField() throws Exception {
        assertThat(warehouse(wms("r", "RECEIVING_COMPLETE", "WH-1", field("purchaseOrderId", "PO-1"),
                items("TEE-M", 4, "CAP", 2)))).containsExactly(new WarehouseEvent.ReceivingComplete("r", AT, WH1,
                        List.of(item(TEE, 4), item(CAP, 2)), Optional.of("PO-1")));
        // pick, pack, ship: lines summed per SKU whatever their location; the hold is the order's
        String twoSites = "\"items\":[{\"sku\":\"TEE-M\",\"quantity\":1},{\"sku\":\"CAP\",\"quantity\":1},"
                + "{\"sku\":\"TEE-M\",\"locationId\":\"WH-2\",\"quantity\":2}]";
        assertThat(warehouse(wms("k", "PICK_COMPLETE", "WH-1", field("orderId", "o-1"), twoSites))).containsExactly(
                new WarehouseEvent.PickComplete("k", AT, WH1, "o-1", Optional.empty(), List.of(item(TEE, 3),
                        item(CAP, 1))));
        assertThat(warehouse(wms("p", "PACK_COMPLETE", "WH-1", field("orderId", "o-1")))).containsExactly(
                new WarehouseEvent.PackComplete("p", AT, WH1, "o-1", Optional.empty(), List.of()));
        assertThat(warehouse(wms("s", "SHIP_COMPLETE", "WH-1", field("orderId", "o-1"), items("TEE-M", 3))))
                .containsExactly(new WarehouseEvent.ShipComplete("s", AT, WH1, "o-1", Optional.empty(),
                        List.of(item(TEE, 3))));
        assertThat(warehouse(wms("c", "CYCLE_COUNT_ADJUSTMENT", "WH-1", field("sku", "TEE-M"),
                field("actualCount", 0), field("expectedCount", 3), field("reason", "annual"),
                field("approvedBy", "lead"), field("auditId", "A-1")))).containsExactly(
                        new WarehouseEvent.CycleCountAdjustment("c", AT, TEE, WH1, 0, Optional.of("annual"),
                                Optional.of("A-1")));
        assertThat(warehouse(wms("d", "DAMAGE_REPORT", "WH-1", field("reason", "forklift"), items("TEE-M", 2))))
                .containsExactly(new WarehouseEvent.DamageReport("d", AT, TEE, WH1, 2, Optional.of("forklift")));
        assertThat(warehouse(wms("d", "DAMAGE_REPORT", "WH-1",
                "\"items\":[{\"sku\":\"TEE-M\",\"quantity\":2},{\"sku\":\"TEE-M\",\"locationId\":\"WH-2\",\"quantity\":1}]")))
                .as("one core event per line, numbered").containsExactly(
                        new WarehouseEvent.DamageReport("d:1", AT, TEE, WH1, 2, Optional.empty()),
                        new WarehouseEvent.DamageReport("d:2", AT, TEE, WH2, 1, Optional.empty()));
        assertThat(warehouse(wms("t1", "TRANSFER_SHIPPED", "WH-1", field("transferId", "T-1"),
                field("toLocationId", "WH-2"), items("CAP", 5)))).containsExactly(
                        new WarehouseEvent.TransferShipped("t1", AT, "T-1", WH1, WH2, List.of(item(CAP, 5))));
        assertThat(warehouse(wms("t2", "TRANSFER_RECEIVED", "WH-2", field("transferId", "T-1"),
                field("fromLocationId", "WH-1"), items("CAP", 5)))).containsExactly(
                        new WarehouseEvent.TransferReceived("t2", AT, "T-1", WH1, WH2, List.of(item(CAP, 5))));
    }

    @Test
    void everyOrderTypeMapsWithEveryField() throws Exception {
        assertThat(mapped(order("e1", "order.placed", "o-1", field("userId", "alice"), field("cartId", "cart-1"),
                field("reservationId", "checkout-1"), lines("WH-1", "TEE-M", 2, "CAP", 1)))).isEqualTo(
                        new OrderEvent.OrderPlaced("e1", AT, "o-1", List.of(new ReservationLine(CAP, WH1, 1),
                                new ReservationLine(TEE, WH1, 2)), Optional.of("alice"), Optional.of("cart-1")));
        assertThat(mapped(order("e2", "order.payment.confirmed", "o-1")))
                .isEqualTo(new OrderEvent.PaymentConfirmed("e2", AT, "o-1"));
        assertThat(mapped(order("e3", "order.cancelled", "o-1", field("reason", "changed mind"))))
                .isEqualTo(new OrderEvent.OrderCancelled("e3", AT, "o-1", Optional.of("changed mind")));
        assertThat(mapped(order("e4", "order.shipped", "o-1"))).isEqualTo(new OrderEvent.OrderShipped("e4", AT, "o-1"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "RECEIVING_COMPLETE|WH-1|\"items\":[{\"sku\":\"A\",\"locationId\":\"WH-2\",\"quantity\":1}]|items[0].locationId must be the event's locationId for RECEIVING_COMPLETE, was WH-2",
        "RECEIVING_COMPLETE|WH-1|\"items\":[{\"sku\":\"A\",\"quantity\":1},{\"sku\":\"A\",\"quantity\":2}]|items must not repeat A",
        "TRANSFER_SHIPPED|WH-1|\"toLocationId\":\"WH-2\",\"items\":[{\"sku\":\"A\",\"quantity\":1}]|transferId is required for TRANSFER_SHIPPED",
        "TRANSFER_RECEIVED|WH-2|\"transferId\":\"T\",\"fromLocationId\":\"WH-1\",\"items\":[{\"sku\":\"A\",\"locationId\":\"WH-1\",\"quantity\":1}]|items[0].locationId must be the event's locationId or toLocationId for TRANSFER_RECEIVED, was WH-1",
        "DAMAGE_REPORT|WH-1|\"items\":[{\"sku\":\"A\",\"quantity\":1},{\"sku\":\"A\",\"quantity\":2}]|items must not repeat a SKU x location for DAMAGE_REPORT, was A at WH-1 twice",
    })
    void aWarehouseMessageTheCoreCannotTakeIsInvalid(String type, String location, String fields, String error) {
        try (Inventory inventory = Inventory.builder().withoutSweeper().build();
                WarehouseEventProcessor processor = WarehouseEventProcessor.builder(inventory).build()) {
            WarehouseEventHandler handler = new WarehouseEventHandler(processor);
            assertThatThrownBy(() -> handler.handle(WarehouseMessage.fromJson(wms("bad", type, location, fields))))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessageStartingWith(type + " bad cannot be applied: ").hasMessageContaining(error)
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(inventory.level(Sku.of("A"), WH1)).as("nothing applied").isEmpty();
        }
    }

    @Test
    void anEventIdLongerThanTheCoreTakesAndAnOrderLineWithoutLocationAreInvalid() throws Exception {
        String longId = "x".repeat(101);
        assertThatThrownBy(() -> warehouse(wms(longId, "RECEIVING_COMPLETE", "WH-1", items("A", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("eventId must be 1-100 characters");
        try (Inventory inventory = Inventory.builder().withoutSweeper().build();
                OrderEventProcessor processor = OrderEventProcessor.builder(inventory).build()) {
            OrderEventHandler handler = new OrderEventHandler(processor);
            assertThatThrownBy(() -> handler.handle(OrderMessage.fromJson(order("e", "order.placed", "o-1",
                    items("A", 1))))).isInstanceOf(InvalidMessageException.class).hasMessage("order.placed e cannot be"
                            + " applied: items[0].locationId is required for order.placed: the order's hold reserves"
                            + " at a location");
        }
    }

    @Test
    void resultsBecomeOutcomesAndAWaitIsARetrySafeFailureUntilTheProcessorGivesUp() throws Exception {
        MutableClock clock = new MutableClock(AT);
        try (Inventory inventory = Inventory.builder().clock(clock).withoutSweeper().build();
                WarehouseEventProcessor warehouse = WarehouseEventProcessor.builder(inventory)
                        .parking(100, Duration.ofMinutes(1)).build();
                OrderEventProcessor orders = OrderEventProcessor.builder(inventory).build()) {
            WarehouseEventHandler wms = new WarehouseEventHandler(warehouse);
            OrderEventHandler shop = new OrderEventHandler(orders);
            inventory.stock().receive(TEE, WH1, 5);
            WarehouseMessage ship = WarehouseMessage.fromJson(wms("s-1", "SHIP_COMPLETE", "WH-1",
                    field("orderId", "o-1"), items("TEE-M", 2)));

            assertThatThrownBy(() -> wms.handle(ship)).isInstanceOfSatisfying(EventDeferredException.class, e -> {
                assertThat(e.isRetrySafe()).isTrue();
                assertThat(ReliableConsumer.isTransient(e)).isTrue();
                assertThat(e.eventId()).isEqualTo("s-1");
                assertThat(e.until()).isEqualTo(AT.plus(Duration.ofMinutes(1)));
                assertThat(e.getMessage()).contains("hold o-1");
                assertThat(e.getStackTrace()).isEmpty();
            });
            assertThat(shop.handle(OrderMessage.fromJson(order("p-1", "order.placed", "o-1",
                    lines("WH-1", "TEE-M", 2))))).isEqualTo(Outcome.applied());
            assertThatThrownBy(() -> wms.handle(ship)).as("placed but not paid").isInstanceOf(EventDeferredException.class);
            OrderMessage paid = OrderMessage.fromJson(order("c-1", "order.payment.confirmed", "o-1"));
            assertThat(shop.handle(paid)).isEqualTo(Outcome.applied());
            assertThat(shop.handle(paid)).isEqualTo(Outcome.duplicate());

            assertThat(wms.handle(ship)).as("applied by the processor while it waited").isEqualTo(Outcome.applied());
            assertThat(wms.handle(ship)).isEqualTo(Outcome.duplicate());
            assertThat(inventory.level(TEE, WH1).orElseThrow().onHand()).isEqualTo(3);
            assertThat(inventory.reservations().find(ReservationId.of("o-1")).orElseThrow().status())
                    .isEqualTo(ReservationStatus.FULFILLED);

            // a shipment whose order never comes: it waits for the parking time, then its record is rejected
            WarehouseMessage orphan = WarehouseMessage.fromJson(wms("s-2", "SHIP_COMPLETE", "WH-1",
                    field("orderId", "o-2"), items("TEE-M", 1)));
            assertThatThrownBy(() -> wms.handle(orphan)).isInstanceOf(EventDeferredException.class);
            clock.advance(Duration.ofSeconds(30));
            assertThatThrownBy(() -> wms.handle(orphan)).isInstanceOf(EventDeferredException.class);
            clock.advance(Duration.ofSeconds(31));
            Outcome gaveUp = wms.handle(orphan);
            assertThat(gaveUp).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                    .startsWith("PREDECESSOR_MISSING: WMS event s-2 waited for hold o-2 to be placed and confirmed until "
                            + AT.plus(Duration.ofMinutes(1))));

            // a rejection carries the core's reason and message
            inventory.stock().setFlags(CAP, WH1, true, true);
            assertThat(wms.handle(WarehouseMessage.fromJson(wms("r-1", "RECEIVING_COMPLETE", "WH-1", items("CAP", 1)))))
                    .isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                            .startsWith("RECEIVING_BLOCKED: receiving is blocked for CAP at WH-1"));
        }
    }
}
