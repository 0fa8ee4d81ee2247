package dev.inventory.core.fulfillment;

/** The delivery speed a buyer chose; a center ships an order at a speed only if it has a method for it. */
public enum DeliverySpeed {
    /** The cheapest ground service. */
    STANDARD,
    /** A faster paid service. */
    EXPEDITED,
    /** Delivered the day after it ships. */
    NEXT_DAY,
    /** Delivered the day it ships. */
    SAME_DAY
}
