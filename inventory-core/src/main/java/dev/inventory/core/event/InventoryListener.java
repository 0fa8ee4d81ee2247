package dev.inventory.core.event;

/**
 * Receives domain events after the change is applied (and, for durable stores, committed), in the
 * order the changes happened per SKU x location. A listener that throws is logged and does not
 * affect the change or the other listeners.
 */
@FunctionalInterface
public interface InventoryListener {
    /** Called once per event, on the thread that made the change. */
    void onEvent(InventoryEvent event);
}
