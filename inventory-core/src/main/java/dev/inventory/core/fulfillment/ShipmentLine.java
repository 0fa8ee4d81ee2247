package dev.inventory.core.fulfillment;

import dev.inventory.core.Quantity;
import dev.inventory.core.Sku;

/**
 * Units of one SKU in one shipment.
 *
 * @param sku the SKU
 * @param quantity how many, at least 1
 */
public record ShipmentLine(Sku sku, long quantity) {
    /** @throws IllegalArgumentException naming the field when a value is missing or out of range */
    public ShipmentLine {
        Valid.notNull("sku", sku);
        Quantity.requirePositive("quantity", quantity);
    }
}
