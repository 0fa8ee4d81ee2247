package dev.inventory.core.processing;

import dev.inventory.core.Quantity;

/**
 * When a cycle count raises an {@code inventory.cycle_count.variance} alert: when the variance
 * (counted minus what the books said at the count's timestamp) is more than {@code units} units
 * or more than {@code percent} % of what the books said, in absolute value. Exactly at a threshold
 * does not alert. A count that differs from books of 0 is an infinite percentage and alerts.
 *
 * @param units the unit threshold, 0..{@link Quantity#MAX}
 * @param percent the percentage threshold, 0..100000 (finite)
 */
public record VarianceThresholds(long units, double percent) {

    /** The default: more than 10 units or more than 5 %. */
    public static final VarianceThresholds DEFAULT = new VarianceThresholds(10, 5.0);

    /** Validates. */
    public VarianceThresholds {
        Quantity.requireNonNegative("units", units);
        if (!(percent >= 0 && percent <= 100_000)) {
            throw new IllegalArgumentException("percent must be between 0 and 100000, was " + percent);
        }
    }

    /** Whether a count of {@code previousCount + variance} against books of {@code previousCount} alerts. */
    public boolean exceededBy(long previousCount, long variance) {
        long magnitude = Math.abs(variance);
        if (magnitude > units) {
            return true;
        }
        if (magnitude == 0) {
            return false;
        }
        if (previousCount <= 0) {
            return true;
        }
        return magnitude * 100.0 > percent * previousCount;
    }
}
