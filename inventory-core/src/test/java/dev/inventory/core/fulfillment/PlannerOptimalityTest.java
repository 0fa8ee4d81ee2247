package dev.inventory.core.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The planner's score against the exhaustive optimum on small random instances. */
class PlannerOptimalityTest {

    static final int INSTANCES = 800;

    @Test
    void scoreIsWithinFivePercentOfTheExhaustiveOptimumOnInstancesUpTo6CentersBy4Lines() {
        Random rnd = new Random(20250304L);
        int planned = 0;
        int optimal = 0;
        double worstGap = 0;
        double gapSum = 0;
        long plans = 0;
        for (int k = 0; k < INSTANCES; k++) {
            // every other instance at the full size, 6 centers x 4 lines
            try (var scenario = k % 2 == 0 ? FulfillmentScenarios.randomOfSize(rnd, 6, 4)
                    : FulfillmentScenarios.random(rnd, 6, 4)) {
                // compare over all plans: the single-shipment preference is tested on its own
                var options = new PlanningOptions(false, scenario.options().costWeight(),
                        scenario.options().deliverBy());
                var planner = (DefaultFulfillmentPlanner) scenario.planner();
                PlanningProblem problem = planner.problem(scenario.order(), scenario.destination(),
                        scenario.speed(), options);
                PlanResult result = planner.plan(scenario.order(), scenario.destination(), scenario.speed(),
                        options);
                if (!problem.shortages.isEmpty()) {
                    assertThat(result).isInstanceOf(PlanResult.CannotFulfil.class);
                    continue;
                }
                planned++;
                Exhaustive.Result best = Exhaustive.optimum(problem);
                plans += best.plans();
                double score = ((PlanResult.Planned) result).plan().score().total();
                assertThat(score)
                        .as("instance %d: planner %s vs optimum %s with allocation %s (line x center)", k,
                                ((PlanResult.Planned) result).plan(), best.score(),
                                java.util.Arrays.deepToString(best.allocation()))
                        .isGreaterThanOrEqualTo(best.score() - 1e-9)
                        .isLessThanOrEqualTo(best.score() * 1.05 + 1e-9);
                double gap = best.score() > 0 ? (score - best.score()) / best.score() : 0;
                worstGap = Math.max(worstGap, gap);
                gapSum += gap;
                if (gap <= 1e-9) {
                    optimal++;
                }
            }
        }
        System.out.printf("optimality: %d planned of %d instances, %d optimal, mean gap %.4f%%, worst gap %.4f%%,"
                + " %d plans enumerated%n", planned, INSTANCES, optimal, 100 * gapSum / Math.max(1, planned),
                100 * worstGap, plans);
        assertThat(planned).as("instances that could be planned").isGreaterThan(INSTANCES / 3);
    }

    @Test
    void withSingleShipmentPreferredTheBestSingleShipmentIsChosen() {
        Random rnd = new Random(77L);
        int singles = 0;
        for (int k = 0; k < INSTANCES; k++) {
            try (var scenario = FulfillmentScenarios.random(rnd, 6, 4)) {
                var options = new PlanningOptions(true, scenario.options().costWeight(),
                        scenario.options().deliverBy());
                var planner = (DefaultFulfillmentPlanner) scenario.planner();
                PlanningProblem problem = planner.problem(scenario.order(), scenario.destination(),
                        scenario.speed(), options);
                double bestSingle = problem.shortages.isEmpty() ? Exhaustive.bestSingle(problem) : Double.MAX_VALUE;
                PlanResult result = planner.plan(scenario.order(), scenario.destination(), scenario.speed(),
                        options);
                if (bestSingle < Double.MAX_VALUE) {
                    singles++;
                    FulfillmentPlan plan = ((PlanResult.Planned) result).plan();
                    assertThat(plan.isSingleShipment()).as("instance %d", k).isTrue();
                    assertThat(plan.score().total()).as("instance %d", k).isCloseTo(bestSingle,
                            org.assertj.core.data.Offset.offset(1e-12));
                }
            }
        }
        assertThat(singles).as("instances with a single-shipment plan").isGreaterThan(INSTANCES / 10);
    }
}
