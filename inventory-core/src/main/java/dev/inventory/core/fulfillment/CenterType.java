package dev.inventory.core.fulfillment;

/** The kind of a fulfillment center. Informational: the planner treats every type alike. */
public enum CenterType {
    /** A warehouse holding the bulk of the stock. */
    WAREHOUSE,
    /** A sortation center. */
    SORTATION,
    /** A last-mile delivery station. */
    DELIVERY_STATION,
    /** A retail store shipping from its shelves. */
    STORE
}
