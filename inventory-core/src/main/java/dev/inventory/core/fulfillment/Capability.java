package dev.inventory.core.fulfillment;

/** What a fulfillment center can handle, and what an order line may require. */
public enum Capability {
    /** Dangerous goods. */
    HAZMAT,
    /** Items too large or heavy for standard conveyors and parcels. */
    OVERSIZED,
    /** Chilled or frozen goods. */
    REFRIGERATED
}
