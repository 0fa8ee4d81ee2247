package dev.inventory.core.fulfillment;

import java.time.LocalDate;
import java.util.function.LongUnaryOperator;

/**
 * What shipping from one center to one destination by one method takes: when it ships, when it
 * arrives, and what a parcel of a given weight costs. A {@link ShippingEstimator} makes one per center
 * and plan; the planner then asks {@link #cost(long)} for many weights, so it should be cheap (the
 * planner remembers the answers within one plan).
 */
public interface ShippingQuote {

    /** The local date (in the center's zone) the shipment leaves. */
    LocalDate shipDate();

    /** The estimated delivery date. */
    LocalDate deliveryDate();

    /**
     * The cost of one shipment weighing {@code weightGrams}, in minor units of the rates' currency
     * (cents), between 0 and {@link #MAX_COST}.
     */
    long cost(long weightGrams);

    /** The largest cost one shipment may have. */
    long MAX_COST = 1_000_000_000_000_000L;

    /**
     * A quote from its parts, for hosts that write their own {@link ShippingEstimator}.
     *
     * @param costByWeight weight in grams to cost in minor units
     */
    static ShippingQuote of(LocalDate shipDate, LocalDate deliveryDate, LongUnaryOperator costByWeight) {
        Valid.notNull("shipDate", shipDate);
        Valid.notNull("deliveryDate", deliveryDate);
        Valid.notNull("costByWeight", costByWeight);
        if (deliveryDate.isBefore(shipDate)) {
            throw new IllegalArgumentException("deliveryDate must not be before shipDate " + shipDate + ", was "
                    + deliveryDate);
        }
        return new SimpleQuote(shipDate, deliveryDate, costByWeight);
    }
}
