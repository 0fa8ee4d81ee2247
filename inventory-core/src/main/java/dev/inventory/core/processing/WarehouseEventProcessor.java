package dev.inventory.core.processing;

import dev.inventory.core.Inventory;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.processing.Engine.Step;
import dev.inventory.core.spi.EventIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Applies warehouse events ({@link WarehouseEvent}, the eight seed types) to an {@link Inventory}:
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>event</th><th>store operation</th></tr>
 *   <tr><td>RECEIVING_COMPLETE</td><td>one {@link StockCommand.Receive} per item</td></tr>
 *   <tr><td>PICK_COMPLETE</td><td>fulfil the hold when fulfilling on PICK, else recorded only</td></tr>
 *   <tr><td>PACK_COMPLETE</td><td>recorded only</td></tr>
 *   <tr><td>SHIP_COMPLETE</td><td>fulfil the hold (already fulfilled: nothing)</td></tr>
 *   <tr><td>CYCLE_COUNT_ADJUSTMENT</td><td>{@link StockCommand.CycleCount} as of {@code occurredAt}, then a
 *       variance alert when beyond the thresholds</td></tr>
 *   <tr><td>DAMAGE_REPORT</td><td>{@link StockCommand.MarkDamaged}</td></tr>
 *   <tr><td>TRANSFER_SHIPPED</td><td>one {@link StockCommand.TransferOut} per item</td></tr>
 *   <tr><td>TRANSFER_RECEIVED</td><td>one {@link StockCommand.TransferIn} per item</td></tr>
 * </table>
 *
 * <p>Idempotent by event id: stock commands carry the event id (item {@code i} of a multi-item
 * event carries {@code eventId:i}), so every store refuses a repeat; every processed event id is
 * also recorded in {@link ProcessedEvents}, so a redelivery is answered
 * {@link ProcessingResult.Duplicate}.
 *
 * <p>Reordering: an event whose predecessor has not been applied yet is held (parked, in memory)
 * and applied as soon as it is: a SHIP_COMPLETE (or fulfilling PICK_COMPLETE) before its hold exists
 * or is confirmed, a TRANSFER_RECEIVED before its TRANSFER_SHIPPED. It is answered
 * {@link ProcessingResult.Deferred}; its final result goes to the {@link Builder#onSettled} callback.
 * After the parking time it is rejected with {@link ProcessingResult.Reason#PREDECESSOR_MISSING}.
 * Everything else that cannot apply is rejected at once, nothing applied (receiving blocked,
 * too little stock, an expired or released hold).
 *
 * <p>Thread-safe. {@link #close()} stops listening to the inventory (it does not close it).
 */
public final class WarehouseEventProcessor implements AutoCloseable {

    /** Which warehouse event takes the units of an order out of stock. */
    public enum FulfilOn {
        /** PICK_COMPLETE fulfils the hold (a later SHIP_COMPLETE changes nothing). */
        PICK,
        /** SHIP_COMPLETE fulfils the hold; PICK_COMPLETE is only recorded, so an order can still be cancelled. */
        SHIP
    }

    private final Inventory inventory;
    private final FulfilOn fulfilOn;
    private final VarianceThresholds thresholds;
    private final Engine<WarehouseEvent> engine;

    private WarehouseEventProcessor(Builder b) {
        this.inventory = b.settings.inventory;
        this.fulfilOn = b.fulfilOn;
        this.thresholds = b.thresholds;
        this.engine = b.settings.engine(WarehouseEvent::eventId, this::handle);
    }

    /** A builder over {@code inventory}. */
    public static Builder builder(Inventory inventory) {
        return new Builder(inventory);
    }

    /**
     * Processes one event.
     *
     * @return what it did; only an infrastructure failure throws (then nothing was decided and the
     *     event may be retried)
     */
    public ProcessingResult process(WarehouseEvent event) {
        return engine.process(event);
    }

    /**
     * Rejects the parked events that waited too long and applies those whose predecessor was applied
     * since (also when that happened outside this processor: the order processor, a direct call),
     * serving waiting backorders too; their results go to the {@link Builder#onSettled} callback. Every
     * {@link #process} does this as well; a consumer calls it when its topic is idle (each poll).
     *
     * @return how many parked events were settled
     */
    public int retryParked() {
        return engine.retryParked();
    }

    /** How many events are parked waiting for a predecessor. */
    public int parkedCount() {
        return engine.parkedCount();
    }

    /** Stops listening to the inventory; parked events are dropped (a consumer that held their offsets gets them again). */
    @Override
    public void close() {
        engine.close();
    }

    // ------------------------------------------------------------------ mapping

    private Step handle(WarehouseEvent event) {
        if (event instanceof WarehouseEvent.ReceivingComplete e) {
            return receive(e);
        } else if (event instanceof WarehouseEvent.PickComplete e) {
            if (fulfilOn == FulfilOn.PICK) {
                return HoldSteps.fulfil(inventory, e.hold(), e.items(), "PICK_COMPLETE " + e.eventId());
            }
            return Step.applied("PICK_COMPLETE recorded for hold " + e.hold() + "; its stock leaves at SHIP_COMPLETE");
        } else if (event instanceof WarehouseEvent.PackComplete e) {
            return Step.applied("PACK_COMPLETE recorded for hold " + e.hold() + "; it changes no stock");
        } else if (event instanceof WarehouseEvent.ShipComplete e) {
            return HoldSteps.fulfil(inventory, e.hold(), e.items(), "SHIP_COMPLETE " + e.eventId());
        } else if (event instanceof WarehouseEvent.CycleCountAdjustment e) {
            return count(e);
        } else if (event instanceof WarehouseEvent.DamageReport e) {
            StockResult r = inventory.stock().apply(new StockCommand.MarkDamaged(e.sku(), e.locationId(), e.quantity(),
                    new Origin(Optional.of(e.eventId()), e.reason())));
            return single(r, e.quantity() + " x " + e.sku() + " at " + e.locationId() + " marked damaged");
        } else if (event instanceof WarehouseEvent.TransferShipped e) {
            return transferOut(e);
        } else if (event instanceof WarehouseEvent.TransferReceived e) {
            return transferIn(e);
        }
        throw new IllegalArgumentException("event must be a known warehouse event, was " + event);
    }

    private Step receive(WarehouseEvent.ReceivingComplete e) {
        for (WarehouseEvent.Item item : e.items()) {
            if (inventory.level(item.sku(), e.locationId()).map(StockLevel::receivingBlocked).orElse(false)) {
                return Step.rejected(ProcessingResult.Reason.RECEIVING_BLOCKED, "receiving is blocked for "
                        + item.sku() + " at " + e.locationId() + "; nothing of RECEIVING_COMPLETE " + e.eventId()
                        + " was applied");
            }
        }
        List<StockCommand> commands = new ArrayList<>();
        for (int i = 0; i < e.items().size(); i++) {
            WarehouseEvent.Item item = e.items().get(i);
            commands.add(new StockCommand.Receive(item.sku(), e.locationId(), item.quantity(),
                    itemOrigin(e.eventId(), i, e.purchaseOrderId())));
        }
        return applyAll(commands, "received " + describe(e.items()) + " at " + e.locationId(), null);
    }

    private Step count(WarehouseEvent.CycleCountAdjustment e) {
        Origin origin = new Origin(Optional.of(e.eventId()), e.auditId().or(e::reason));
        StockResult r = inventory.stock().apply(new StockCommand.CycleCount(e.sku(), e.locationId(), e.actualCount(),
                e.occurredAt(), origin));
        if (!(r instanceof StockResult.Applied applied)) {
            return single(r, "");
        }
        long variance = applied.onHandDelta();
        long previous = e.actualCount() - variance;
        String detail = "count of " + e.actualCount() + " x " + e.sku() + " at " + e.locationId() + " as of "
                + e.occurredAt() + ": the books said " + previous + ", variance " + variance;
        if (thresholds.exceededBy(previous, variance)) {
            StockLevel level = applied.level();
            inventory.publishDerived(new InventoryEvent.CycleCountVariance(EventIds.next(), level, level.updatedAt(),
                    previous, e.actualCount(), variance, Optional.of(e.auditId().orElse(e.eventId()))));
            detail += "; variance alert raised";
        }
        return Step.applied(detail);
    }

    private Step transferOut(WarehouseEvent.TransferShipped e) {
        for (WarehouseEvent.Item item : e.items()) {
            long unpromised = inventory.level(item.sku(), e.fromLocationId()).map(StockLevel::unpromised).orElse(0L);
            if (unpromised < item.quantity()) {
                return Step.rejected(ProcessingResult.Reason.INSUFFICIENT_STOCK, "only " + Math.max(0, unpromised)
                        + " unpromised units of " + item.sku() + " at " + e.fromLocationId() + ", transfer "
                        + e.transferId() + " ships " + item.quantity() + "; nothing was applied");
            }
        }
        List<StockCommand> commands = new ArrayList<>();
        for (int i = 0; i < e.items().size(); i++) {
            WarehouseEvent.Item item = e.items().get(i);
            commands.add(new StockCommand.TransferOut(item.sku(), e.fromLocationId(), e.toLocationId(),
                    item.quantity(), itemOrigin(e.eventId(), i, Optional.of(e.transferId()))));
        }
        return applyAll(commands, "transfer " + e.transferId() + " shipped " + describe(e.items()) + " from "
                + e.fromLocationId() + " to " + e.toLocationId(), null);
    }

    private Step transferIn(WarehouseEvent.TransferReceived e) {
        for (WarehouseEvent.Item item : e.items()) {
            if (inventory.level(item.sku(), e.toLocationId()).map(StockLevel::receivingBlocked).orElse(false)) {
                return Step.rejected(ProcessingResult.Reason.RECEIVING_BLOCKED, "receiving is blocked for "
                        + item.sku() + " at " + e.toLocationId() + "; nothing of transfer " + e.transferId()
                        + " was received");
            }
        }
        List<StockCommand> commands = new ArrayList<>();
        for (int i = 0; i < e.items().size(); i++) {
            WarehouseEvent.Item item = e.items().get(i);
            commands.add(new StockCommand.TransferIn(item.sku(), e.fromLocationId(), e.toLocationId(),
                    item.quantity(), itemOrigin(e.eventId(), i, Optional.of(e.transferId()))));
        }
        Function<StockResult.Rejected, Step> firstRefusal = rejected -> {
            if (rejected.reason() != StockResult.Reason.NOTHING_IN_TRANSIT) {
                return null;
            }
            WarehouseEvent.Item first = e.items().get(0);
            if (wasShipped(first.sku(), e.fromLocationId(), e.transferId())) {
                return null;
            }
            return Step.deferred(Engine.transferKey(e.transferId()), "TRANSFER_SHIPPED of transfer "
                    + e.transferId());
        };
        return applyAll(commands, "transfer " + e.transferId() + " received " + describe(e.items()) + " at "
                + e.toLocationId() + " from " + e.fromLocationId(), firstRefusal);
    }

    /** Whether the source's ledger shows the shipment of {@code transferId} (read only when something is amiss). */
    private boolean wasShipped(Sku sku, LocationId from, String transferId) {
        for (LedgerEntry entry : inventory.ledger(sku, from)) {
            if (entry.kind() == LedgerEntry.Kind.TRANSFER_OUT && entry.reference().filter(transferId::equals)
                    .isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies the commands in order. A refusal of the first one (nothing applied now or before) goes
     * to {@code firstRefusal} when given (null from it: the usual rejection); a later refusal says
     * which items were applied already.
     */
    private Step applyAll(List<StockCommand> commands, String detail, Function<StockResult.Rejected, Step> firstRefusal) {
        int applied = 0;
        int duplicates = 0;
        for (int i = 0; i < commands.size(); i++) {
            StockResult r = inventory.stock().apply(commands.get(i));
            if (r instanceof StockResult.Applied) {
                applied++;
            } else if (r instanceof StockResult.Duplicate) {
                duplicates++;
            } else {
                StockResult.Rejected rejected = (StockResult.Rejected) r;
                if (i == 0 && firstRefusal != null) {
                    Step step = firstRefusal.apply(rejected);
                    if (step != null) {
                        return step;
                    }
                }
                String message = rejected.message();
                if (i > 0) {
                    message += "; items 1-" + i + " of " + commands.size()
                            + " were applied (a redelivery skips them and applies the rest)";
                } else {
                    message += "; nothing was applied";
                }
                return Step.rejected(reasonOf(rejected.reason()), message);
            }
        }
        return applied == 0 && duplicates > 0 ? Step.duplicate() : Step.applied(detail);
    }

    private static Step single(StockResult r, String detail) {
        if (r instanceof StockResult.Applied) {
            return Step.applied(detail);
        }
        if (r instanceof StockResult.Duplicate) {
            return Step.duplicate();
        }
        StockResult.Rejected rejected = (StockResult.Rejected) r;
        return Step.rejected(reasonOf(rejected.reason()), rejected.message());
    }

    private static ProcessingResult.Reason reasonOf(StockResult.Reason reason) {
        return ProcessingResult.Reason.valueOf(reason.name());
    }

    private static Origin itemOrigin(String eventId, int index, Optional<String> reference) {
        return new Origin(Optional.of(eventId + ":" + (index + 1)), reference);
    }

    private static String describe(List<WarehouseEvent.Item> items) {
        StringBuilder b = new StringBuilder();
        for (WarehouseEvent.Item item : items) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(item.quantity()).append(" x ").append(item.sku());
        }
        return b.toString();
    }

    /** Builds a {@link WarehouseEventProcessor}; each setter validates its argument and names it. */
    public static final class Builder {
        private final ProcessorSettings<WarehouseEvent> settings;
        private FulfilOn fulfilOn = FulfilOn.SHIP;
        private VarianceThresholds thresholds = VarianceThresholds.DEFAULT;

        private Builder(Inventory inventory) {
            this.settings = new ProcessorSettings<>(inventory);
        }

        /** Where processed event ids are recorded (default: {@link ProcessedEvents#inMemory()}). */
        public Builder processedEvents(ProcessedEvents processed) {
            settings.processedEvents(processed);
            return this;
        }

        /** Which event fulfils an order's hold (default {@link FulfilOn#SHIP}). */
        public Builder fulfilOn(FulfilOn fulfilOn) {
            this.fulfilOn = Fields.notNull("fulfilOn", fulfilOn);
            return this;
        }

        /** When a cycle count raises a variance alert (default {@link VarianceThresholds#DEFAULT}). */
        public Builder varianceThresholds(VarianceThresholds thresholds) {
            this.thresholds = Fields.notNull("varianceThresholds", thresholds);
            return this;
        }

        /**
         * At most {@code capacity} events wait for a predecessor, each at most {@code maxAge}
         * (default 10,000 events, 1 hour).
         */
        public Builder parking(int capacity, Duration maxAge) {
            settings.parking(capacity, maxAge);
            return this;
        }

        /**
         * Receives the final result of each event that was answered {@link ProcessingResult.Deferred}
         * (applied when its predecessor arrived, or rejected), on the thread that settled it.
         */
        public Builder onSettled(BiConsumer<WarehouseEvent, ProcessingResult> onSettled) {
            settings.onSettled(onSettled);
            return this;
        }

        /** Serves waiting backorders after each event (receipts, transfers in and cancellations free stock). */
        public Builder backorders(Backorders backorders) {
            settings.backorders(backorders);
            return this;
        }

        /** Builds the processor and starts listening to the inventory. */
        public WarehouseEventProcessor build() {
            return new WarehouseEventProcessor(this);
        }
    }
}
