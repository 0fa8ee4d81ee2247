package dev.inventory.core.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The default shipping estimator: cutoffs and operating days in the center's zone, transit, rates. */
class ShippingEstimatorTest {

    static final Destination BERLIN = Destination.of("10115", 52.52, 13.405);
    static final ShippingEstimator ESTIMATOR = ShippingEstimator.defaultEstimator();

    static FulfillmentCenter center(String zone, LocalTime cutoff, DayOfWeek... days) {
        return FulfillmentCenter.builder("FC-1").location(52.52, 13.405).zone(zone).serves("1")
                .method(DeliverySpeed.STANDARD, cutoff).method(DeliverySpeed.NEXT_DAY, cutoff)
                .method(DeliverySpeed.SAME_DAY, cutoff).operatingDays(days).build();
    }

    static ShippingQuote quote(FulfillmentCenter center, DeliverySpeed speed, String instant) {
        return ESTIMATOR.quote(center, center.method(speed).orElseThrow(), BERLIN, Instant.parse(instant))
                .orElseThrow();
    }

    static final DayOfWeek[] WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY).toArray(new DayOfWeek[0]);

    @Test
    void beforeTheCutoffOnAnOperatingDayItShipsToday() {
        var center = center("UTC", LocalTime.of(17, 0), WEEKDAYS);
        // Tuesday 16:59:59
        var quote = quote(center, DeliverySpeed.STANDARD, "2025-03-04T16:59:59Z");
        assertThat(quote.shipDate()).isEqualTo(LocalDate.of(2025, 3, 4));
        assertThat(quote.deliveryDate()).isEqualTo(LocalDate.of(2025, 3, 7));
    }

    @Test
    void atOrAfterTheCutoffItShipsTheNextOperatingDay() {
        var center = center("UTC", LocalTime.of(17, 0), WEEKDAYS);
        assertThat(quote(center, DeliverySpeed.STANDARD, "2025-03-04T17:00:00Z").shipDate())
                .isEqualTo(LocalDate.of(2025, 3, 5));
        // Friday after the cutoff: Monday
        assertThat(quote(center, DeliverySpeed.STANDARD, "2025-03-07T18:00:00Z").shipDate())
                .isEqualTo(LocalDate.of(2025, 3, 10));
    }

    @Test
    void onAClosedDayItShipsTheNextOperatingDayWhateverTheTime() {
        var center = center("UTC", LocalTime.of(17, 0), WEEKDAYS);
        // Saturday morning, before the cutoff: still Monday
        assertThat(quote(center, DeliverySpeed.STANDARD, "2025-03-08T08:00:00Z").shipDate())
                .isEqualTo(LocalDate.of(2025, 3, 10));
        var wednesdaysOnly = center("UTC", LocalTime.of(17, 0), DayOfWeek.WEDNESDAY);
        assertThat(quote(wednesdaysOnly, DeliverySpeed.STANDARD, "2025-03-05T17:30:00Z").shipDate())
                .isEqualTo(LocalDate.of(2025, 3, 12));
    }

    @Test
    void cutoffAndDayAreReadInTheCentersTimeZone() {
        // Tuesday 22:30 UTC is Tuesday 23:30 in Berlin, 17:30 in New York and Wednesday 07:30 in Tokyo
        String instant = "2025-03-04T22:30:00Z";
        assertThat(quote(center("Europe/Berlin", LocalTime.of(18, 0), WEEKDAYS), DeliverySpeed.STANDARD, instant)
                .shipDate()).isEqualTo(LocalDate.of(2025, 3, 5));
        assertThat(quote(center("America/New_York", LocalTime.of(18, 0), WEEKDAYS), DeliverySpeed.STANDARD,
                instant).shipDate()).isEqualTo(LocalDate.of(2025, 3, 4));
        assertThat(quote(center("Asia/Tokyo", LocalTime.of(18, 0), WEEKDAYS), DeliverySpeed.STANDARD, instant)
                .shipDate()).isEqualTo(LocalDate.of(2025, 3, 5));
        // Friday 23:30 UTC is already Saturday in Tokyo: closed, so Monday
        assertThat(quote(center("Asia/Tokyo", LocalTime.of(18, 0), WEEKDAYS), DeliverySpeed.STANDARD,
                "2025-03-07T23:30:00Z").shipDate()).isEqualTo(LocalDate.of(2025, 3, 10));
    }

    @Test
    void daylightSavingTimeMovesTheLocalCutoff() {
        var berlin = center("Europe/Berlin", LocalTime.of(17, 0), DayOfWeek.values());
        // 15:30 UTC is 16:30 in Berlin in winter (before the cutoff) ...
        assertThat(quote(berlin, DeliverySpeed.STANDARD, "2025-03-29T15:30:00Z").shipDate())
                .isEqualTo(LocalDate.of(2025, 3, 29));
        // ... and 17:30 after the switch to summer time on 30 March (after the cutoff)
        assertThat(quote(berlin, DeliverySpeed.STANDARD, "2025-03-30T15:30:00Z").shipDate())
                .isEqualTo(LocalDate.of(2025, 3, 31));
    }

    @Test
    void transitDaysDependOnSpeedAndDistance() {
        var munich = FulfillmentCenter.builder("MUC").location(48.1351, 11.582).serves("1")
                .method(DeliverySpeed.STANDARD, LocalTime.of(17, 0)).method(DeliverySpeed.EXPEDITED,
                        LocalTime.of(17, 0)).method(DeliverySpeed.NEXT_DAY, LocalTime.of(17, 0))
                .method(DeliverySpeed.SAME_DAY, LocalTime.of(17, 0)).build();
        var lisbon = FulfillmentCenter.builder("LIS").location(38.7223, -9.1393).serves("1")
                .method(DeliverySpeed.STANDARD, LocalTime.of(17, 0)).method(DeliverySpeed.NEXT_DAY,
                        LocalTime.of(17, 0)).build();
        Instant tuesday = Instant.parse("2025-03-04T10:00:00Z");
        assertThat(munich.location().distanceKm(BERLIN.location())).isCloseTo(504, within(3.0));
        assertThat(lisbon.location().distanceKm(BERLIN.location())).isCloseTo(2313, within(10.0));
        // STANDARD: 3 days plus one per 800 km
        assertThat(delivery(munich, DeliverySpeed.STANDARD, tuesday)).isEqualTo(LocalDate.of(2025, 3, 7));
        assertThat(delivery(lisbon, DeliverySpeed.STANDARD, tuesday)).isEqualTo(LocalDate.of(2025, 3, 9));
        // EXPEDITED: 2 days plus one per 1,500 km
        assertThat(delivery(munich, DeliverySpeed.EXPEDITED, tuesday)).isEqualTo(LocalDate.of(2025, 3, 6));
        // NEXT_DAY reaches 1,000 km, SAME_DAY 60 km
        assertThat(delivery(munich, DeliverySpeed.NEXT_DAY, tuesday)).isEqualTo(LocalDate.of(2025, 3, 5));
        assertThat(ESTIMATOR.quote(lisbon, lisbon.method(DeliverySpeed.NEXT_DAY).orElseThrow(), BERLIN, tuesday))
                .isEmpty();
        assertThat(ESTIMATOR.quote(munich, munich.method(DeliverySpeed.SAME_DAY).orElseThrow(), BERLIN, tuesday))
                .isEmpty();
        var local = center("UTC", LocalTime.of(17, 0), WEEKDAYS);
        assertThat(quote(local, DeliverySpeed.SAME_DAY, "2025-03-04T10:00:00Z").deliveryDate())
                .isEqualTo(LocalDate.of(2025, 3, 4));
    }

    static LocalDate delivery(FulfillmentCenter center, DeliverySpeed speed, Instant at) {
        return ESTIMATOR.quote(center, center.method(speed).orElseThrow(), BERLIN, at).orElseThrow().deliveryDate();
    }

    @Test
    void costComesFromTheRateTable() {
        var munich = FulfillmentCenter.builder("MUC").location(48.1351, 11.582).serves("1")
                .method(DeliverySpeed.STANDARD, LocalTime.of(17, 0)).build();
        var quote = ESTIMATOR.quote(munich, munich.method(DeliverySpeed.STANDARD).orElseThrow(), BERLIN,
                Instant.parse("2025-03-04T10:00:00Z")).orElseThrow();
        // 4.95 per shipment + 0.60 per started kg (2.5 kg -> 3) + 0.15 per started 100 km (504 km -> 6)
        assertThat(quote.cost(2500)).isEqualTo(495 + 3 * 60 + 6 * 15);
        assertThat(quote.cost(0)).isEqualTo(495 + 6 * 15);
        assertThat(quote.cost(1000)).isEqualTo(495 + 60 + 6 * 15);
        assertThat(quote.cost(1001)).isEqualTo(495 + 120 + 6 * 15);

        var table = RateTable.builder().rate(DeliverySpeed.STANDARD, 100, 10, 1).build();
        var custom = ShippingEstimator.defaultEstimator(table).quote(munich,
                munich.method(DeliverySpeed.STANDARD).orElseThrow(), BERLIN, Instant.parse("2025-03-04T10:00:00Z"))
                .orElseThrow();
        assertThat(custom.cost(2500)).isEqualTo(100 + 30 + 6);
    }

    @Test
    void hostsPlugInTheirCarriersRatesAndKeepTheDeliveryEstimate() {
        ShippingRates carrier = (center, method, destination, distanceKm, grams) -> 1000 + grams / 100;
        var estimator = ShippingEstimator.builder().rates(carrier)
                .transit(DeliverySpeed.STANDARD, TransitTime.days(5)).build();
        var center = center("UTC", LocalTime.of(17, 0), WEEKDAYS);
        var quote = estimator.quote(center, center.method(DeliverySpeed.STANDARD).orElseThrow(), BERLIN,
                Instant.parse("2025-03-04T10:00:00Z")).orElseThrow();
        assertThat(quote.cost(2500)).isEqualTo(1025);
        assertThat(quote.deliveryDate()).isEqualTo(LocalDate.of(2025, 3, 9));
    }

    @Test
    void badConfigurationNamesTheFieldAndTheValue() {
        assertThatThrownBy(() -> RateTable.Rate.of(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("perShipment").hasMessageContaining("-1");
        assertThatThrownBy(() -> new TransitTime(-1, 100, 100)).hasMessageContaining("baseDays")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> TransitTime.days(1).within(0)).hasMessageContaining("maxDistanceKm")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> TransitTime.days(1).plusDayEvery(Double.NaN)).hasMessageContaining(
                "extraDayEveryKm");
        assertThatThrownBy(() -> Coordinates.of(91, 0)).hasMessageContaining("latitude")
                .hasMessageContaining("91");
        assertThatThrownBy(() -> Coordinates.of(0, Double.NaN)).hasMessageContaining("longitude");
        assertThatThrownBy(() -> ShippingQuote.of(LocalDate.of(2025, 3, 5), LocalDate.of(2025, 3, 4), g -> 0))
                .hasMessageContaining("deliveryDate");
        assertThatThrownBy(() -> ShippingEstimator.builder().rates(null)).hasMessageContaining("rates");
    }
}
