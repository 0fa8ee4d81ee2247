package dev.inventory.core.fulfillment;

import java.time.LocalDate;
import java.util.Optional;

/**
 * How the caller wants an order planned.
 *
 * @param preferSingleShipment when true and one center can ship the whole order, the plan is the
 *     best such single shipment, even if a split would score better
 * @param costWeight 0..1: the weight of cost in the score; the rest, {@code 1 - costWeight}, goes to
 *     speed, utilization and stock depth (see {@link PlanScore})
 * @param deliverBy a requested delivery date: when present, only centers whose estimated delivery
 *     date is on or before it may ship
 */
public record PlanningOptions(boolean preferSingleShipment, double costWeight, Optional<LocalDate> deliverBy) {

    /** The default cost weight. */
    public static final double DEFAULT_COST_WEIGHT = 0.5;

    /** @throws IllegalArgumentException naming the field when a value is missing or out of range */
    public PlanningOptions {
        Valid.range("costWeight", costWeight, 0.0, 1.0);
        Valid.notNull("deliverBy", deliverBy);
    }

    /** Prefer a single shipment, cost weight 0.5, no requested date. */
    public static PlanningOptions defaults() {
        return new PlanningOptions(true, DEFAULT_COST_WEIGHT, Optional.empty());
    }

    /** Starts from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link PlanningOptions}; every setter validates its argument. */
    public static final class Builder {
        private boolean preferSingleShipment = true;
        private double costWeight = DEFAULT_COST_WEIGHT;
        private Optional<LocalDate> deliverBy = Optional.empty();

        private Builder() {
        }

        /** Whether one shipment wins whenever one exists (default true). */
        public Builder preferSingleShipment(boolean prefer) {
            this.preferSingleShipment = prefer;
            return this;
        }

        /** The weight of cost in the score, 0..1 (default 0.5). */
        public Builder costWeight(double costWeight) {
            this.costWeight = Valid.range("costWeight", costWeight, 0.0, 1.0);
            return this;
        }

        /** Only centers that deliver on or before {@code date} may ship. */
        public Builder deliverBy(LocalDate date) {
            this.deliverBy = Optional.of(Valid.notNull("deliverBy", date));
            return this;
        }

        /** Builds the options. */
        public PlanningOptions build() {
            return new PlanningOptions(preferSingleShipment, costWeight, deliverBy);
        }
    }
}
