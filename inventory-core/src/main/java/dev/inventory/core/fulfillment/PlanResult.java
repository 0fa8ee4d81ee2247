package dev.inventory.core.fulfillment;

import java.util.List;

/** The outcome of planning: a plan, or why there is none. */
public sealed interface PlanResult permits PlanResult.Planned, PlanResult.CannotFulfil {

    /**
     * A plan was found.
     *
     * @param plan the best plan
     */
    record Planned(FulfillmentPlan plan) implements PlanResult {
        /** @throws IllegalArgumentException when {@code plan} is null */
        public Planned {
            Valid.notNull("plan", plan);
        }
    }

    /**
     * The eligible centers cannot cover the order; nothing was planned or reserved.
     *
     * @param shortages the lines short of stock, in the order's line order (at least one)
     */
    record CannotFulfil(List<Shortage> shortages) implements PlanResult, PlanAndReserveResult {
        /** @throws IllegalArgumentException when there is no shortage */
        public CannotFulfil {
            Valid.notNull("shortages", shortages);
            if (shortages.isEmpty()) {
                throw new IllegalArgumentException("shortages must not be empty");
            }
            shortages = List.copyOf(shortages);
        }
    }
}
