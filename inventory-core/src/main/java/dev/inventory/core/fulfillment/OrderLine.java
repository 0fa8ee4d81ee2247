package dev.inventory.core.fulfillment;

import dev.inventory.core.Quantity;
import dev.inventory.core.Sku;
import java.util.Arrays;
import java.util.Set;

/**
 * One line of an order to plan.
 *
 * @param sku the SKU
 * @param quantity 1..{@link Quantity#MAX}
 * @param requirements the capabilities a center needs to ship this line (hazmat, oversized, refrigerated)
 * @param unitWeightGrams the weight of one unit in grams, 0..{@link #MAX_UNIT_WEIGHT_GRAMS}
 */
public record OrderLine(Sku sku, long quantity, Set<Capability> requirements, long unitWeightGrams) {

    /** The heaviest unit a line may declare: one tonne. */
    public static final long MAX_UNIT_WEIGHT_GRAMS = 1_000_000L;

    /** @throws IllegalArgumentException naming the field when a value is missing or out of range */
    public OrderLine {
        Valid.notNull("sku", sku);
        Quantity.requirePositive("quantity", quantity);
        requirements = Valid.enumSet("requirements", Capability.class, requirements);
        Valid.range("unitWeightGrams", unitWeightGrams, 0, MAX_UNIT_WEIGHT_GRAMS);
    }

    /** A line with no special requirements and no weight. */
    public static OrderLine of(Sku sku, long quantity) {
        return new OrderLine(sku, quantity, Set.of(), 0);
    }

    /** A line with no special requirements and no weight. */
    public static OrderLine of(String sku, long quantity) {
        return of(Sku.of(sku), quantity);
    }

    /** Returns this line also requiring {@code capabilities}. */
    public OrderLine requiring(Capability... capabilities) {
        Valid.notNull("capabilities", capabilities);
        var all = new java.util.ArrayList<>(requirements);
        all.addAll(Arrays.asList(capabilities));
        return new OrderLine(sku, quantity, Valid.enumSet("capabilities", Capability.class, all), unitWeightGrams);
    }

    /** Returns this line with each unit weighing {@code unitWeightGrams}. */
    public OrderLine weighing(long unitWeightGrams) {
        return new OrderLine(sku, quantity, requirements, unitWeightGrams);
    }

    /** The line's weight: quantity times unit weight, in grams. */
    public long weightGrams() {
        return quantity * unitWeightGrams;
    }
}
