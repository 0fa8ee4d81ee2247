package dev.inventory.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /**
     * What one location contributes to a product's availability.
     *
     * @param locationId the location
     * @param available its {@link StockLevel#available()}
     * @param incoming units in transit to it
     */
    public record Location(LocationId locationId, long available, long incoming) {
    }

    /**
     * Summarises per-location availability into the page view: totals by location and region
     * (locations without a region count under {@code "default"}), the status and its customer message
     * ("Out of Stock", "Available for pre-order" when nothing is available but units are incoming,
     * "Only N left" at or below {@code lowStockThreshold}, else "In Stock"). The inventory and the
     * Kafka availability projection both build their views with it.
     */
    public static ProductAvailability summarize(Sku sku, Iterable<Location> locations, Map<LocationId, String> regions,
            long lowStockThreshold) {
        if (locations instanceof List<Location> list && list.size() == 1) {
            Location only = list.get(0);
            return ofOneLocation(sku, only.locationId(), only.available(), only.incoming(), regions,
                    lowStockThreshold);
        }
        long total = 0;
        long incoming = 0;
        Map<LocationId, Long> byLocation = new LinkedHashMap<>();
        Map<String, Long> byRegion = new TreeMap<>();
        for (Location location : locations) {
            total += location.available();
            incoming += location.incoming();
            byLocation.put(location.locationId(), location.available());
            byRegion.merge(regions.getOrDefault(location.locationId(), "default"), location.available(), Long::sum);
        }
        return of(sku, total, byRegion, byLocation, incoming, lowStockThreshold);
    }

    /**
     * {@link #summarize} of one location: the common product page, with immutable one-entry maps the
     * record keeps as they are (no list, no location record).
     */
    static ProductAvailability ofOneLocation(Sku sku, LocationId locationId, long available, long incoming,
            Map<LocationId, String> regions, long lowStockThreshold) {
        Long boxed = available;
        return of(sku, available, Map.of(regions.getOrDefault(locationId, "default"), boxed),
                Map.of(locationId, boxed), incoming, lowStockThreshold);
    }

    private static ProductAvailability of(Sku sku, long total, Map<String, Long> byRegion,
            Map<LocationId, Long> byLocation, long incoming, long lowStockThreshold) {
        AvailabilityStatus status;
        String message;
        if (total == 0) {
            status = incoming > 0 ? AvailabilityStatus.PREORDER : AvailabilityStatus.OUT_OF_STOCK;
            message = incoming > 0 ? "Available for pre-order" : "Out of Stock";
        } else if (total <= lowStockThreshold) {
            status = AvailabilityStatus.LOW_STOCK;
            message = "Only " + total + " left";
        } else {
            status = AvailabilityStatus.IN_STOCK;
            message = "In Stock";
        }
        return new ProductAvailability(sku, total, byRegion, byLocation, incoming, status, message);
    }

    /** Copies the maps. */
    public ProductAvailability {
        Checks.notNull("sku", sku);
        byRegion = Map.copyOf(byRegion);
        byLocation = Map.copyOf(byLocation);
        Checks.notNull("status", status);
        Checks.notNull("message", message);
    }
}
