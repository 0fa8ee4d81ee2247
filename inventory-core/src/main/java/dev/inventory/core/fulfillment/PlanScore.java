package dev.inventory.core.fulfillment;

/**
 * How a plan scores; lower is better, everything in [0,1]. With cost weight {@code w}:
 *
 * <pre>
 * total = w * cost + (1 - w) * (0.50 * speed + 0.25 * utilization + 0.25 * depth)
 * </pre>
 *
 * Each component is normalised across the candidate centers of the order (the centers that serve
 * the destination at the speed and hold stock of some line):
 *
 * <ul>
 *   <li>{@code cost}: {@code (totalCost - low) / (high - low)}, clamped to [0,1]; {@code low} is the
 *       cheapest candidate's cost of shipping the whole order in one parcel, {@code high} the sum over
 *       lines of the dearest candidate's cost of shipping that line alone;
 *   <li>{@code speed}: {@code (latestDelivery - earliest) / (latest - earliest)} in days over the
 *       candidates' delivery estimates;
 *   <li>{@code utilization}: the unit-weighted mean of the shipping centers' utilization, each
 *       rescaled to [0,1] between the least and the most utilized candidate;
 *   <li>{@code depth}: the unit-weighted mean, over the units shipped, of how little stock the center
 *       keeps of that line's SKU: for each line the centers holding its SKU are ranked from the one
 *       that would keep the most after shipping the whole line (0) to the one that would keep the
 *       least (1).
 * </ul>
 *
 * A component whose range is empty (all candidates alike) is 0.
 *
 * @param total the weighted score
 * @param cost normalised cost
 * @param speed normalised latest delivery
 * @param utilization normalised utilization
 * @param depth normalised stock depth
 */
public record PlanScore(double total, double cost, double speed, double utilization, double depth) {

    /** The share of {@code 1 - costWeight} that goes to speed. */
    public static final double SPEED_SHARE = 0.50;
    /** The share of {@code 1 - costWeight} that goes to utilization. */
    public static final double UTILIZATION_SHARE = 0.25;
    /** The share of {@code 1 - costWeight} that goes to stock depth. */
    public static final double DEPTH_SHARE = 0.25;

    /** @throws IllegalArgumentException naming the field when a value is outside [0,1] */
    public PlanScore {
        Valid.range("total", total, 0.0, 1.0);
        Valid.range("cost", cost, 0.0, 1.0);
        Valid.range("speed", speed, 0.0, 1.0);
        Valid.range("utilization", utilization, 0.0, 1.0);
        Valid.range("depth", depth, 0.0, 1.0);
    }
}
