package dev.inventory.core.processing;

import dev.inventory.core.Inventory;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.processing.Engine.Step;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Applies a shop's order events ({@link OrderEvent}) to the order's hold, whose id is the order id:
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>event</th><th>hold operation</th></tr>
 *   <tr><td>order.placed</td><td>reserve every line (all or nothing); when short and {@link Backorders}
 *       are configured and allow it, queue the order as a backorder</td></tr>
 *   <tr><td>order.payment.confirmed</td><td>confirm (a queued backorder: confirm when served)</td></tr>
 *   <tr><td>order.cancelled</td><td>release before confirmation, cancel after (a queued backorder: dequeue)</td></tr>
 *   <tr><td>order.shipped</td><td>fulfil (already fulfilled by SHIP_COMPLETE: nothing)</td></tr>
 * </table>
 *
 * <p>Idempotent by event id ({@link ProcessedEvents}); a transition the hold had already made (by
 * another event, or by a redelivery the record forgot) changes nothing and is
 * {@link ProcessingResult.Applied} with a detail saying so.
 *
 * <p>Reordering: an event about an order whose hold does not exist yet (payment, cancellation or
 * shipment before order.placed), or a shipment before the confirmation, is held in memory and
 * applied when the hold appears or changes; after the parking time it is rejected with
 * {@link ProcessingResult.Reason#PREDECESSOR_MISSING}.
 *
 * <p>Thread-safe. {@link #close()} stops listening to the inventory.
 */
public final class OrderEventProcessor implements AutoCloseable {

    private final Inventory inventory;
    private final Optional<Duration> holdDuration;
    private final Backorders backorders;
    private final Engine<OrderEvent> engine;

    private OrderEventProcessor(Builder b) {
        this.inventory = b.settings.inventory;
        this.holdDuration = Optional.ofNullable(b.holdDuration);
        this.backorders = b.settings.backorders();
        this.engine = b.settings.engine(OrderEvent::eventId, this::handle);
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
    public ProcessingResult process(OrderEvent event) {
        return engine.process(event);
    }

    /**
     * Rejects the parked events that waited too long and applies those whose hold appeared or changed
     * since; results go to the {@link Builder#onSettled} callback.
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

    /** Stops listening to the inventory; parked events are dropped. */
    @Override
    public void close() {
        engine.close();
    }

    private Step handle(OrderEvent event) {
        ReservationId id = event.reservationId();
        if (event instanceof OrderEvent.OrderPlaced e) {
            return place(e, id);
        } else if (event instanceof OrderEvent.PaymentConfirmed) {
            if (backorders != null && backorders.confirmWhenServed(id)) {
                return Step.applied("order " + id + " waits as a backorder; its hold is confirmed when served");
            }
            return HoldSteps.confirm(inventory, id);
        } else if (event instanceof OrderEvent.OrderCancelled) {
            if (backorders != null && backorders.cancel(id)) {
                return Step.applied("backorder " + id + " taken out of the queue");
            }
            return HoldSteps.cancel(inventory, id);
        } else if (event instanceof OrderEvent.OrderShipped) {
            return HoldSteps.fulfil(inventory, id, java.util.List.of(), "order.shipped " + event.eventId());
        }
        throw new IllegalArgumentException("event must be a known order event, was " + event);
    }

    private Step place(OrderEvent.OrderPlaced e, ReservationId id) {
        ReservationRequest request = new ReservationRequest(id, e.lines(), e.cartId(), e.userId(),
                Optional.of(e.orderId()), holdDuration);
        ReservationResult result;
        if (backorders != null) {
            Backorders.Outcome outcome = backorders.reserveOrQueue(request);
            if (outcome instanceof Backorders.Outcome.Queued q) {
                return Step.applied("order " + id + " is short of stock and waits as backorder #"
                        + q.backorder().sequence());
            }
            if (outcome instanceof Backorders.Outcome.Refused r && r.result() instanceof ReservationResult.InsufficientStock s) {
                return Step.rejected(ProcessingResult.Reason.INSUFFICIENT_STOCK, shortage(s) + "; " + r.reason());
            }
            result = outcome instanceof Backorders.Outcome.Reserved r ? r.result()
                    : ((Backorders.Outcome.Refused) outcome).result();
        } else {
            result = inventory.reservations().reserve(request);
        }
        if (result instanceof ReservationResult.Success) {
            return Step.applied("order " + id + " reserved: " + HoldSteps.describe(e.lines()));
        }
        if (result instanceof ReservationResult.Replayed r) {
            return Step.applied("order " + id + " was already reserved (hold " + r.value().status()
                    + "); nothing changed");
        }
        if (result instanceof ReservationResult.InsufficientStock s) {
            return Step.rejected(ProcessingResult.Reason.INSUFFICIENT_STOCK, shortage(s));
        }
        if (result instanceof ReservationResult.IdConflict c) {
            return Step.rejected(ProcessingResult.Reason.ID_CONFLICT, "order id " + id
                    + " is used by a hold with other lines: " + HoldSteps.describe(c.existing().lines()));
        }
        return Step.rejected(ProcessingResult.Reason.ILLEGAL_STATE, "order " + id + " could not be reserved: " + result);
    }

    private static String shortage(ReservationResult.InsufficientStock s) {
        return "order " + s.id() + " asks " + s.line().quantity() + " x " + s.line().sku() + " at "
                + s.line().locationId() + " but only " + s.available() + " are available; nothing was reserved";
    }

    /** Builds an {@link OrderEventProcessor}; each setter validates its argument and names it. */
    public static final class Builder {
        private final ProcessorSettings<OrderEvent> settings;
        private Duration holdDuration;

        private Builder(Inventory inventory) {
            this.settings = new ProcessorSettings<>(inventory);
        }

        /** Where processed event ids are recorded (default: {@link ProcessedEvents#inMemory()}). */
        public Builder processedEvents(ProcessedEvents processed) {
            settings.processedEvents(processed);
            return this;
        }

        /** How long an order's hold lasts before payment confirms it (default: the inventory's hold duration). */
        public Builder holdDuration(Duration holdDuration) {
            Fields.notNull("holdDuration", holdDuration);
            if (holdDuration.isNegative() || holdDuration.isZero()
                    || holdDuration.compareTo(ReservationRequest.MAX_HOLD) > 0) {
                throw new IllegalArgumentException("holdDuration must be positive and at most "
                        + ReservationRequest.MAX_HOLD + ", was " + holdDuration);
            }
            this.holdDuration = holdDuration;
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

        /** Receives the final result of each event that was answered {@link ProcessingResult.Deferred}. */
        public Builder onSettled(BiConsumer<OrderEvent, ProcessingResult> onSettled) {
            settings.onSettled(onSettled);
            return this;
        }

        /** Queues short orders as backorders (when their SKUs allow it) and serves the queue after each event. */
        public Builder backorders(Backorders backorders) {
            settings.backorders(backorders);
            return this;
        }

        /** Builds the processor and starts listening to the inventory. */
        public OrderEventProcessor build() {
            return new OrderEventProcessor(this);
        }
    }
}
