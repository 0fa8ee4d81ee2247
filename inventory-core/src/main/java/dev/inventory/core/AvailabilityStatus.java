package dev.inventory.core;

/** What a product page shows. */
public enum AvailabilityStatus {
    /** More than the low-stock threshold available. */
    IN_STOCK,
    /** Some available, at most the low-stock threshold. */
    LOW_STOCK,
    /** None available and none incoming. */
    OUT_OF_STOCK,
    /** None available, but units are in transit in: orderable as a pre-order. */
    PREORDER
}
