package dev.inventory.core.fulfillment;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/** The default {@link ShippingEstimator}: haversine distance, cutoffs, operating days, a rate table. */
final class DefaultShippingEstimator implements ShippingEstimator {
    private final Map<DeliverySpeed, TransitTime> transit;
    private final ShippingRates rates;

    DefaultShippingEstimator(Map<DeliverySpeed, TransitTime> transit, ShippingRates rates) {
        this.transit = transit;
        this.rates = rates;
    }

    @Override
    public Optional<ShippingQuote> quote(FulfillmentCenter center, ShippingMethod method, Destination destination,
            Instant orderedAt) {
        Valid.notNull("center", center);
        Valid.notNull("method", method);
        Valid.notNull("destination", destination);
        Valid.notNull("orderedAt", orderedAt);
        TransitTime time = transit.get(method.speed());
        double distanceKm = center.location().distanceKm(destination.location());
        if (time == null || !time.reaches(distanceKm)) {
            return Optional.empty();
        }
        LocalDate shipDate = shipDate(center, method, orderedAt);
        LocalDate deliveryDate = shipDate.plusDays(time.transitDays(distanceKm));
        return Optional.of(new Quote(shipDate, deliveryDate, center, method, destination, distanceKm, rates));
    }

    /**
     * Today (in the center's zone) when today is an operating day and the local time is before the
     * cutoff; otherwise the next operating day.
     */
    static LocalDate shipDate(FulfillmentCenter center, ShippingMethod method, Instant orderedAt) {
        ZonedDateTime local = orderedAt.atZone(center.zone());
        LocalDate day = local.toLocalDate();
        if (center.operatesOn(day.getDayOfWeek()) && local.toLocalTime().isBefore(method.cutoff())) {
            return day;
        }
        do {
            day = day.plusDays(1);
        } while (!center.operatesOn(day.getDayOfWeek()));
        return day;
    }

    /** A quote whose cost asks the rates with the distance already computed. */
    record Quote(LocalDate shipDate, LocalDate deliveryDate, FulfillmentCenter center, ShippingMethod method,
            Destination destination, double distanceKm, ShippingRates rates) implements ShippingQuote {
        @Override
        public long cost(long weightGrams) {
            return rates.cost(center, method, destination, distanceKm, weightGrams);
        }
    }
}
