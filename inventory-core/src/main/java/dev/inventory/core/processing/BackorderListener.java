package dev.inventory.core.processing;

import dev.inventory.core.Reservation;

/**
 * Hears what happens to backorders (to tell the customer, to start payment). Called after the
 * change, on the thread that served the queue; a listener that throws is logged and ignored.
 */
public interface BackorderListener {

    /** {@code backorder} was reserved as {@code hold} (and confirmed, when it was marked so). */
    void onServed(Backorder backorder, Reservation hold);

    /** {@code backorder} left the queue without a hold (its id is used by a hold with other lines). */
    default void onDropped(Backorder backorder, String reason) {
    }
}
