package dev.inventory.core;

/**
 * One line of a hold: {@code quantity} units of {@code sku} at {@code locationId}.
 *
 * @param sku the SKU
 * @param locationId where the units are held
 * @param quantity 1..{@link Quantity#MAX}
 */
public record ReservationLine(Sku sku, LocationId locationId, long quantity) implements Comparable<ReservationLine> {
    /** @throws IllegalArgumentException naming the field when a value is null or out of range */
    public ReservationLine {
        Checks.notNull("sku", sku);
        Checks.notNull("locationId", locationId);
        Quantity.requirePositive("quantity", quantity);
    }

    /** Shorthand for {@code new ReservationLine(Sku.of(sku), LocationId.of(locationId), quantity)}. */
    public static ReservationLine of(String sku, String locationId, long quantity) {
        return new ReservationLine(Sku.of(sku), LocationId.of(locationId), quantity);
    }

    /** Orders lines by SKU, then location: the one lock order every store uses. */
    @Override
    public int compareTo(ReservationLine o) {
        int c = sku.compareTo(o.sku);
        return c != 0 ? c : locationId.compareTo(o.locationId);
    }
}
