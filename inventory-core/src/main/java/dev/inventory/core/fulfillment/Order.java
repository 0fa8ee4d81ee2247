package dev.inventory.core.fulfillment;

import dev.inventory.core.Reservation;
import dev.inventory.core.Sku;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An order to plan: its lines, one per SKU.
 *
 * @param id the order's id, 1-128 non-blank characters; it becomes the reservation's order id
 * @param lines 1-{@link #MAX_LINES} lines, no SKU twice, in the caller's order
 */
public record Order(String id, List<OrderLine> lines) {

    /** The most lines one order may have (a reservation holds at most {@link Reservation#MAX_LINES}). */
    public static final int MAX_LINES = 50;

    /** The heaviest order: 1,000 tonnes, in grams (keeps every cost computation far from overflow). */
    public static final long MAX_WEIGHT_GRAMS = 1_000_000_000_000L;

    /** @throws IllegalArgumentException naming the field when a value is missing or a SKU repeats */
    public Order {
        Valid.text("id", id, 128);
        Valid.notNull("lines", lines);
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("lines must hold 1-" + MAX_LINES + " lines, was " + lines.size());
        }
        Set<Sku> seen = new HashSet<>();
        double weight = 0;
        for (OrderLine line : lines) {
            Valid.notNull("lines element", line);
            if (!seen.add(line.sku())) {
                throw new IllegalArgumentException("lines must not repeat a SKU, was " + line.sku() + " twice");
            }
            weight += (double) line.quantity() * line.unitWeightGrams();
        }
        if (weight > MAX_WEIGHT_GRAMS) {
            throw new IllegalArgumentException("lines must weigh at most " + MAX_WEIGHT_GRAMS + " g in total, was "
                    + (long) weight + " g");
        }
        lines = List.copyOf(lines);
    }

    /** Shorthand for the constructor. */
    public static Order of(String id, List<OrderLine> lines) {
        return new Order(id, lines);
    }

    /** Starts an order. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Total units over all lines. */
    public long totalQuantity() {
        long sum = 0;
        for (OrderLine line : lines) {
            sum += line.quantity();
        }
        return sum;
    }

    /** Total weight in grams. */
    public long weightGrams() {
        long sum = 0;
        for (OrderLine line : lines) {
            sum += line.weightGrams();
        }
        return sum;
    }

    /** Builds an {@link Order}. */
    public static final class Builder {
        private final String id;
        private final List<OrderLine> lines = new ArrayList<>();

        private Builder(String id) {
            this.id = Valid.text("id", id, 128);
        }

        /** Adds a line. */
        public Builder line(OrderLine line) {
            lines.add(Valid.notNull("line", line));
            return this;
        }

        /** Adds a plain line. */
        public Builder line(String sku, long quantity) {
            return line(OrderLine.of(sku, quantity));
        }

        /** @throws IllegalArgumentException when there is no line or a SKU repeats */
        public Order build() {
            return new Order(id, lines);
        }
    }
}
