package dev.inventory.core.processing;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ProductAvailability;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.event.InventoryListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backorders and pre-orders (DESIGN section 7): a request that does not fit the available stock is
 * queued when every short line's SKU allows it ({@link BackorderPolicy}), and queued requests are
 * reserved in arrival order when stock comes in.
 *
 * <pre>{@code
 * Backorders backorders = Backorders.builder(inventory)
 *         .policy(Sku.of("CONSOLE"), BackorderPolicy.backorders(500))
 *         .listener((backorder, hold) -> mailer.tellInStock(hold))
 *         .build();
 * switch (backorders.reserveOrQueue(request)) { ... }   // Reserved, Queued or Refused
 * }</pre>
 *
 * <p>Serving: the component listens to the inventory and notes the levels where stock may have come
 * in (restocked, transfer received, back in stock, released, expired, cancelled, adjusted) and that
 * have waiting requests. {@link #servePending()} then reserves, per level, the waiting requests in
 * arrival order, each all-or-nothing with {@link Builder#servedHoldDuration} as its hold. In strict
 * order (the default) a request that does not fit yet stops its level: a later, smaller one never
 * jumps it. The event processors call {@link #servePending()} after every event; a host that
 * receives stock by direct calls calls it too, or sets {@link Builder#serveOn(Executor)}.
 *
 * <p>Waiting requests hold no stock: a regular checkout may take units that arrive before the queue
 * is served. The lock is per process (and the in-memory queue too): run one serving instance per queue.
 */
public final class Backorders implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Backorders.class);
    private static final Set<EventType> MAY_FREE_STOCK = EnumSet.of(EventType.RESTOCKED, EventType.TRANSFER_RECEIVED,
            EventType.BACK_IN_STOCK, EventType.RELEASED, EventType.EXPIRED, EventType.CANCELLED, EventType.ADJUSTED);

    /** What {@link #reserveOrQueue} did. */
    public sealed interface Outcome {

        /**
         * The request fitted and is held now (or was held before: {@link ReservationResult.Replayed}).
         *
         * @param result the reservation result
         */
        record Reserved(ReservationResult result) implements Outcome {
        }

        /**
         * The request did not fit and waits in the queue (or already waited there).
         *
         * @param backorder the queued request
         */
        record Queued(Backorder backorder) implements Outcome {
        }

        /**
         * The request neither fits nor may wait; nothing changed.
         *
         * @param result why it does not fit (insufficient stock, id conflict)
         * @param reason why it may not wait, for a person
         */
        record Refused(ReservationResult result, String reason) implements Outcome {
        }
    }

    private record Level(Sku sku, LocationId locationId) {
    }

    private final Inventory inventory;
    private final BackorderQueue queue;
    private final Map<Sku, BackorderPolicy> policies;
    private final BackorderPolicy defaultPolicy;
    private final List<BackorderListener> listeners;
    private final Duration servedHold;
    private final boolean strictOrder;
    private final Executor executor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Level> pending = ConcurrentHashMap.newKeySet();
    private final InventoryListener inventoryListener = this::onInventoryEvent;

    private Backorders(Builder b) {
        this.inventory = b.inventory;
        this.queue = b.queue != null ? b.queue : BackorderQueue.inMemory();
        this.policies = Map.copyOf(b.policies);
        this.defaultPolicy = b.defaultPolicy;
        this.listeners = List.copyOf(b.listeners);
        this.servedHold = b.servedHold;
        this.strictOrder = b.strictOrder;
        this.executor = b.executor;
        inventory.addListener(inventoryListener);
    }

    /** A builder over {@code inventory}. */
    public static Builder builder(Inventory inventory) {
        return new Builder(inventory);
    }

    /** The policy of {@code sku}. */
    public BackorderPolicy policy(Sku sku) {
        return policies.getOrDefault(Fields.notNull("sku", sku), defaultPolicy);
    }

    /**
     * Reserves {@code request} now; or, when a line does not fit and every line that does not fit may
     * wait under its SKU's policy, queues it. Idempotent by the request's id: a request already queued
     * answers {@link Outcome.Queued}, one already held {@link Outcome.Reserved} with
     * {@link ReservationResult.Replayed}.
     */
    public Outcome reserveOrQueue(ReservationRequest request) {
        Fields.notNull("request", request);
        Outcome outcome;
        lock.lock();
        try {
            Optional<Backorder> queued = queue.find(request.id());
            if (queued.isPresent()) {
                return new Outcome.Queued(queued.get());
            }
            ReservationResult result = inventory.reservations().reserve(request);
            if (result.isSuccess()) {
                return new Outcome.Reserved(result);
            }
            if (!(result instanceof ReservationResult.InsufficientStock)) {
                return new Outcome.Refused(result, "the request cannot be held: " + result);
            }
            String refusal = refusal(request);
            if (refusal != null) {
                return new Outcome.Refused(result, refusal);
            }
            Backorder backorder = queue.add(request, inventory.clock().instant()).orElseThrow();
            outcome = new Outcome.Queued(backorder);
            // stock that came in between the reserve and the queueing woke nobody: look once
            for (ReservationLine line : request.lines()) {
                pending.add(new Level(line.sku(), line.locationId()));
            }
        } finally {
            lock.unlock();
        }
        servePending();
        if (queue.find(request.id()).isEmpty()) {
            Optional<Reservation> hold = inventory.reservations().find(request.id());
            if (hold.isPresent()) {
                return new Outcome.Reserved(new ReservationResult.Success(hold.get()));
            }
        }
        return outcome;
    }

    /** Why {@code request} may not wait, or null when it may. */
    private String refusal(ReservationRequest request) {
        Map<Sku, Long> asked = new HashMap<>();
        for (ReservationLine line : request.lines()) {
            StockLevel level = inventory.level(line.sku(), line.locationId()).orElse(null);
            long available = level == null ? 0 : level.available();
            if (line.quantity() <= available) {
                continue;
            }
            BackorderPolicy policy = policy(line.sku());
            String what = line.quantity() + " x " + line.sku() + " at " + line.locationId() + " (available "
                    + available + ")";
            if (policy.mode() == BackorderPolicy.Mode.NONE) {
                return what + ": " + line.sku() + " takes no backorders";
            }
            long total = asked.merge(line.sku(), line.quantity(), Long::sum);
            long queued = queue.queuedQuantity(line.sku());
            if (queued + total > policy.maxQuantity()) {
                return what + ": the backorders of " + line.sku() + " are full (" + queued + " units queued, at most "
                        + policy.maxQuantity() + ")";
            }
            if (policy.mode() == BackorderPolicy.Mode.PREORDER) {
                long incoming = level == null ? 0 : level.inTransitIn();
                long queuedHere = queue.queuedQuantity(line.sku(), line.locationId());
                if (queuedHere + line.quantity() > available + incoming) {
                    return what + ": " + line.sku() + " takes pre-orders only, and " + incoming
                            + " units in transit to " + line.locationId() + " cannot cover them (" + queuedHere
                            + " pre-ordered already)";
                }
            }
        }
        return null;
    }

    /** The queued backorder with this id. */
    public Optional<Backorder> find(ReservationId id) {
        return queue.find(Fields.notNull("id", id));
    }

    /** The backorders waiting at {@code sku} x {@code locationId}, earliest first. */
    public List<Backorder> waiting(Sku sku, LocationId locationId) {
        return queue.waiting(Fields.notNull("sku", sku), Fields.notNull("locationId", locationId));
    }

    /**
     * Takes a waiting backorder out of the queue (the order was cancelled).
     *
     * @return false when none with this id waits
     */
    public boolean cancel(ReservationId id) {
        Fields.notNull("id", id);
        lock.lock();
        try {
            return queue.remove(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks a waiting backorder to be confirmed as soon as it is reserved (the order was paid).
     *
     * @return false when none with this id waits
     */
    public boolean confirmWhenServed(ReservationId id) {
        Fields.notNull("id", id);
        lock.lock();
        try {
            return queue.markConfirmWhenServed(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Serves the levels where stock may have come in since the last call.
     *
     * @return how many backorders were reserved
     */
    public int servePending() {
        List<Runnable> notices = new ArrayList<>();
        int served = 0;
        lock.lock();
        try {
            while (!pending.isEmpty()) {
                for (Level level : List.copyOf(pending)) {
                    pending.remove(level);
                    served += serveLevel(level, notices);
                }
            }
        } finally {
            lock.unlock();
        }
        notices.forEach(Runnable::run);
        return served;
    }

    /**
     * Serves the backorders waiting at {@code sku} x {@code locationId} now.
     *
     * @return how many were reserved
     */
    public int serve(Sku sku, LocationId locationId) {
        Level level = new Level(Fields.notNull("sku", sku), Fields.notNull("locationId", locationId));
        List<Runnable> notices = new ArrayList<>();
        int served;
        lock.lock();
        try {
            served = serveLevel(level, notices);
        } finally {
            lock.unlock();
        }
        notices.forEach(Runnable::run);
        return served;
    }

    private int serveLevel(Level level, List<Runnable> notices) {
        int served = 0;
        for (Backorder backorder : queue.waiting(level.sku(), level.locationId())) {
            ReservationRequest r = backorder.request();
            ReservationRequest request = new ReservationRequest(r.id(), r.lines(), r.cartId(), r.userId(), r.orderId(),
                    Optional.of(servedHold));
            ReservationResult result = inventory.reservations().reserve(request);
            if (result.isSuccess()) {
                queue.remove(backorder.id());
                if (backorder.confirmWhenServed()) {
                    result = inventory.reservations().confirm(backorder.id());
                }
                Reservation hold = result.reservation().orElseThrow();
                notices.add(() -> notifyServed(backorder, hold));
                served++;
                // other levels of a multi-line request took stock: nothing new for them
            } else if (result instanceof ReservationResult.InsufficientStock) {
                if (strictOrder) {
                    break;
                }
            } else {
                queue.remove(backorder.id());
                String reason = "its id is used by another hold: " + result;
                notices.add(() -> notifyDropped(backorder, reason));
            }
        }
        return served;
    }

    /**
     * What a product page may offer for {@code sku}: its availability, and whether a short order
     * would be accepted as a backorder or pre-order now.
     */
    public Orderability orderability(Sku sku) {
        ProductAvailability availability = inventory.availability(Fields.notNull("sku", sku));
        BackorderPolicy policy = policy(sku);
        long queued = queue.queuedQuantity(sku);
        long capacity = policy.mode() == BackorderPolicy.Mode.NONE ? 0 : Math.max(0, policy.maxQuantity() - queued);
        boolean backorders = policy.mode() == BackorderPolicy.Mode.BACKORDER && capacity > 0;
        boolean preorders = capacity > 0 && (backorders || availability.incoming() > queued);
        return new Orderability(availability, backorders, preorders, queued, capacity);
    }

    private void onInventoryEvent(InventoryEvent event) {
        if (!MAY_FREE_STOCK.contains(event.type()) || queue.queuedQuantity(event.sku(), event.locationId()) == 0) {
            return;
        }
        pending.add(new Level(event.sku(), event.locationId()));
        if (executor != null) {
            executor.execute(this::servePendingLogged);
        }
    }

    private void servePendingLogged() {
        try {
            servePending();
        } catch (RuntimeException e) {
            log.warn("serving backorders failed; they are served on the next change", e);
        }
    }

    private void notifyServed(Backorder backorder, Reservation hold) {
        for (BackorderListener listener : listeners) {
            try {
                listener.onServed(backorder, hold);
            } catch (RuntimeException e) {
                log.warn("backorder listener {} failed on {}", listener, backorder.id(), e);
            }
        }
    }

    private void notifyDropped(Backorder backorder, String reason) {
        for (BackorderListener listener : listeners) {
            try {
                listener.onDropped(backorder, reason);
            } catch (RuntimeException e) {
                log.warn("backorder listener {} failed on {}", listener, backorder.id(), e);
            }
        }
    }

    /** Stops listening to the inventory (the queue stays as it is). */
    @Override
    public void close() {
        inventory.removeListener(inventoryListener);
    }

    /** Builds {@link Backorders}; each setter validates its argument and names it. */
    public static final class Builder {
        private final Inventory inventory;
        private BackorderQueue queue;
        private final Map<Sku, BackorderPolicy> policies = new HashMap<>();
        private BackorderPolicy defaultPolicy = BackorderPolicy.NOT_ALLOWED;
        private final List<BackorderListener> listeners = new ArrayList<>();
        private Duration servedHold = Duration.ofDays(1);
        private boolean strictOrder = true;
        private Executor executor;

        private Builder(Inventory inventory) {
            this.inventory = Fields.notNull("inventory", inventory);
        }

        /** The queue (default: {@link BackorderQueue#inMemory()}). */
        public Builder queue(BackorderQueue queue) {
            this.queue = Fields.notNull("queue", queue);
            return this;
        }

        /** The policy of one SKU. */
        public Builder policy(Sku sku, BackorderPolicy policy) {
            policies.put(Fields.notNull("sku", sku), Fields.notNull("policy", policy));
            return this;
        }

        /** The policy of every other SKU (default {@link BackorderPolicy#NOT_ALLOWED}). */
        public Builder defaultPolicy(BackorderPolicy policy) {
            this.defaultPolicy = Fields.notNull("defaultPolicy", policy);
            return this;
        }

        /** Adds a listener told when a backorder is served or dropped. */
        public Builder listener(BackorderListener listener) {
            listeners.add(Fields.notNull("listener", listener));
            return this;
        }

        /** How long the hold of a served backorder lasts before it must be confirmed (default 1 day). */
        public Builder servedHoldDuration(Duration duration) {
            Fields.notNull("servedHoldDuration", duration);
            if (duration.isNegative() || duration.isZero() || duration.compareTo(ReservationRequest.MAX_HOLD) > 0) {
                throw new IllegalArgumentException("servedHoldDuration must be positive and at most "
                        + ReservationRequest.MAX_HOLD + ", was " + duration);
            }
            this.servedHold = duration;
            return this;
        }

        /**
         * Whether a waiting request that does not fit yet blocks the later ones at its level (default
         * true: strict arrival order). False lets a later request that fits go first.
         */
        public Builder strictOrder(boolean strictOrder) {
            this.strictOrder = strictOrder;
            return this;
        }

        /**
         * Serves automatically: when stock may have come in at a level with waiting requests,
         * {@link #servePending()} is submitted to {@code executor}, which must run it on another thread
         * (the inventory's listeners run inside the change that woke them).
         */
        public Builder serveOn(Executor executor) {
            this.executor = Fields.notNull("executor", executor);
            return this;
        }

        /** Builds the component and starts listening to the inventory. */
        public Backorders build() {
            return new Backorders(this);
        }
    }
}
