package dev.inventory.core.fulfillment;

/**
 * The price of a shipment: the part of shipping a host replaces with its carrier's rates while
 * keeping the default delivery estimate ({@code ShippingEstimator.builder().rates(myCarrier).build()}).
 * {@link RateTable} is the configurable default.
 */
@FunctionalInterface
public interface ShippingRates {

    /**
     * The cost of one shipment, in minor units (cents), between 0 and {@link ShippingQuote#MAX_COST}.
     *
     * @param center where it ships from
     * @param method how
     * @param destination where to
     * @param distanceKm the great-circle distance between center and destination
     * @param weightGrams the shipment's weight
     */
    long cost(FulfillmentCenter center, ShippingMethod method, Destination destination, double distanceKm,
            long weightGrams);
}
