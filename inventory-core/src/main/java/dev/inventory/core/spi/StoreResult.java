package dev.inventory.core.spi;

import dev.inventory.core.event.InventoryEvent;
import java.util.List;

/**
 * A store operation's outcome and the events it produced, in order.
 *
 * @param value the outcome
 * @param events the events, empty when nothing changed
 * @param <T> the outcome type
 */
public record StoreResult<T>(T value, List<InventoryEvent> events) {
    /** Copies the event list, unless it is a {@link DeferredEvents} (immutable already, kept unread). */
    public StoreResult {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        events = events instanceof DeferredEvents ? events : List.copyOf(events);
    }

    /** An outcome that changed nothing. */
    public static <T> StoreResult<T> unchanged(T value) {
        return new StoreResult<>(value, List.of());
    }
}
