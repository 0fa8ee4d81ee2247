package dev.inventory.core.fulfillment;

import dev.inventory.core.LocationId;
import java.time.LocalDate;
import java.util.List;

/**
 * One parcel of a plan: what one center ships.
 *
 * @param centerId the center (stock location) it ships from
 * @param method how it ships
 * @param lines what it holds, in the order's line order, one per SKU
 * @param weightGrams its weight
 * @param cost its cost in minor units (cents)
 * @param shipDate when it leaves (local date of the center)
 * @param deliveryDate when it is estimated to arrive
 */
public record Shipment(LocationId centerId, ShippingMethod method, List<ShipmentLine> lines, long weightGrams,
        long cost, LocalDate shipDate, LocalDate deliveryDate) {

    /** @throws IllegalArgumentException naming the field when a value is missing or out of range */
    public Shipment {
        Valid.notNull("centerId", centerId);
        Valid.notNull("method", method);
        Valid.notNull("lines", lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("lines must not be empty (shipment from " + centerId + ")");
        }
        lines = List.copyOf(lines);
        Valid.range("weightGrams", weightGrams, 0, Long.MAX_VALUE);
        Valid.range("cost", cost, 0, Long.MAX_VALUE);
        Valid.notNull("shipDate", shipDate);
        Valid.notNull("deliveryDate", deliveryDate);
    }

    /** Total units in the shipment. */
    public long totalQuantity() {
        long sum = 0;
        for (ShipmentLine line : lines) {
            sum += line.quantity();
        }
        return sum;
    }
}
