package dev.inventory.core;

import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.event.InventoryListener;
import dev.inventory.core.spi.AvailabilityCache;
import dev.inventory.core.spi.InventoryStore;
import dev.inventory.core.spi.StoreResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one implementation of {@link Inventory}. */
final class DefaultInventory implements Inventory, Reservations, StockOperations {
    private static final Logger log = LoggerFactory.getLogger(DefaultInventory.class);

    private final InventoryStore store;
    private final Clock clock;
    private final Duration holdDuration;
    private final Duration paymentExtension;
    private final long lowStockThreshold;
    private final Map<LocationId, String> regions;
    private final AvailabilityCache cache;
    private final CopyOnWriteArrayList<InventoryListener> listeners;
    private final DefaultSweeper sweeper;

    DefaultInventory(Inventory.Builder b, InventoryStore store) {
        this.store = store;
        this.clock = b.clock;
        this.holdDuration = b.holdDuration;
        this.paymentExtension = b.paymentExtension;
        this.lowStockThreshold = b.lowStockThreshold;
        this.regions = Map.copyOf(b.regions);
        this.cache = b.availabilityCache;
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
        this.sweeper = new DefaultSweeper(this, b.sweepInterval, b.sweepBatchSize);
    }

    // ------------------------------------------------------------ Inventory

    @Override
    public Reservations reservations() {
        return this;
    }

    @Override
    public StockOperations stock() {
        return this;
    }

    @Override
    public ProductAvailability availability(Sku sku) {
        Checks.notNull("sku", sku);
        if (cache != null) {
            Optional<ProductAvailability> cached = cache.get(sku);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        ProductAvailability fresh = computeAvailability(sku, store.levels(sku));
        if (cache != null) {
            cache.put(fresh);
        }
        return fresh;
    }

    ProductAvailability computeAvailability(Sku sku, List<StockLevel> levels) {
        if (levels.size() == 1) { // the common product page: no list to grow
            StockLevel level = levels.get(0);
            return ProductAvailability.ofOneLocation(sku, level.locationId(), level.available(), level.inTransitIn(),
                    regions, lowStockThreshold);
        }
        List<ProductAvailability.Location> locations = new java.util.ArrayList<>(levels.size());
        for (StockLevel level : levels) {
            locations.add(new ProductAvailability.Location(level.locationId(), level.available(), level.inTransitIn()));
        }
        return ProductAvailability.summarize(sku, locations, regions, lowStockThreshold);
    }

    @Override
    public Optional<StockLevel> level(Sku sku, LocationId locationId) {
        return store.level(Checks.notNull("sku", sku), Checks.notNull("locationId", locationId));
    }

    @Override
    public List<StockLevel> levels(Sku sku) {
        return store.levels(Checks.notNull("sku", sku));
    }

    @Override
    public List<LedgerEntry> ledger(Sku sku, LocationId locationId) {
        return store.ledger(Checks.notNull("sku", sku), Checks.notNull("locationId", locationId));
    }

    @Override
    public void publishDerived(InventoryEvent event) {
        Checks.notNull("event", event);
        if (!(event instanceof InventoryEvent.CycleCountVariance)) {
            throw new IllegalArgumentException("event must be a derived event (inventory.cycle_count.variance), was "
                    + event.type().wireName());
        }
        publish(store.recordDerived(event, clock.instant()));
    }

    @Override
    public ExpirySweeper sweeper() {
        return sweeper;
    }

    @Override
    public void addListener(InventoryListener listener) {
        listeners.add(Checks.notNull("listener", listener));
    }

    @Override
    public void removeListener(InventoryListener listener) {
        listeners.remove(listener);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public InventoryStore store() {
        return store;
    }

    @Override
    public void publish(List<InventoryEvent> events) {
        publish(new StoreResult<>(Boolean.TRUE, Checks.notNull("events", events)));
    }

    @Override
    public void close() {
        sweeper.stop();
        store.close();
    }

    // ------------------------------------------------------------ Reservations

    @Override
    public ReservationResult reserve(ReservationRequest request) {
        Checks.notNull("request", request);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(request.holdDuration().orElse(holdDuration));
        Reservation reservation = new Reservation(request.id(), request.lines(), request.cartId(), request.userId(),
                request.orderId(), ReservationStatus.ACTIVE, now, expiresAt, now);
        return publish(store.reserve(reservation, now));
    }

    @Override
    public ReservationResult startPayment(ReservationId id) {
        return move(id, Transition.START_PAYMENT);
    }

    @Override
    public ReservationResult confirm(ReservationId id) {
        return move(id, Transition.CONFIRM);
    }

    @Override
    public ReservationResult fulfil(ReservationId id) {
        return move(id, Transition.FULFIL);
    }

    @Override
    public ReservationResult cancel(ReservationId id) {
        return move(id, Transition.CANCEL);
    }

    @Override
    public ReservationResult release(ReservationId id) {
        return move(id, Transition.RELEASE);
    }

    @Override
    public Optional<Reservation> find(ReservationId id) {
        return store.reservation(Checks.notNull("id", id));
    }

    private ReservationResult move(ReservationId id, Transition transition) {
        Checks.notNull("id", id);
        return publish(store.transition(id, transition, clock.instant(), paymentExtension));
    }

    // ------------------------------------------------------------ StockOperations

    @Override
    public StockResult apply(StockCommand command) {
        Checks.notNull("command", command);
        return publish(store.apply(command, clock.instant()));
    }

    // ------------------------------------------------------------ events

    int expireDue(int batchSize) {
        return publish(store.expireDue(clock.instant(), batchSize)).size();
    }

    <T> T publish(StoreResult<T> result) {
        if (cache == null && listeners.isEmpty()) {
            // nobody to tell: the events are not even looked at (a store may build them lazily,
            // see DeferredEvents)
            return result.value();
        }
        List<InventoryEvent> events = result.events();
        if (events.isEmpty()) {
            return result.value();
        }
        if (cache != null) {
            Set<Sku> skus = new HashSet<>();
            for (InventoryEvent event : events) {
                if (skus.add(event.sku())) {
                    cache.invalidate(event.sku());
                }
            }
        }
        for (InventoryEvent event : events) {
            for (InventoryListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    log.warn("listener {} failed on event {} {}; the change stands", listener, event.type(),
                            event.eventId(), e);
                }
            }
        }
        return result.value();
    }
}
