package dev.inventory.core.fulfillment;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shipping estimator port (DESIGN section 5): for a center, a method and a destination, when an
 * order placed at a given instant ships and arrives, and what it costs.
 *
 * <p>The default ({@link #defaultEstimator()}, {@link #builder()}) works from the great-circle
 * distance: the ship date is today in the center's zone if today is an operating day and the local
 * time is before the method's cutoff, otherwise the next operating day; delivery is the ship date plus
 * the speed's {@link TransitTime}; cost comes from {@link ShippingRates} (a {@link RateTable} unless
 * the host plugs in its carrier's rates). A host may also implement this interface whole.
 *
 * <p>Time comes from the caller ({@code orderedAt}), as in the store port, so one clock governs a plan.
 * Implementations must be thread-safe.
 */
public interface ShippingEstimator {

    /**
     * The quote for shipping from {@code center} by {@code method} to {@code destination} an order
     * placed at {@code orderedAt}, or empty when the method cannot reach the destination.
     */
    Optional<ShippingQuote> quote(FulfillmentCenter center, ShippingMethod method, Destination destination,
            Instant orderedAt);

    /** The default estimator with the default transit times and {@link RateTable#defaults()}. */
    static ShippingEstimator defaultEstimator() {
        return builder().build();
    }

    /** The default estimator with the default transit times and the given rates. */
    static ShippingEstimator defaultEstimator(ShippingRates rates) {
        return builder().rates(rates).build();
    }

    /**
     * Starts a default estimator. Default transit times: SAME_DAY 0 days within 60 km; NEXT_DAY 1 day
     * within 1,000 km; EXPEDITED 2 days plus one per 1,500 km; STANDARD 3 days plus one per 800 km.
     */
    static Builder builder() {
        return new Builder();
    }

    /** Builds the default estimator. */
    final class Builder {
        final EnumMap<DeliverySpeed, TransitTime> transit = new EnumMap<>(DeliverySpeed.class);
        ShippingRates rates = RateTable.defaults();

        Builder() {
            transit.put(DeliverySpeed.SAME_DAY, TransitTime.days(0).within(60));
            transit.put(DeliverySpeed.NEXT_DAY, TransitTime.days(1).within(1000));
            transit.put(DeliverySpeed.EXPEDITED, TransitTime.days(2).plusDayEvery(1500));
            transit.put(DeliverySpeed.STANDARD, TransitTime.days(3).plusDayEvery(800));
        }

        /** Sets the transit time of {@code speed}. */
        public Builder transit(DeliverySpeed speed, TransitTime time) {
            transit.put(Valid.notNull("speed", speed), Valid.notNull("time", time));
            return this;
        }

        /** Sets the rates (default {@link RateTable#defaults()}). */
        public Builder rates(ShippingRates rates) {
            this.rates = Valid.notNull("rates", rates);
            return this;
        }

        /** Builds the estimator. */
        public ShippingEstimator build() {
            return new DefaultShippingEstimator(Map.copyOf(transit), rates);
        }
    }
}
