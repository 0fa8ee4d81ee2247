package dev.inventory.core.fulfillment;

import dev.inventory.core.Sku;

/**
 * A line the eligible centers cannot cover.
 *
 * @param sku the line's SKU
 * @param requested the line's quantity
 * @param available the units of the SKU at every center that could ship this line to the destination
 *     (capabilities, region, speed, date and capacity considered), less than {@code requested}
 */
public record Shortage(Sku sku, long requested, long available) {

    /** @throws IllegalArgumentException naming the field when a value is missing or out of range */
    public Shortage {
        Valid.notNull("sku", sku);
        if (available < 0 || available >= requested) {
            throw new IllegalArgumentException("available must be between 0 and requested - 1 (" + (requested - 1)
                    + "), was " + available);
        }
    }

    /** The units missing: {@code requested - available}. */
    public long missing() {
        return requested - available;
    }
}
