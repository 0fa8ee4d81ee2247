package dev.inventory.core.processing;

import dev.inventory.core.ProductAvailability;

/**
 * A product page's view of a SKU including what may be ordered beyond available stock.
 *
 * @param availability the availability (status {@code PREORDER} when nothing is available but units
 *     are in transit in)
 * @param acceptsBackorders whether a short order would be queued as a backorder now
 * @param acceptsPreorders whether a short order covered by units in transit would be queued now
 * @param queued units of the SKU waiting in the backorder queue
 * @param capacity how many more units the queue takes for this SKU (0 when the policy takes none)
 */
public record Orderability(ProductAvailability availability, boolean acceptsBackorders, boolean acceptsPreorders,
        long queued, long capacity) {
    /** Validates. */
    public Orderability {
        Fields.notNull("availability", availability);
    }
}
