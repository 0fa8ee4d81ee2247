package dev.inventory.core.fulfillment;

import dev.inventory.core.Inventory;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The one implementation of {@link FulfillmentPlanner}. */
final class DefaultFulfillmentPlanner implements FulfillmentPlanner {
    private final Inventory inventory;
    /** The centers sorted by id when fixed at build time, else null. */
    private final List<FulfillmentCenter> fixedCenters;
    private final Supplier<? extends Collection<? extends FulfillmentCenter>> centers;
    private final ShippingEstimator estimator;
    private final Clock clock;

    DefaultFulfillmentPlanner(FulfillmentPlanner.Builder b) {
        this.inventory = b.inventory;
        this.fixedCenters = b.fixedCenters;
        this.centers = b.centers;
        this.estimator = b.estimator;
        this.clock = b.clock;
    }

    static List<FulfillmentCenter> sortedUnique(Collection<? extends FulfillmentCenter> centers) {
        List<FulfillmentCenter> sorted = new ArrayList<>(centers.size());
        for (FulfillmentCenter center : centers) {
            sorted.add(Valid.notNull("centers element", center));
        }
        sorted.sort(Comparator.comparing(FulfillmentCenter::id));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
                throw new IllegalArgumentException("centers must have unique ids, was " + sorted.get(i).id()
                        + " twice");
            }
        }
        return List.copyOf(sorted);
    }

    @Override
    public PlanResult plan(Order order, Destination destination, DeliverySpeed speed, PlanningOptions options) {
        PlanningProblem problem = problem(order, destination, speed, options);
        if (!problem.shortages.isEmpty()) {
            return new PlanResult.CannotFulfil(problem.shortages);
        }
        PlanSearch.Solution best = new PlanSearch(problem).solve();
        return new PlanResult.Planned(problem.toPlan(best.open(), best.open().length, best.x()));
    }

    /** The planning instance for this call (package-private so tests can search it exhaustively). */
    PlanningProblem problem(Order order, Destination destination, DeliverySpeed speed, PlanningOptions options) {
        Valid.notNull("order", order);
        Valid.notNull("destination", destination);
        Valid.notNull("speed", speed);
        Valid.notNull("options", options);
        List<FulfillmentCenter> current = fixedCenters;
        if (current == null) {
            Collection<? extends FulfillmentCenter> supplied = centers.get();
            if (supplied == null) {
                throw new IllegalStateException("the centers supplier returned null");
            }
            current = sortedUnique(supplied);
        }
        return PlanningProblem.build(order, destination, speed, options, current, inventory::levels,
                estimator, clock.instant());
    }

    @Override
    public PlanAndReserveResult planAndReserve(Order order, Destination destination, DeliverySpeed speed,
            PlanningOptions options, ReservationId reservationId) {
        Valid.notNull("reservationId", reservationId);
        Valid.notNull("order", order);
        Optional<Reservation> existing = inventory.reservations().find(reservationId);
        if (existing.isPresent() && covers(existing.get(), order)) {
            return new PlanAndReserveResult.AlreadyReserved(existing.get());
        }
        FulfillmentPlan plan = null;
        ReservationResult last = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            PlanResult planned = plan(order, destination, speed, options);
            if (planned instanceof PlanResult.CannotFulfil cannot) {
                return cannot;
            }
            plan = ((PlanResult.Planned) planned).plan();
            List<ReservationLine> lines = plan.reservationLines();
            if (lines.size() > Reservation.MAX_LINES) {
                throw new IllegalArgumentException("order " + order.id() + " needs " + lines.size()
                        + " reservation lines (SKU x center), more than the " + Reservation.MAX_LINES
                        + " one reservation holds");
            }
            last = inventory.reservations().reserve(ReservationRequest.builder(reservationId).lines(lines)
                    .orderId(order.id()).build());
            if (last instanceof ReservationResult.Success success) {
                return new PlanAndReserveResult.Reserved(plan, success.value(), attempt);
            }
            if (last instanceof ReservationResult.Replayed replayed) {
                // a concurrent call with the same id and the same plan got there first
                return new PlanAndReserveResult.AlreadyReserved(replayed.value());
            }
            if (last instanceof ReservationResult.IdConflict conflict) {
                return covers(conflict.existing(), order)
                        ? new PlanAndReserveResult.AlreadyReserved(conflict.existing())
                        : new PlanAndReserveResult.NotReserved(plan, last);
            }
            if (!(last instanceof ReservationResult.InsufficientStock)) {
                break;
            }
        }
        return new PlanAndReserveResult.NotReserved(plan, last);
    }

    /** Whether the hold's lines add up, per SKU, to exactly the order's quantities. */
    static boolean covers(Reservation reservation, Order order) {
        Map<Sku, Long> held = new HashMap<>();
        for (ReservationLine line : reservation.lines()) {
            held.merge(line.sku(), line.quantity(), Long::sum);
        }
        if (held.size() != order.lines().size()) {
            return false;
        }
        for (OrderLine line : order.lines()) {
            Long quantity = held.get(line.sku());
            if (quantity == null || quantity != line.quantity()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "FulfillmentPlanner[" + estimator + "]";
    }
}
