package dev.inventory.kafka;

import static dev.inventory.kafka.InboundJson.field;
import static dev.inventory.kafka.InboundJson.items;
import static dev.inventory.kafka.InboundJson.lines;
import static dev.inventory.kafka.InboundJson.order;
import static dev.inventory.kafka.InboundJson.wms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.inventory.core.Inventory;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.contract.Await;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.processing.OrderEvent;
import dev.inventory.core.processing.OrderEventProcessor;
import dev.inventory.core.processing.ProcessingResult;
import dev.inventory.core.processing.WarehouseEvent;
import dev.inventory.core.processing.WarehouseEventProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inbound consumers wired to the core's processors ({@link InboundConsumers},
 * {@link WarehouseEventHandler}, {@link OrderEventHandler}) against the real broker: a WMS topic and an
 * orders topic, one inventory behind both. The inventory's clock is fixed at the events' timestamp, so
 * a twin inventory fed the same events directly through the processors must end up identical.
 */
@ExtendWith(KafkaBroker.class)
class InboundConsumersKafkaTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse(InboundJson.AT), ZoneOffset.UTC);
    private static final LocationId WH1 = LocationId.of("WH-1");
    private static final LocationId WH2 = LocationId.of("WH-2");
    private static final Sku TEE = Sku.of("TEE-M");
    private static final Sku CAP = Sku.of("CAP");
    /** Quick retries, many of them: a waiting record is retried every 200 ms at most, for about 40 s. */
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(200), 200);

    private Inventory inventory;
    private WarehouseEventProcessor warehouse;
    private OrderEventProcessor orders;
    private KafkaProducer<String, String> producer;
    private String wmsTopic;
    private String ordersTopic;
    private String wmsGroup;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<InventoryEvent.CycleCountVariance> variances = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        inventory = Inventory.builder().clock(CLOCK).withoutSweeper().build();
        inventory.addListener(e -> {
            if (e instanceof InventoryEvent.CycleCountVariance v) {
                variances.add(v);
            }
        });
        warehouse = WarehouseEventProcessor.builder(inventory).build();
        orders = OrderEventProcessor.builder(inventory).build();
        producer = Topics.producer();
        wmsTopic = KafkaBroker.createTopic("wms", 1);
        ordersTopic = KafkaBroker.createTopic("orders", 1);
        wmsGroup = KafkaBroker.group("wms");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        warehouse.close();
        orders.close();
        producer.close();
        inventory.close();
    }

    private ReliableConsumer<WarehouseMessage> startWarehouse(WarehouseEventProcessor processor) {
        return start(InboundConsumers.warehouseBuilder(processor).groupId(wmsGroup).topics(wmsTopic));
    }

    private ReliableConsumer<OrderMessage> startOrders() {
        return start(InboundConsumers.ordersBuilder(orders).groupId(KafkaBroker.group("orders")).topics(ordersTopic));
    }

    private <T> ReliableConsumer<T> start(ReliableConsumer.Builder<T> builder) {
        ReliableConsumer<T> c = builder.bootstrapServers(KafkaBroker.bootstrapServers())
                .pollTimeout(Duration.ofMillis(100)).backoff(QUICK).build();
        closing.add(c);
        c.start();
        return c;
    }

    private void sendWms(String json) {
        Topics.send(producer, wmsTopic, "WH-1", json);
    }

    private void sendOrder(String orderId, String json) {
        Topics.send(producer, ordersTopic, orderId, json);
    }

    private static void awaitCompleted(ReliableConsumer<?> consumer, long records) {
        Await.until(records + " records completed", KafkaBroker.WAIT, () -> consumer.stats().completed() >= records);
        assertThat(consumer.stats().completed()).isEqualTo(records);
    }

    private static long committed(String group, String topic) {
        return Topics.committed(group).getOrDefault(new TopicPartition(topic, 0), 0L);
    }

    private StockLevel level(Sku sku, LocationId location) {
        return inventory.level(sku, location).orElseThrow(() -> new AssertionError("no level " + sku + "@" + location));
    }

    @Test
    void everyWarehouseEventTypeArrivingThroughKafkaChangesStockExactlyAsTheProcessorSays() throws Exception {
        List<String> first = List.of(
                wms("w-receipt", "RECEIVING_COMPLETE", "WH-1", field("purchaseOrderId", "PO-1"),
                        items("TEE-M", 40, "CAP", 10)));
        List<String> orderEvents = List.of(
                order("o-placed", "order.placed", "order-1", field("userId", "alice"), field("cartId", "cart-1"),
                        lines("WH-1", "TEE-M", 3)),
                order("o-paid", "order.payment.confirmed", "order-1"));
        List<String> rest = List.of(
                wms("w-damage", "DAMAGE_REPORT", "WH-1", field("reason", "forklift"), items("TEE-M", 1)),
                wms("w-count", "CYCLE_COUNT_ADJUSTMENT", "WH-1", field("sku", "TEE-M"), field("actualCount", 30),
                        field("expectedCount", 40), field("reason", "annual count"), field("auditId", "audit-1")),
                wms("w-t-out", "TRANSFER_SHIPPED", "WH-1", field("transferId", "T-1"), field("toLocationId", "WH-2"),
                        items("CAP", 4)),
                wms("w-t-in", "TRANSFER_RECEIVED", "WH-2", field("transferId", "T-1"), field("fromLocationId", "WH-1"),
                        items("CAP", 4)),
                wms("w-pick", "PICK_COMPLETE", "WH-1", field("orderId", "order-1"), items("TEE-M", 3)),
                wms("w-pack", "PACK_COMPLETE", "WH-1", field("orderId", "order-1")),
                wms("w-ship", "SHIP_COMPLETE", "WH-1", field("orderId", "order-1"), items("TEE-M", 3)));
        ReliableConsumer<WarehouseMessage> wmsConsumer = startWarehouse(warehouse);
        ReliableConsumer<OrderMessage> orderConsumer = startOrders();

        first.forEach(this::sendWms);
        awaitCompleted(wmsConsumer, 1);
        orderEvents.forEach(json -> sendOrder("order-1", json));
        awaitCompleted(orderConsumer, 2);
        assertThat(level(TEE, WH1).allocated()).isEqualTo(3);
        rest.forEach(this::sendWms);
        awaitCompleted(wmsConsumer, 8);
        Await.until("the offsets committed", KafkaBroker.WAIT, () -> committed(wmsGroup, wmsTopic) == 8);

        assertThat(wmsConsumer.stats()).isEqualTo(new ConsumerStats(8, 0, 0, 0, 0));
        assertThat(orderConsumer.stats()).isEqualTo(new ConsumerStats(2, 0, 0, 0, 0));
        // TEE-M at WH-1: +40 received, 1 damaged, counted at 30, 3 reserved, confirmed and shipped
        StockLevel tee = level(TEE, WH1);
        assertThat(List.of(tee.onHand(), tee.allocated(), tee.reserved(), tee.damaged(), tee.available()))
                .containsExactly(27L, 0L, 0L, 1L, 26L);
        assertThat(inventory.reservations().find(ReservationId.of("order-1")).orElseThrow().status())
                .isEqualTo(ReservationStatus.FULFILLED);
        // CAP: 10 received at WH-1, 4 moved to WH-2 and arrived
        StockLevel capFrom = level(CAP, WH1);
        StockLevel capTo = level(CAP, WH2);
        assertThat(List.of(capFrom.onHand(), capFrom.inTransitOut(), capTo.onHand(), capTo.inTransitIn()))
                .containsExactly(6L, 0L, 4L, 0L);
        assertThat(inventory.ledger(TEE, WH1)).extracting(LedgerEntry::kind, LedgerEntry::delta, LedgerEntry::reference)
                .containsExactly(
                        tuple(LedgerEntry.Kind.RECEIPT, 40L, Optional.of("PO-1")),
                        tuple(LedgerEntry.Kind.DAMAGE, 0L, Optional.of("forklift")),
                        tuple(LedgerEntry.Kind.CYCLE_COUNT, -10L, Optional.of("audit-1")),
                        tuple(LedgerEntry.Kind.FULFILMENT, -3L, Optional.of("order-1")));
        assertThat(variances).singleElement().satisfies(v -> {
            assertThat(v.previousCount()).isEqualTo(40);
            assertThat(v.newCount()).isEqualTo(30);
            assertThat(v.variance()).isEqualTo(-10);
            assertThat(v.reference()).contains("audit-1");
        });

        // the same events straight into the processors of a twin inventory: the very same stock and ledgers
        try (Inventory twin = Inventory.builder().clock(CLOCK).withoutSweeper().build();
                WarehouseEventProcessor twinWarehouse = WarehouseEventProcessor.builder(twin).build();
                OrderEventProcessor twinOrders = OrderEventProcessor.builder(twin).build()) {
            List<ProcessingResult> results = new ArrayList<>();
            for (String json : first) {
                results.add(twinWarehouse.process(WarehouseEventHandler.toEvents(WarehouseMessage.fromJson(json)).get(0)));
            }
            for (String json : orderEvents) {
                OrderEvent event = OrderEventHandler.toEvent(OrderMessage.fromJson(json));
                results.add(twinOrders.process(event));
            }
            for (String json : rest) {
                for (WarehouseEvent event : WarehouseEventHandler.toEvents(WarehouseMessage.fromJson(json))) {
                    results.add(twinWarehouse.process(event));
                }
            }
            assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(ProcessingResult.Applied.class));
            for (Sku sku : List.of(TEE, CAP)) {
                assertThat(inventory.levels(sku)).as("levels of %s", sku).isEqualTo(twin.levels(sku));
                for (LocationId location : List.of(WH1, WH2)) {
                    assertThat(inventory.ledger(sku, location)).as("ledger of %s at %s", sku, location)
                            .isEqualTo(twin.ledger(sku, location));
                }
            }
        }
    }

    @Test
    void aRecordDeliveredTwiceIsAppliedOnce() {
        ReliableConsumer<WarehouseMessage> wmsConsumer = startWarehouse(warehouse);
        ReliableConsumer<OrderMessage> orderConsumer = startOrders();
        String receipt = wms("w-dup", "RECEIVING_COMPLETE", "WH-1", items("TEE-M", 5, "CAP", 2));
        String damage = wms("w-dmg", "DAMAGE_REPORT", "WH-1", items("TEE-M", 1, "CAP", 1));
        String placed = order("o-dup", "order.placed", "order-2", lines("WH-1", "TEE-M", 2));

        sendWms(receipt);
        sendWms(receipt);
        sendWms(damage);
        sendWms(damage);
        awaitCompleted(wmsConsumer, 4);
        sendOrder("order-2", placed);
        sendOrder("order-2", placed);
        awaitCompleted(orderConsumer, 2);

        assertThat(wmsConsumer.stats()).isEqualTo(new ConsumerStats(2, 2, 0, 0, 0));
        assertThat(orderConsumer.stats()).isEqualTo(new ConsumerStats(1, 1, 0, 0, 0));
        assertThat(List.of(level(TEE, WH1).onHand(), level(TEE, WH1).damaged(), level(TEE, WH1).reserved()))
                .containsExactly(5L, 1L, 2L);
        assertThat(List.of(level(CAP, WH1).onHand(), level(CAP, WH1).damaged())).containsExactly(2L, 1L);
        assertThat(inventory.ledger(TEE, WH1)).extracting(e -> e.eventId().orElseThrow()).containsExactly("w-dup:1", "w-dmg:1");
        assertThat(inventory.ledger(CAP, WH1)).extracting(e -> e.eventId().orElseThrow()).containsExactly("w-dup:2", "w-dmg:2");
    }

    @Test
    void aMessageAtOrBelowTheVersionAppliedForItsKeyIsDroppedAsStale() {
        ReliableConsumer<WarehouseMessage> wmsConsumer = startWarehouse(warehouse);
        sendWms(wms("v-5", "RECEIVING_COMPLETE", "WH-1", field("version", 5), items("TEE-M", 5)));
        sendWms(wms("v-4", "RECEIVING_COMPLETE", "WH-1", field("version", 4), items("TEE-M", 4)));
        sendWms(wms("v-5-again", "RECEIVING_COMPLETE", "WH-1", field("version", 5), items("TEE-M", 50)));
        sendWms(wms("v-2-elsewhere", "RECEIVING_COMPLETE", "WH-2", field("version", 2), items("TEE-M", 2)));
        sendWms(wms("no-version", "RECEIVING_COMPLETE", "WH-1", items("TEE-M", 1)));
        awaitCompleted(wmsConsumer, 5);

        assertThat(wmsConsumer.stats()).isEqualTo(new ConsumerStats(3, 0, 2, 0, 0));
        assertThat(level(TEE, WH1).onHand()).isEqualTo(6);
        assertThat(level(TEE, WH2).onHand()).isEqualTo(2);
    }

    @Test
    void aShipmentBeforeItsOrderWaitsWithItsOffsetHeldAndIsAppliedOnceTheOrderArrivesOnTheOtherTopic() {
        inventory.stock().receive(TEE, WH1, 10);
        ReliableConsumer<WarehouseMessage> wmsConsumer = startWarehouse(warehouse);
        sendWms(wms("w-ship-early", "SHIP_COMPLETE", "WH-1", field("orderId", "order-3"), items("TEE-M", 4)));
        sendWms(wms("w-after", "RECEIVING_COMPLETE", "WH-1", items("CAP", 1)));

        Await.until("the shipment is retried while it waits", KafkaBroker.WAIT,
                () -> wmsConsumer.stats().retries() >= 3 && warehouse.parkedCount() == 1);
        assertThat(wmsConsumer.stats().completed()).as("the partition waits behind it").isZero();
        assertThat(committed(wmsGroup, wmsTopic)).isZero();
        assertThat(level(TEE, WH1).onHand()).isEqualTo(10);
        assertThat(inventory.level(CAP, WH1)).isEmpty();

        ReliableConsumer<OrderMessage> orderConsumer = startOrders();
        sendOrder("order-3", order("o3-placed", "order.placed", "order-3", lines("WH-1", "TEE-M", 4)));
        awaitCompleted(orderConsumer, 1);
        assertThat(wmsConsumer.stats().completed()).as("placed, not yet paid: it still waits").isZero();
        sendOrder("order-3", order("o3-paid", "order.payment.confirmed", "order-3"));
        awaitCompleted(wmsConsumer, 2);
        Await.until("the offsets committed", KafkaBroker.WAIT, () -> committed(wmsGroup, wmsTopic) == 2);

        assertThat(wmsConsumer.stats().applied()).isEqualTo(2);
        assertThat(wmsConsumer.stats().duplicates() + wmsConsumer.stats().deadLettered()).isZero();
        assertThat(warehouse.parkedCount()).isZero();
        assertThat(inventory.reservations().find(ReservationId.of("order-3")).orElseThrow().status())
                .isEqualTo(ReservationStatus.FULFILLED);
        assertThat(List.of(level(TEE, WH1).onHand(), level(TEE, WH1).allocated())).containsExactly(6L, 0L);
        assertThat(inventory.ledger(TEE, WH1)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.RECEIPT, LedgerEntry.Kind.FULFILMENT);
        assertThat(level(CAP, WH1).onHand()).isEqualTo(1);
    }

    @Test
    void aWaitingShipmentIsDeliveredAgainAfterARestartAndAppliedOnce() {
        inventory.stock().receive(TEE, WH1, 10);
        WarehouseEventProcessor before = WarehouseEventProcessor.builder(inventory).build();
        ReliableConsumer<WarehouseMessage> dying = startWarehouse(before);
        sendWms(wms("w-ship-early", "SHIP_COMPLETE", "WH-1", field("orderId", "order-4"), items("TEE-M", 4)));
        Await.until("the shipment waits", KafkaBroker.WAIT, () -> dying.stats().retries() >= 1
                && before.parkedCount() == 1);
        dying.close();
        before.close(); // the process is gone, and the event it held with it
        assertThat(committed(wmsGroup, wmsTopic)).as("nothing committed for the waiting record").isZero();

        ReliableConsumer<OrderMessage> orderConsumer = startOrders();
        sendOrder("order-4", order("o4-placed", "order.placed", "order-4", lines("WH-1", "TEE-M", 4)));
        sendOrder("order-4", order("o4-paid", "order.payment.confirmed", "order-4"));
        awaitCompleted(orderConsumer, 2);
        assertThat(level(TEE, WH1).allocated()).as("the shipment was not applied by the dead process").isEqualTo(4);

        ReliableConsumer<WarehouseMessage> restarted = startWarehouse(warehouse);
        awaitCompleted(restarted, 1);
        Await.until("the offset committed", KafkaBroker.WAIT, () -> committed(wmsGroup, wmsTopic) == 1);
        assertThat(restarted.stats()).isEqualTo(new ConsumerStats(1, 0, 0, 0, 0));
        assertThat(List.of(level(TEE, WH1).onHand(), level(TEE, WH1).allocated())).containsExactly(6L, 0L);
        assertThat(inventory.ledger(TEE, WH1)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.RECEIPT, LedgerEntry.Kind.FULFILMENT);
    }

    @Test
    void anEventTheCoreRejectsOrCannotTakeIsDeadLetteredWithTheReasonAndLaterRecordsKeepFlowing() {
        inventory.stock().receive(CAP, WH1, 5);
        inventory.stock().setFlags(TEE, WH1, true, true);
        String deadLetters = wmsTopic + ".DLT"; // the default name, created by the broker on first use
        ReliableConsumer<WarehouseMessage> wmsConsumer = startWarehouse(warehouse);
        sendWms(wms("w-blocked", "RECEIVING_COMPLETE", "WH-1", items("CAP", 2, "TEE-M", 3)));
        sendWms(wms("w-no-transfer-id", "TRANSFER_SHIPPED", "WH-1", field("toLocationId", "WH-2"), items("CAP", 1)));
        sendWms(wms("w-too-many", "DAMAGE_REPORT", "WH-1", items("CAP", 4, "TEE-M", 1)));
        sendWms(wms("w-fine", "RECEIVING_COMPLETE", "WH-1", items("CAP", 7)));
        awaitCompleted(wmsConsumer, 4);
        Await.until("the offsets committed", KafkaBroker.WAIT, () -> committed(wmsGroup, wmsTopic) == 4);

        assertThat(wmsConsumer.stats()).isEqualTo(new ConsumerStats(1, 0, 0, 3, 0));
        List<ConsumerRecord<byte[], byte[]>> letters = Topics.readAll(deadLetters, 3, KafkaBroker.WAIT);
        assertThat(letters).extracting(r -> Topics.header(r, DeadLetterHeaders.EXCEPTION_FQCN)).containsExactly(
                RejectedRecordException.class.getName(), InvalidMessageException.class.getName(),
                RejectedRecordException.class.getName());
        assertThat(letters).extracting(r -> Topics.header(r, DeadLetterHeaders.EXCEPTION_MESSAGE)).satisfiesExactly(
                m -> assertThat(m).startsWith("RECEIVING_BLOCKED: receiving is blocked for TEE-M at WH-1"),
                m -> assertThat(m).isEqualTo("TRANSFER_SHIPPED w-no-transfer-id cannot be applied: transferId is"
                        + " required for TRANSFER_SHIPPED: the arrival of a transfer is matched to its shipment by it"),
                m -> assertThat(m).startsWith("item 2 of 2 (w-too-many:2): INSUFFICIENT_STOCK")
                        .endsWith("items 1-1 were applied (a redelivery skips them)"));
        assertThat(Topics.text(letters.get(0).value())).contains("w-blocked");
        // nothing of the blocked receipt was applied; the damage's first line was, the later receipt too
        assertThat(List.of(level(CAP, WH1).onHand(), level(CAP, WH1).damaged())).containsExactly(12L, 4L);
        assertThat(level(TEE, WH1).onHand()).isZero();
    }
}
