package dev.inventory.core.fulfillment;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The default {@link ShippingRates}: per speed, a price per shipment, per started kilogram and per
 * started 100 km:
 *
 * <pre>
 * cost = perShipment + perKg * ceil(grams / 1000) + per100Km * ceil(km / 100)
 * </pre>
 *
 * @param rates the rate of every speed
 */
public record RateTable(Map<DeliverySpeed, Rate> rates) implements ShippingRates {

    /** @throws IllegalArgumentException when a speed has no rate */
    public RateTable {
        Valid.notNull("rates", rates);
        EnumMap<DeliverySpeed, Rate> copy = new EnumMap<>(DeliverySpeed.class);
        for (DeliverySpeed speed : DeliverySpeed.values()) {
            Rate rate = rates.get(speed);
            if (rate == null) {
                throw new IllegalArgumentException("rates must hold a rate for every speed, was missing " + speed);
            }
            copy.put(speed, rate);
        }
        rates = Collections.unmodifiableMap(copy);
    }

    /**
     * Example rates in cents: STANDARD 4.95 + 0.60/kg + 0.15/100 km, EXPEDITED 9.95 + 1.20/kg +
     * 0.25/100 km, NEXT_DAY 19.95 + 1.80/kg + 0.40/100 km, SAME_DAY 24.95 + 2.50/kg + 1.00/100 km.
     */
    public static RateTable defaults() {
        return builder().build();
    }

    /** Starts from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The rate for {@code speed}. */
    public Rate rate(DeliverySpeed speed) {
        return rates.get(Valid.notNull("speed", speed));
    }

    @Override
    public long cost(FulfillmentCenter center, ShippingMethod method, Destination destination, double distanceKm,
            long weightGrams) {
        Valid.notNull("method", method);
        return rate(method.speed()).cost(distanceKm, weightGrams);
    }

    /**
     * One speed's prices, in minor units (cents).
     *
     * @param perShipment charged once per shipment, 0..{@link #MAX_PRICE}
     * @param perKg charged per started kilogram, 0..{@link #MAX_PRICE}
     * @param per100Km charged per started 100 km, 0..{@link #MAX_PRICE}
     */
    public record Rate(long perShipment, long perKg, long per100Km) {

        /** The highest price a rate may carry (10,000.00). */
        public static final long MAX_PRICE = 1_000_000L;

        /** @throws IllegalArgumentException naming the field when a price is out of range */
        public Rate {
            Valid.range("perShipment", perShipment, 0, MAX_PRICE);
            Valid.range("perKg", perKg, 0, MAX_PRICE);
            Valid.range("per100Km", per100Km, 0, MAX_PRICE);
        }

        /** Shorthand for the constructor. */
        public static Rate of(long perShipment, long perKg, long per100Km) {
            return new Rate(perShipment, perKg, per100Km);
        }

        /** The cost of a shipment of {@code weightGrams} over {@code distanceKm}. */
        public long cost(double distanceKm, long weightGrams) {
            if (weightGrams < 0 || weightGrams > Order.MAX_WEIGHT_GRAMS) {
                throw new IllegalArgumentException("weightGrams must be between 0 and " + Order.MAX_WEIGHT_GRAMS
                        + ", was " + weightGrams);
            }
            return fixedCost(distanceKm) + perKg * ((weightGrams + 999) / 1000);
        }

        /** The part of the cost that does not depend on weight: per shipment plus per started 100 km. */
        long fixedCost(double distanceKm) {
            Valid.range("distanceKm", distanceKm, 0, 1e6);
            return perShipment + per100Km * (long) Math.ceil(distanceKm / 100.0);
        }
    }

    /** Builds a {@link RateTable}, starting from the example rates. */
    public static final class Builder {
        private final EnumMap<DeliverySpeed, Rate> rates = new EnumMap<>(DeliverySpeed.class);

        private Builder() {
            rates.put(DeliverySpeed.STANDARD, Rate.of(495, 60, 15));
            rates.put(DeliverySpeed.EXPEDITED, Rate.of(995, 120, 25));
            rates.put(DeliverySpeed.NEXT_DAY, Rate.of(1995, 180, 40));
            rates.put(DeliverySpeed.SAME_DAY, Rate.of(2495, 250, 100));
        }

        /** Sets the rate of {@code speed}. */
        public Builder rate(DeliverySpeed speed, Rate rate) {
            rates.put(Valid.notNull("speed", speed), Valid.notNull("rate", rate));
            return this;
        }

        /** Sets the rate of {@code speed}. */
        public Builder rate(DeliverySpeed speed, long perShipment, long perKg, long per100Km) {
            return rate(speed, Rate.of(perShipment, perKg, per100Km));
        }

        /** Builds the table. */
        public RateTable build() {
            return new RateTable(rates);
        }
    }
}
