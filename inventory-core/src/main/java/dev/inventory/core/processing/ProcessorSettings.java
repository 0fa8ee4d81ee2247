package dev.inventory.core.processing;

import dev.inventory.core.Inventory;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The settings both event processors' builders share (inventory, processed-event record, parking,
 * settled callback, backorders); each setter validates its argument and names it.
 */
final class ProcessorSettings<E> {
    final Inventory inventory;
    private ProcessedEvents processed;
    private int parkingCapacity = 10_000;
    private Duration parkingTime = Duration.ofHours(1);
    private BiConsumer<E, ProcessingResult> onSettled;
    private Backorders backorders;

    ProcessorSettings(Inventory inventory) {
        this.inventory = Fields.notNull("inventory", inventory);
    }

    void processedEvents(ProcessedEvents processed) {
        this.processed = Fields.notNull("processedEvents", processed);
    }

    void parking(int capacity, Duration maxAge) {
        if (capacity < 1 || capacity > 1_000_000) {
            throw new IllegalArgumentException("parkingCapacity must be between 1 and 1000000, was " + capacity);
        }
        Fields.notNull("parkingTime", maxAge);
        if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("parkingTime must be positive and at most 7 days, was " + maxAge);
        }
        this.parkingCapacity = capacity;
        this.parkingTime = maxAge;
    }

    void onSettled(BiConsumer<E, ProcessingResult> onSettled) {
        this.onSettled = Fields.notNull("onSettled", onSettled);
    }

    void backorders(Backorders backorders) {
        this.backorders = Fields.notNull("backorders", backorders);
    }

    /** The backorders given, or null. */
    Backorders backorders() {
        return backorders;
    }

    /** The engine these settings describe (it starts listening to the inventory). */
    Engine<E> engine(Function<E, String> idOf, Engine.Handler<E> handler) {
        return new Engine<>(inventory, processed != null ? processed : ProcessedEvents.inMemory(),
                parkingCapacity, parkingTime, idOf, handler, onSettled,
                backorders == null ? null : backorders::servePending);
    }
}
