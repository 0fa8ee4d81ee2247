package dev.inventory.core;

import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.event.InventoryListener;
import dev.inventory.core.memory.InMemoryInventoryStore;
import dev.inventory.core.spi.AvailabilityCache;
import dev.inventory.core.spi.InventoryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entry point a host application calls in-process.
 *
 * <pre>{@code
 * try (Inventory inventory = Inventory.builder().build()) {          // in-memory store
 *     inventory.stock().receive(Sku.of("TEE-M"), LocationId.of("WH-1"), 100);
 *     var result = inventory.reservations().reserve(
 *             ReservationRequest.builder("checkout-42").line("TEE-M", "WH-1", 2).build());
 *     if (result.isSuccess()) {
 *         inventory.reservations().confirm(ReservationId.of("checkout-42"));
 *     }
 * }
 * }</pre>
 *
 * <p>Events are delivered to listeners after each change is applied. Closing the inventory stops
 * its sweeper and closes the store (a store closes only what it created itself).
 */
public interface Inventory extends AutoCloseable {

    /** A builder with the defaults: in-memory store, UTC system clock, 15 min holds, 5 min payment extension. */
    static Builder builder() {
        return new Builder();
    }

    /** Holds for checkouts. */
    Reservations reservations();

    /** Receipts, adjustments, counts, damage, transfers, thresholds and flags. */
    StockOperations stock();

    /** The availability of {@code sku} across locations (through the display cache, when one is configured). */
    ProductAvailability availability(Sku sku);

    /** The level of {@code sku} at {@code locationId}, read from the store. */
    Optional<StockLevel> level(Sku sku, LocationId locationId);

    /** Every level of {@code sku}, read from the store. */
    List<StockLevel> levels(Sku sku);

    /** The ledger of one level, oldest first. */
    List<LedgerEntry> ledger(Sku sku, LocationId locationId);

    /**
     * Publishes an event derived from a change already applied (today only
     * {@link InventoryEvent.CycleCountVariance}, emitted by the warehouse event processor): the store
     * records it ({@link InventoryStore#recordDerived}, durable stores put it in their outbox or
     * journal) and the listeners receive it like any other event. It changes no stock.
     *
     * @throws IllegalArgumentException when {@code event} is not a derived event type
     */
    void publishDerived(InventoryEvent event);

    /** The expiry sweeper. */
    ExpirySweeper sweeper();

    /** Adds a listener for every event from now on. */
    void addListener(InventoryListener listener);

    /** Removes a listener. */
    void removeListener(InventoryListener listener);

    /** The clock every operation reads. */
    Clock clock();

    /** The store. */
    InventoryStore store();

    /**
     * Delivers events that an extension's own store operations produced (flash sales) to the
     * listeners, and invalidates the display cache of their SKUs, exactly as the inventory's own
     * operations do. Host applications have no reason to call it.
     */
    void publish(List<InventoryEvent> events);

    /** Stops the sweeper and closes the store. */
    @Override
    void close();

    /**
     * Builds an {@link Inventory}. Each setter validates its argument and names it in the error.
     */
    final class Builder {
        InventoryStore store;
        Clock clock = Clock.systemUTC();
        Duration holdDuration = Duration.ofMinutes(15);
        Duration paymentExtension = Duration.ofMinutes(5);
        Duration sweepInterval = Duration.ofSeconds(5);
        int sweepBatchSize = 500;
        boolean startSweeper = true;
        long lowStockThreshold = 5;
        final List<InventoryListener> listeners = new ArrayList<>();
        final Map<LocationId, String> regions = new HashMap<>();
        AvailabilityCache availabilityCache;

        Builder() {
        }

        /** The store (default: a new {@link InMemoryInventoryStore}). */
        public Builder store(InventoryStore store) {
            this.store = Checks.notNull("store", store);
            return this;
        }

        /** The clock (default: UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull("clock", clock);
            return this;
        }

        /** How long a hold lasts unless the request says otherwise (default 15 minutes). */
        public Builder holdDuration(Duration holdDuration) {
            this.holdDuration = ReservationRequest.requireHold("holdDuration", holdDuration);
            return this;
        }

        /** How much {@code startPayment} extends a hold (default 5 minutes; zero allowed). */
        public Builder paymentExtension(Duration paymentExtension) {
            Checks.notNull("paymentExtension", paymentExtension);
            if (paymentExtension.isNegative() || paymentExtension.compareTo(ReservationRequest.MAX_HOLD) > 0) {
                throw new IllegalArgumentException("paymentExtension must be between 0 and "
                        + ReservationRequest.MAX_HOLD + ", was " + paymentExtension);
            }
            this.paymentExtension = paymentExtension;
            return this;
        }

        /**
         * Runs the sweeper every {@code interval}, expiring at most {@code batchSize} holds per store
         * call (default every 5 s, batches of 500).
         */
        public Builder sweeper(Duration interval, int batchSize) {
            Checks.notNull("sweepInterval", interval);
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("sweepInterval must be positive, was " + interval);
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("sweepBatchSize must be between 1 and 100000, was " + batchSize);
            }
            this.sweepInterval = interval;
            this.sweepBatchSize = batchSize;
            this.startSweeper = true;
            return this;
        }

        /**
         * Does not start the sweeper at build time; {@link ExpirySweeper#start()} or
         * {@link ExpirySweeper#sweepOnce()} are still available, and reserves still expire due
         * holds lazily.
         */
        public Builder withoutSweeper() {
            this.startSweeper = false;
            return this;
        }

        /** Available at or below this (and above 0) shows as LOW_STOCK, "Only N left" (default 5). */
        public Builder lowStockThreshold(long threshold) {
            this.lowStockThreshold = Quantity.requireNonNegative("lowStockThreshold", threshold);
            return this;
        }

        /** Puts {@code locationId} in {@code region} for {@link ProductAvailability#byRegion()}. */
        public Builder region(LocationId locationId, String region) {
            regions.put(Checks.notNull("locationId", locationId), Checks.text("region", region, 64));
            return this;
        }

        /** Adds a listener. */
        public Builder listener(InventoryListener listener) {
            listeners.add(Checks.notNull("listener", listener));
            return this;
        }

        /** Serves {@link Inventory#availability(Sku)} through a display cache. */
        public Builder availabilityCache(AvailabilityCache cache) {
            this.availabilityCache = Checks.notNull("availabilityCache", cache);
            return this;
        }

        /** Builds the inventory and, unless {@link #withoutSweeper()}, starts its sweeper. */
        public Inventory build() {
            var inventory = new DefaultInventory(this, store != null ? store : InMemoryInventoryStore.create());
            if (startSweeper) {
                inventory.sweeper().start();
            }
            return inventory;
        }
    }
}
