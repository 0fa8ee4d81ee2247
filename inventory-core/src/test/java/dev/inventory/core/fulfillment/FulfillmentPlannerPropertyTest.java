package dev.inventory.core.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.StockLevel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties every plan has, over hundreds of random instances (seeded, so a failure reproduces). */
class FulfillmentPlannerPropertyTest {

    @Test
    void everyPlanCoversTheOrderExactlyFromAllowedCentersAndIsDeterministic() {
        Random rnd = new Random(42);
        int planned = 0;
        int cannot = 0;
        int split = 0;
        for (int k = 0; k < 300; k++) {
            try (var scenario = k % 3 == 0 ? FulfillmentScenarios.randomOfSize(rnd, 5 + rnd.nextInt(30),
                    1 + rnd.nextInt(8)) : FulfillmentScenarios.random(rnd, 8, 5)) {
                var oracle = new PlanOracle(scenario, scenario.options());
                FulfillmentPlan plan = oracle.check(scenario.plan());
                if (plan == null) {
                    cannot++;
                    continue;
                }
                planned++;
                split += plan.isSingleShipment() ? 0 : 1;
                // the same answer again, and whatever the order the centers are given in
                assertThat(scenario.plan()).isEqualTo(new PlanResult.Planned(plan));
                List<FulfillmentCenter> reversed = new ArrayList<>(scenario.centers());
                Collections.reverse(reversed);
                var other = FulfillmentPlanner.builder(scenario.inventory()).centers(reversed)
                        .estimator(scenario.estimator()).build();
                assertThat(other.plan(scenario.order(), scenario.destination(), scenario.speed(), scenario.options()))
                        .as("instance %d with the centers reversed", k).isEqualTo(new PlanResult.Planned(plan));
            }
        }
        assertThat(planned).as("planned instances").isGreaterThan(100);
        assertThat(cannot).as("instances that cannot be fulfilled").isGreaterThan(30);
        assertThat(split).as("plans with more than one shipment").isGreaterThan(30);
    }

    @Test
    void aSingleShipmentIsChosenWheneverOneExistsAndWasAskedFor() {
        Random rnd = new Random(4242);
        int singles = 0;
        for (int k = 0; k < 400; k++) {
            try (var scenario = FulfillmentScenarios.random(rnd, 10, 4)) {
                var options = new PlanningOptions(true, scenario.options().costWeight(),
                        scenario.options().deliverBy());
                var oracle = new PlanOracle(scenario, options);
                FulfillmentPlan plan = oracle.check(scenario.planner().plan(scenario.order(),
                        scenario.destination(), scenario.speed(), options));
                if (plan != null && oracle.singleShipmentExists()) {
                    singles++;
                    assertThat(plan.shipments()).as("instance %d", k).hasSize(1);
                }
            }
        }
        assertThat(singles).isGreaterThan(50);
    }

    @Test
    void planningNeverChangesStock() {
        Random rnd = new Random(7);
        for (int k = 0; k < 100; k++) {
            try (var scenario = FulfillmentScenarios.random(rnd, 6, 4)) {
                List<StockLevel> before = levels(scenario);
                scenario.plan();
                assertThat(levels(scenario)).isEqualTo(before);
            }
        }
    }

    static List<StockLevel> levels(FulfillmentScenarios.Scenario scenario) {
        List<StockLevel> levels = new ArrayList<>();
        for (OrderLine line : scenario.order().lines()) {
            levels.addAll(scenario.inventory().levels(line.sku()));
        }
        return levels;
    }

    @Test
    void theLargeBenchmarkInstanceIsPlannedCorrectly() {
        for (long seed = 1; seed <= 3; seed++) {
            try (var scenario = FulfillmentScenarios.large(seed)) {
                assertThat(scenario.centers()).hasSize(200);
                assertThat(scenario.order().lines()).hasSize(20);
                FulfillmentPlan plan = new PlanOracle(scenario, scenario.options()).check(scenario.plan());
                assertThat(plan).isNotNull();
                assertThat(plan.shipments()).extracting(Shipment::centerId).doesNotHaveDuplicates()
                        .allMatch(id -> id.value().startsWith("FC-"));
                // no center holds all 20 SKUs, so the full search ran
                assertThat(plan.shipments().size()).isGreaterThan(1)
                        .isLessThanOrEqualTo((int) scenario.order().totalQuantity());
            }
        }
    }
}
