package dev.inventory.kafka;

import dev.inventory.core.ReservationLine;
import dev.inventory.core.processing.OrderEvent;
import dev.inventory.core.processing.OrderEventProcessor;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies order messages with the core's {@link OrderEventProcessor}: the {@link RecordHandler} a
 * {@link ReliableConsumer} of {@link OrderMessage#decoder()} needs (or use {@link InboundConsumers#orders}).
 *
 * <pre>{@code
 * OrderEventProcessor processor = OrderEventProcessor.builder(inventory).build();
 * ReliableConsumer<OrderMessage> orders = ReliableConsumer
 *         .builder(OrderMessage.decoder(), new OrderEventHandler(processor))
 *         .bootstrapServers("kafka:9092").groupId("inventory-orders").topics("orders")
 *         .versions(OrderMessage::stamp, VersionTracker.inMemory())
 *         .build();
 * }</pre>
 *
 * <p>Each message becomes the core's {@link OrderEvent} of its type: event id, timestamp as
 * {@code occurredAt}, order id, and for {@code order.placed} the lines (each needs its
 * {@code locationId}: a hold reserves at a location), user and cart; for {@code order.cancelled} the
 * reason. The core holds an order's stock under the order id, so the message's {@code reservationId}
 * (the checkout hold it came from) is not used: a shop that already holds the stock under a checkout
 * id through this library should confirm that hold itself rather than feed {@code order.placed} here,
 * or the stock is held twice until the checkout hold expires. The lines of {@code order.shipped} are
 * not used either (the whole hold is fulfilled), nor {@code version} (for the consumer's
 * {@link VersionTracker}). A message the core cannot take (an event id over 100 characters, a line
 * without location, a SKU x location twice) is dead-lettered at once with an
 * {@link InvalidMessageException} naming the field.
 *
 * <p>Results as for {@link WarehouseEventHandler}: {@code Applied}, {@code Duplicate} and
 * {@code Rejected} ({@code "<REASON>: <message>"}, dead-lettered) map to the {@link Outcome} of the same
 * name; {@code Deferred} (a payment, cancellation or shipment before its {@code order.placed}) throws
 * the retry-safe {@link EventDeferredException}, so the record is retried with backoff and committed
 * only once the processor applied or rejected the event. Within one partition the predecessor cannot
 * overtake the record that waits for it: key the topic by order id so that an order's events are
 * produced in order, or a payment sent before its order waits until the backoff gives up.
 *
 * <p>Thread-safe (the processor is).
 */
public final class OrderEventHandler implements RecordHandler<OrderMessage> {
    private static final String WHAT = "order event";

    private final OrderEventProcessor processor;
    private final ProcessingOutcomes outcomes = new ProcessingOutcomes();

    /** A handler that applies messages with {@code processor}. */
    public OrderEventHandler(OrderEventProcessor processor) {
        this.processor = Settings.notNull("processor", processor);
    }

    /**
     * Maps {@code message} to the core's event and processes it.
     *
     * @throws InvalidMessageException when the message cannot be expressed as a core event
     * @throws EventDeferredException when the event waits for a predecessor (retried by the consumer)
     */
    @Override
    public Outcome handle(OrderMessage message) throws InvalidMessageException {
        OrderEvent event;
        try {
            event = toEvent(message);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(message.type().wireName() + " " + message.eventId()
                    + " cannot be applied: " + e.getMessage(), e);
        }
        if (processor.parkedCount() > 0) {
            processor.retryParked();
        }
        return outcomes.outcome(WHAT, processor.process(event));
    }

    /**
     * The core event {@code m} stands for.
     *
     * @throws IllegalArgumentException naming the field when the core cannot take the message
     */
    static OrderEvent toEvent(OrderMessage m) {
        switch (m.type()) {
            case PLACED:
                return new OrderEvent.OrderPlaced(m.eventId(), m.timestamp(), m.orderId(), lines(m), m.userId(),
                        m.cartId());
            case PAYMENT_CONFIRMED:
                return new OrderEvent.PaymentConfirmed(m.eventId(), m.timestamp(), m.orderId());
            case CANCELLED:
                return new OrderEvent.OrderCancelled(m.eventId(), m.timestamp(), m.orderId(), m.reason());
            case SHIPPED:
                return new OrderEvent.OrderShipped(m.eventId(), m.timestamp(), m.orderId());
            default:
                throw new IllegalArgumentException("eventType " + m.type().wireName() + " is not handled");
        }
    }

    private static List<ReservationLine> lines(OrderMessage m) {
        List<ReservationLine> lines = new ArrayList<>(m.items().size());
        for (int i = 0; i < m.items().size(); i++) {
            OrderMessage.Line line = m.items().get(i);
            int index = i;
            lines.add(new ReservationLine(line.sku(), line.locationId().orElseThrow(() -> new IllegalArgumentException(
                    "items[" + index + "].locationId is required for " + m.type().wireName()
                            + ": the order's hold reserves at a location")), line.quantity()));
        }
        return lines;
    }
}
