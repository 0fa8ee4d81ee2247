package dev.inventory.core.fulfillment;

import dev.inventory.core.Inventory;
import dev.inventory.core.ReservationId;
import java.time.Clock;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Chooses where an order ships from, and can reserve exactly that (DESIGN section 7).
 *
 * <pre>{@code
 * FulfillmentPlanner planner = FulfillmentPlanner.builder(inventory)
 *         .centers(List.of(berlin, hamburg))
 *         .build();
 * Order order = Order.builder("order-7").line("TEE-M", 2).line(OrderLine.of("GRILL", 1).requiring(Capability.OVERSIZED)).build();
 * var result = planner.planAndReserve(order, Destination.of("10115", 52.53, 13.38), DeliverySpeed.STANDARD,
 *         PlanningOptions.defaults(), ReservationId.of("checkout-7"));
 * if (result instanceof PlanAndReserveResult.Reserved r) {
 *     r.plan().shipments().forEach(s -> System.out.println(s.centerId() + " " + s.lines() + " " + s.deliveryDate()));
 * }
 * }</pre>
 *
 * <p>A center may ship a line only if it serves the destination's postal code, has a method at the
 * requested speed that reaches the destination (by the requested date, if any), has spare capacity,
 * has every capability the line requires, and holds available stock of its SKU. Among the plans that
 * cover the order exactly, the planner returns a single shipment when one exists and the options
 * prefer it; otherwise the plan with the lowest {@link PlanScore} it finds (lines may be split across
 * centers, even one line). Ties break by fewer shipments, then lower center ids. Planning reads stock
 * and never changes it. Thread-safe.
 */
public interface FulfillmentPlanner {

    /**
     * Plans {@code order} to {@code destination} at {@code speed}.
     *
     * @return the plan, or {@link PlanResult.CannotFulfil} with the shortage of each line the eligible
     *     centers cannot cover
     */
    PlanResult plan(Order order, Destination destination, DeliverySpeed speed, PlanningOptions options);

    /** Plans with {@link PlanningOptions#defaults()}. */
    default PlanResult plan(Order order, Destination destination, DeliverySpeed speed) {
        return plan(order, destination, speed, PlanningOptions.defaults());
    }

    /**
     * Plans the order and holds exactly the plan, in one all-or-nothing reservation under
     * {@code reservationId} (the order's id becomes the hold's order id): each reservation line is a
     * SKU at the center that ships it, so the reserved location is always the fulfilling location.
     *
     * <ul>
     *   <li>If a hold with this id already covers the order (a repeated call), returns
     *       {@link PlanAndReserveResult.AlreadyReserved} without planning.
     *   <li>If stock moved between planning and reserving and the reservation is refused, plans once
     *       more from fresh stock and tries again; if that fails too, returns
     *       {@link PlanAndReserveResult.NotReserved}. Nothing is held after a refusal.
     * </ul>
     */
    PlanAndReserveResult planAndReserve(Order order, Destination destination, DeliverySpeed speed,
            PlanningOptions options, ReservationId reservationId);

    /** Starts a planner over {@code inventory}'s stock. */
    static Builder builder(Inventory inventory) {
        return new Builder(inventory);
    }

    /**
     * Builds a {@link FulfillmentPlanner}. Centers are required (a fixed list, or a supplier read on
     * every plan so utilization can change); the estimator defaults to
     * {@link ShippingEstimator#defaultEstimator()}, the clock to the inventory's.
     */
    final class Builder {
        final Inventory inventory;
        Supplier<? extends Collection<? extends FulfillmentCenter>> centers;
        java.util.List<FulfillmentCenter> fixedCenters;
        ShippingEstimator estimator = ShippingEstimator.defaultEstimator();
        Clock clock;

        Builder(Inventory inventory) {
            this.inventory = Valid.notNull("inventory", inventory);
            this.clock = inventory.clock();
        }

        /** A fixed set of centers; ids must be unique. */
        public Builder centers(Collection<FulfillmentCenter> centers) {
            this.fixedCenters = DefaultFulfillmentPlanner.sortedUnique(Valid.notNull("centers", centers));
            this.centers = null;
            return this;
        }

        /** Centers read on every plan (for live utilization); ids must be unique. */
        public Builder centers(Supplier<? extends Collection<? extends FulfillmentCenter>> centers) {
            this.centers = Valid.notNull("centers", centers);
            this.fixedCenters = null;
            return this;
        }

        /** The shipping estimator (default {@link ShippingEstimator#defaultEstimator()}). */
        public Builder estimator(ShippingEstimator estimator) {
            this.estimator = Valid.notNull("estimator", estimator);
            return this;
        }

        /** The clock that says when an order is placed (default: the inventory's clock). */
        public Builder clock(Clock clock) {
            this.clock = Valid.notNull("clock", clock);
            return this;
        }

        /** @throws IllegalArgumentException when no centers were given */
        public FulfillmentPlanner build() {
            if (centers == null && fixedCenters == null) {
                throw new IllegalArgumentException("centers must be set");
            }
            return new DefaultFulfillmentPlanner(this);
        }
    }
}
