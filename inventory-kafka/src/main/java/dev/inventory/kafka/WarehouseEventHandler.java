package dev.inventory.kafka;

import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import dev.inventory.core.processing.WarehouseEvent;
import dev.inventory.core.processing.WarehouseEventProcessor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies WMS messages with the core's {@link WarehouseEventProcessor}: the {@link RecordHandler} a
 * {@link ReliableConsumer} of {@link WarehouseMessage#decoder()} needs (or use
 * {@link InboundConsumers#warehouse}).
 *
 * <pre>{@code
 * WarehouseEventProcessor processor = WarehouseEventProcessor.builder(inventory).build();
 * ReliableConsumer<WarehouseMessage> wms = ReliableConsumer
 *         .builder(WarehouseMessage.decoder(), new WarehouseEventHandler(processor))
 *         .bootstrapServers("kafka:9092").groupId("inventory-wms").topics("wms.events")
 *         .versions(WarehouseMessage::stamp, VersionTracker.inMemory())
 *         .build();
 * }</pre>
 *
 * <p>Each message becomes the core's {@link WarehouseEvent} of its type, every field carried over
 * (event id, timestamp as {@code occurredAt}, location, items, order, purchase order, reason, the
 * count's SKU, actual count and audit id, the transfer's ends and id). A message the core cannot
 * take is dead-lettered at once with an {@link InvalidMessageException} naming the field: an event id
 * longer than the core's 100 characters, a receipt line at another location than the event's, a
 * transfer line at neither the event's location nor the transfer's end, a transfer without
 * {@code transferId} (its arrival could never be matched to its shipment), a repeated SKU. Pick,
 * pack and ship lines are summed per SKU (the core checks them against the hold per SKU; the hold
 * fulfils where it reserved). A DAMAGE_REPORT of one line keeps its event id; one of several lines
 * becomes one core event per line, with the ids {@code <eventId>:1}, {@code :2}, ... Not used: {@code
 * source}, the count's {@code expectedCount} and {@code approvedBy} (the core computes the variance
 * from its own books), {@code version} (for the consumer's {@link VersionTracker}).
 *
 * <p>Results: {@code Applied} is {@link Outcome#applied()}, {@code Duplicate} is
 * {@link Outcome#duplicate()}, {@code Rejected} is {@link Outcome#rejected(String)} with
 * {@code "<REASON>: <message>"} (dead-lettered), and {@code Deferred} throws an
 * {@link EventDeferredException} (retry-safe): the record's offset is not committed and its partition
 * pauses and retries with the consumer's {@link Backoff}. When the predecessor is applied (by the
 * order consumer, on another topic or partition, or by a direct call) the processor applies the
 * parked event; the retried record then finds it processed and completes as applied. After a crash
 * the parked event is gone with the process, and the uncommitted record is simply delivered again.
 * When the backoff's attempts run out first, the record is dead-lettered (with the
 * {@link EventDeferredException}), while the processor may still apply the parked event later: a
 * replay of that dead letter is then a duplicate. Before each message, events the processor holds are
 * retried ({@link WarehouseEventProcessor#retryParked()}), so a retried record sees its event applied
 * without waiting for one more backoff.
 *
 * <p>Thread-safe (the processor is). The change is as durable as the processor's inventory store.
 */
public final class WarehouseEventHandler implements RecordHandler<WarehouseMessage> {
    private static final String WHAT = "WMS event";

    private final WarehouseEventProcessor processor;
    private final ProcessingOutcomes outcomes = new ProcessingOutcomes();

    /** A handler that applies messages with {@code processor}. */
    public WarehouseEventHandler(WarehouseEventProcessor processor) {
        this.processor = Settings.notNull("processor", processor);
    }

    /**
     * Maps {@code message} to the core's event(s) and processes them.
     *
     * @throws InvalidMessageException when the message cannot be expressed as a core event
     * @throws EventDeferredException when the event waits for a predecessor (retried by the consumer)
     */
    @Override
    public Outcome handle(WarehouseMessage message) throws InvalidMessageException {
        List<WarehouseEvent> events;
        try {
            events = toEvents(message);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(message.type() + " " + message.eventId()
                    + " cannot be applied: " + e.getMessage(), e);
        }
        if (processor.parkedCount() > 0) {
            processor.retryParked();
        }
        return outcomes.outcome(WHAT, events, processor::process);
    }

    /**
     * The core events {@code m} stands for: one, except for a DAMAGE_REPORT of several lines.
     *
     * @throws IllegalArgumentException naming the field when the core cannot take the message
     */
    static List<WarehouseEvent> toEvents(WarehouseMessage m) {
        String id = m.eventId();
        Instant at = m.timestamp();
        LocationId location = m.locationId();
        switch (m.type()) {
            case RECEIVING_COMPLETE:
                return List.of(new WarehouseEvent.ReceivingComplete(id, at, location,
                        items(m, location, location, "the event's locationId"), m.purchaseOrderId()));
            case PICK_COMPLETE:
                return List.of(new WarehouseEvent.PickComplete(id, at, location, orderId(m), Optional.empty(),
                        perSku(m.items())));
            case PACK_COMPLETE:
                return List.of(new WarehouseEvent.PackComplete(id, at, location, orderId(m), Optional.empty(),
                        perSku(m.items())));
            case SHIP_COMPLETE:
                return List.of(new WarehouseEvent.ShipComplete(id, at, location, orderId(m), Optional.empty(),
                        perSku(m.items())));
            case CYCLE_COUNT_ADJUSTMENT: {
                WarehouseMessage.CycleCount count = m.cycleCount().orElseThrow(
                        () -> new IllegalArgumentException("sku and actualCount are required for " + m.type()));
                return List.of(new WarehouseEvent.CycleCountAdjustment(id, at, count.sku(), location,
                        count.actualCount(), m.reason(), count.auditId()));
            }
            case DAMAGE_REPORT:
                return damage(m);
            case TRANSFER_SHIPPED: {
                WarehouseMessage.Transfer t = transfer(m);
                return List.of(new WarehouseEvent.TransferShipped(id, at, transferId(m, t), t.from(), t.to(),
                        items(m, location, t.from(), "the event's locationId or fromLocationId")));
            }
            case TRANSFER_RECEIVED: {
                WarehouseMessage.Transfer t = transfer(m);
                return List.of(new WarehouseEvent.TransferReceived(id, at, transferId(m, t), t.from(), t.to(),
                        items(m, location, t.to(), "the event's locationId or toLocationId")));
            }
            default:
                throw new IllegalArgumentException("eventType " + m.type() + " is not handled");
        }
    }

    /** The lines as core items, each at {@code location} or {@code alsoAllowed}. */
    private static List<WarehouseEvent.Item> items(WarehouseMessage m, LocationId location, LocationId alsoAllowed,
            String allowed) {
        List<WarehouseEvent.Item> items = new ArrayList<>(m.items().size());
        for (int i = 0; i < m.items().size(); i++) {
            WarehouseMessage.Line line = m.items().get(i);
            if (!line.locationId().equals(location) && !line.locationId().equals(alsoAllowed)) {
                throw new IllegalArgumentException("items[" + i + "].locationId must be " + allowed + " for "
                        + m.type() + ", was " + line.locationId());
            }
            items.add(new WarehouseEvent.Item(line.sku(), line.quantity()));
        }
        return items;
    }

    /** Pick, pack and ship lines summed per SKU (in first-seen order); empty stays empty (the whole hold). */
    private static List<WarehouseEvent.Item> perSku(List<WarehouseMessage.Line> lines) {
        Map<Sku, Long> sums = new LinkedHashMap<>();
        for (WarehouseMessage.Line line : lines) {
            sums.merge(line.sku(), line.quantity(), Long::sum);
        }
        List<WarehouseEvent.Item> items = new ArrayList<>(sums.size());
        sums.forEach((sku, quantity) -> items.add(new WarehouseEvent.Item(sku, quantity)));
        return items;
    }

    private static List<WarehouseEvent> damage(WarehouseMessage m) {
        List<WarehouseMessage.Line> lines = m.items();
        if (lines.size() == 1) {
            WarehouseMessage.Line line = lines.get(0);
            return List.of(new WarehouseEvent.DamageReport(m.eventId(), m.timestamp(), line.sku(), line.locationId(),
                    line.quantity(), m.reason()));
        }
        List<WarehouseEvent> events = new ArrayList<>(lines.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            WarehouseMessage.Line line = lines.get(i);
            if (!seen.add(line.sku().value() + "@" + line.locationId().value())) {
                throw new IllegalArgumentException("items must not repeat a SKU x location for " + m.type()
                        + ", was " + line.sku() + " at " + line.locationId() + " twice");
            }
            events.add(new WarehouseEvent.DamageReport(m.eventId() + ":" + (i + 1), m.timestamp(), line.sku(),
                    line.locationId(), line.quantity(), m.reason()));
        }
        return events;
    }

    private static String orderId(WarehouseMessage m) {
        return m.orderId().orElseThrow(() -> new IllegalArgumentException("orderId is required for " + m.type()));
    }

    private static WarehouseMessage.Transfer transfer(WarehouseMessage m) {
        return m.transfer().orElseThrow(() -> new IllegalArgumentException("fromLocationId and toLocationId are"
                + " required for " + m.type()));
    }

    private static String transferId(WarehouseMessage m, WarehouseMessage.Transfer t) {
        return t.transferId().orElseThrow(() -> new IllegalArgumentException("transferId is required for "
                + m.type() + ": the arrival of a transfer is matched to its shipment by it"));
    }
}
