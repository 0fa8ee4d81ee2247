package dev.inventory.core;

import java.time.Instant;

/**
 * The quantities of one SKU at one location (DESIGN section 2), as of {@link #version()}.
 *
 * <p>Invariants every store keeps: every quantity is {@code >= 0}; {@code allocated + reserved +
 * damaged <= onHand}; {@code version} strictly increases with every change.
 *
 * @param sku the SKU
 * @param locationId the location
 * @param onHand physical count, damaged units included
 * @param allocated committed to confirmed orders, not yet shipped
 * @param reserved held for checkouts in progress (ACTIVE and PENDING holds)
 * @param damaged physically present but not sellable
 * @param safetyStock kept back from online sale
 * @param inTransitIn on its way here by transfer
 * @param inTransitOut shipped from here by transfer, not yet received
 * @param reorderPoint available at or below this fires {@code inventory.level.below_threshold}; 0 disables
 * @param maxStock the level replenishment fills up to
 * @param sellable false takes the level off sale ({@link #available()} is 0)
 * @param receivingBlocked true rejects receipts
 * @param version +1 on every change
 * @param updatedAt when the last change happened
 */
public record StockLevel(
        Sku sku,
        LocationId locationId,
        long onHand,
        long allocated,
        long reserved,
        long damaged,
        long safetyStock,
        long inTransitIn,
        long inTransitOut,
        long reorderPoint,
        long maxStock,
        boolean sellable,
        boolean receivingBlocked,
        long version,
        Instant updatedAt) {

    /** Validates presence of the ids and that no quantity is negative. */
    public StockLevel {
        Checks.notNull("sku", sku);
        Checks.notNull("locationId", locationId);
        Checks.notNull("updatedAt", updatedAt);
        if (onHand < 0 || allocated < 0 || reserved < 0 || damaged < 0 || safetyStock < 0 || inTransitIn < 0
                || inTransitOut < 0 || reorderPoint < 0 || maxStock < 0 || version < 0) {
            throw new IllegalArgumentException("quantities must not be negative: " + describe(sku, locationId,
                    onHand, allocated, reserved, damaged));
        }
    }

    /** A level that does not exist yet: every quantity 0, sellable, version 0. */
    public static StockLevel empty(Sku sku, LocationId locationId, Instant at) {
        return new StockLevel(sku, locationId, 0, 0, 0, 0, 0, 0, 0, 0, 0, true, false, 0, at);
    }

    /**
     * What can be promised to a new checkout:
     * {@code max(0, onHand - damaged - allocated - reserved - safetyStock)}, or 0 when not sellable.
     */
    public long available() {
        if (!sellable) {
            return 0;
        }
        return Math.max(0, onHand - damaged - allocated - reserved - safetyStock);
    }

    /** Physical units not promised to anyone: {@code onHand - allocated - reserved - damaged}. */
    public long unpromised() {
        return onHand - allocated - reserved - damaged;
    }

    /** Whether the invariants I1 and I2 hold for these quantities. */
    public boolean isConsistent() {
        return onHand >= 0 && allocated >= 0 && reserved >= 0 && damaged >= 0 && safetyStock >= 0
                && inTransitIn >= 0 && inTransitOut >= 0 && allocated + reserved + damaged <= onHand;
    }

    /** Returns this level with the given physical quantities, version + 1 and {@code updatedAt = at}. */
    public StockLevel withQuantities(long onHand, long allocated, long reserved, long damaged, Instant at) {
        return new StockLevel(sku, locationId, onHand, allocated, reserved, damaged, safetyStock, inTransitIn,
                inTransitOut, reorderPoint, maxStock, sellable, receivingBlocked, version + 1, at);
    }

    /** Returns this level with the given in-transit quantities, version + 1 and {@code updatedAt = at}. */
    public StockLevel withTransit(long onHand, long inTransitIn, long inTransitOut, Instant at) {
        return new StockLevel(sku, locationId, onHand, allocated, reserved, damaged, safetyStock, inTransitIn,
                inTransitOut, reorderPoint, maxStock, sellable, receivingBlocked, version + 1, at);
    }

    /** Returns this level with the given thresholds and flags, version + 1 and {@code updatedAt = at}. */
    public StockLevel withSettings(long reorderPoint, long safetyStock, long maxStock, boolean sellable,
            boolean receivingBlocked, Instant at) {
        return new StockLevel(sku, locationId, onHand, allocated, reserved, damaged, safetyStock, inTransitIn,
                inTransitOut, reorderPoint, maxStock, sellable, receivingBlocked, version + 1, at);
    }

    /** Returns this level unchanged but for version + 1 and {@code updatedAt = at}. */
    public StockLevel touched(Instant at) {
        return withQuantities(onHand, allocated, reserved, damaged, at);
    }

    private static String describe(Sku sku, LocationId loc, long onHand, long allocated, long reserved,
            long damaged) {
        return sku + "@" + loc + " onHand=" + onHand + " allocated=" + allocated + " reserved=" + reserved
                + " damaged=" + damaged;
    }
}
