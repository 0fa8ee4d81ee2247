package dev.inventory.core;

import java.util.Map;

/**
 * The query side's view of one SKU across its locations.
 *
 * @param sku the SKU
 * @param available sum of {@link StockLevel#available()} over every location
 * @param byRegion available per region (locations without a configured region count under
 *     {@code "default"})
 * @param byLocation available per location
 * @param incoming units in transit to any location
 * @param status the page status
 * @param message a customer message: "In Stock", "Only 3 left", "Out of Stock", "Available for pre-order"
 */
public record ProductAvailability(
        Sku sku,
        long available,
        Map<String, Long> byRegion,
        Map<LocationId, Long> byLocation,
        long incoming,
        AvailabilityStatus status,
        String message) {

    /** Copies the maps. */
    public ProductAvailability {
        Checks.notNull("sku", sku);
        byRegion = Map.copyOf(byRegion);
        byLocation = Map.copyOf(byLocation);
        Checks.notNull("status", status);
        Checks.notNull("message", message);
    }
}
