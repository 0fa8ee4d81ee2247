package dev.inventory.core;

/**
 * Bounds on quantities. Every quantity a caller passes is at most {@link #MAX} (one billion), so
 * no sum or difference the stores compute can overflow a {@code long}, even over millions of
 * holds.
 */
public final class Quantity {
    /** The largest quantity one call may move, and the largest threshold one may set. */
    public static final long MAX = 1_000_000_000L;

    private Quantity() {
    }

    /**
     * Checks that {@code value} is in {@code 1..MAX}.
     *
     * @return the value
     * @throws IllegalArgumentException naming {@code field} and the value otherwise
     */
    public static long requirePositive(String field, long value) {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException(field + " must be between 1 and " + MAX + ", was " + value);
        }
        return value;
    }

    /**
     * Checks that {@code value} is in {@code 0..MAX}.
     *
     * @return the value
     * @throws IllegalArgumentException naming {@code field} and the value otherwise
     */
    public static long requireNonNegative(String field, long value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException(field + " must be between 0 and " + MAX + ", was " + value);
        }
        return value;
    }

    /**
     * Checks that {@code value} is a non-zero delta in {@code -MAX..MAX}.
     *
     * @return the value
     * @throws IllegalArgumentException naming {@code field} and the value otherwise
     */
    public static long requireDelta(String field, long value) {
        if (value == 0 || value < -MAX || value > MAX) {
            throw new IllegalArgumentException(field + " must be non-zero and between -" + MAX + " and " + MAX
                    + ", was " + value);
        }
        return value;
    }
}
