package dev.inventory.core.processing;

import dev.inventory.core.Quantity;

/**
 * Whether a SKU may be ordered beyond its available stock, and how far.
 *
 * @param mode what is accepted
 * @param maxQuantity the most units of the SKU that may wait in the backorder queue at once (over
 *     all locations), 0..{@link Quantity#MAX}
 */
public record BackorderPolicy(Mode mode, long maxQuantity) {

    /** No backorders, no pre-orders: a short line is refused. */
    public static final BackorderPolicy NOT_ALLOWED = new BackorderPolicy(Mode.NONE, 0);

    /** Validates. */
    public BackorderPolicy {
        Fields.notNull("mode", mode);
        Quantity.requireNonNegative("maxQuantity", maxQuantity);
    }

    /** Backorders (and so pre-orders) of up to {@code maxQuantity} units at once. */
    public static BackorderPolicy backorders(long maxQuantity) {
        return new BackorderPolicy(Mode.BACKORDER, maxQuantity);
    }

    /** Pre-orders only (covered by units in transit in), up to {@code maxQuantity} units at once. */
    public static BackorderPolicy preorders(long maxQuantity) {
        return new BackorderPolicy(Mode.PREORDER, maxQuantity);
    }

    /** What a policy accepts. */
    public enum Mode {
        /** Nothing beyond available stock. */
        NONE,
        /**
         * A short line waits when the units it needs are on their way: what is queued at its location
         * plus its quantity is at most that location's available plus inTransitIn.
         */
        PREORDER,
        /** A short line waits whatever is incoming. */
        BACKORDER
    }
}
