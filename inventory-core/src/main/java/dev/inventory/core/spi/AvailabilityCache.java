package dev.inventory.core.spi;

import dev.inventory.core.ProductAvailability;
import dev.inventory.core.Sku;
import java.util.Optional;

/**
 * The display cache (DESIGN section 4, layer 1): availability served to product pages with
 * eventual consistency. The inventory invalidates a SKU's entry after every change of it.
 */
public interface AvailabilityCache {

    /** The cached availability of {@code sku}, if present and fresh. */
    Optional<ProductAvailability> get(Sku sku);

    /** Caches {@code availability}. */
    void put(ProductAvailability availability);

    /** Drops the entry of {@code sku}. */
    void invalidate(Sku sku);
}
