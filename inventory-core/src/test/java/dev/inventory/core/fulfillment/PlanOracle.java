package dev.inventory.core.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What any planning result must satisfy, computed from the public API only (centers, estimator and
 * stock levels), independently of the planner's internals.
 */
final class PlanOracle {
    final FulfillmentScenarios.Scenario scenario;
    final PlanningOptions options;
    /** Centers that may ship to the destination at the speed (region, capacity, method, reach, date). */
    final Map<LocationId, FulfillmentCenter> eligible = new HashMap<>();
    final Map<LocationId, ShippingQuote> quotes = new HashMap<>();

    PlanOracle(FulfillmentScenarios.Scenario scenario, PlanningOptions options) {
        this.scenario = scenario;
        this.options = options;
        Instant now = scenario.inventory().clock().instant();
        for (FulfillmentCenter center : scenario.centers()) {
            if (!center.serves(scenario.destination().postalCode()) || center.utilization() >= 1.0) {
                continue;
            }
            Optional<ShippingMethod> method = center.method(scenario.speed());
            if (method.isEmpty()) {
                continue;
            }
            Optional<ShippingQuote> quote = scenario.estimator().quote(center, method.get(), scenario.destination(),
                    now);
            if (quote.isEmpty() || options.deliverBy().map(d -> quote.get().deliveryDate().isAfter(d))
                    .orElse(false)) {
                continue;
            }
            eligible.put(center.id(), center);
            quotes.put(center.id(), quote.get());
        }
    }

    /** What center {@code id} may ship of {@code line}: its available stock, 0 when it may not ship the line. */
    long canShip(LocationId id, OrderLine line) {
        FulfillmentCenter center = eligible.get(id);
        if (center == null || !center.capabilities().containsAll(line.requirements())) {
            return 0;
        }
        return scenario.inventory().level(line.sku(), id).map(StockLevel::available).orElse(0L);
    }

    List<Shortage> expectedShortages() {
        List<Shortage> shortages = new ArrayList<>();
        for (OrderLine line : scenario.order().lines()) {
            long total = 0;
            for (LocationId id : eligible.keySet()) {
                total += canShip(id, line);
            }
            if (total < line.quantity()) {
                shortages.add(new Shortage(line.sku(), line.quantity(), total));
            }
        }
        return shortages;
    }

    boolean singleShipmentExists() {
        for (LocationId id : eligible.keySet()) {
            boolean all = true;
            for (OrderLine line : scenario.order().lines()) {
                all &= canShip(id, line) >= line.quantity();
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Checks {@code result} against every rule; returns the plan, or null for a correct CannotFulfil. */
    FulfillmentPlan check(PlanResult result) {
        List<Shortage> shortages = expectedShortages();
        if (!shortages.isEmpty()) {
            assertThat(result).isEqualTo(new PlanResult.CannotFulfil(shortages));
            return null;
        }
        assertThat(result).isInstanceOf(PlanResult.Planned.class);
        FulfillmentPlan plan = ((PlanResult.Planned) result).plan();
        Map<Sku, OrderLine> lines = new HashMap<>();
        scenario.order().lines().forEach(l -> lines.put(l.sku(), l));

        // covers the order exactly, only from centers allowed to ship each line, within their stock
        Map<Sku, Long> covered = new HashMap<>();
        for (ReservationLine r : plan.reservationLines()) {
            OrderLine line = lines.get(r.sku());
            assertThat(line).as("SKU %s is in the order", r.sku()).isNotNull();
            assertThat(eligible).as("center %s may ship to the destination", r.locationId())
                    .containsKey(r.locationId());
            assertThat(eligible.get(r.locationId()).capabilities()).as("capabilities of %s", r.locationId())
                    .containsAll(line.requirements());
            assertThat(r.quantity()).as("%s at %s", r.sku(), r.locationId())
                    .isPositive().isLessThanOrEqualTo(canShip(r.locationId(), line));
            covered.merge(r.sku(), r.quantity(), Long::sum);
        }
        for (OrderLine line : scenario.order().lines()) {
            assertThat(covered.get(line.sku())).as("units of %s", line.sku()).isEqualTo(line.quantity());
        }

        // shipments: one per center, priced and dated by the estimator
        Set<LocationId> seen = new HashSet<>();
        long totalCost = 0;
        LocalDate latest = LocalDate.MIN;
        for (Shipment shipment : plan.shipments()) {
            assertThat(seen.add(shipment.centerId())).as("one shipment per center").isTrue();
            ShippingQuote quote = quotes.get(shipment.centerId());
            long grams = 0;
            Set<Sku> skus = new HashSet<>();
            for (ShipmentLine line : shipment.lines()) {
                assertThat(skus.add(line.sku())).as("one line per SKU in a shipment").isTrue();
                grams += line.quantity() * lines.get(line.sku()).unitWeightGrams();
            }
            assertThat(shipment.method()).isEqualTo(eligible.get(shipment.centerId()).method(scenario.speed())
                    .orElseThrow());
            assertThat(shipment.weightGrams()).isEqualTo(grams);
            assertThat(shipment.cost()).isEqualTo(quote.cost(grams));
            assertThat(shipment.shipDate()).isEqualTo(quote.shipDate());
            assertThat(shipment.deliveryDate()).isEqualTo(quote.deliveryDate());
            totalCost += shipment.cost();
            latest = shipment.deliveryDate().isAfter(latest) ? shipment.deliveryDate() : latest;
        }
        assertThat(plan.totalCost()).isEqualTo(totalCost);
        assertThat(plan.latestDelivery()).isEqualTo(latest);
        PlanScore score = plan.score();
        double w = options.costWeight();
        assertThat(score.total()).isCloseTo(w * score.cost() + (1 - w) * (0.5 * score.speed()
                + 0.25 * score.utilization() + 0.25 * score.depth()), org.assertj.core.data.Offset.offset(1e-9));

        if (options.preferSingleShipment() && singleShipmentExists()) {
            assertThat(plan.isSingleShipment()).as("a single shipment exists and was asked for").isTrue();
        }
        return plan;
    }
}
