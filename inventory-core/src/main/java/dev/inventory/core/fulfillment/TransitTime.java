package dev.inventory.core.fulfillment;

/**
 * How long one speed takes in transit, in calendar days after the ship date:
 * {@code baseDays + floor(distanceKm / extraDayEveryKm)}, and how far it reaches.
 *
 * @param baseDays days in transit at short range, 0..60 (0 = delivered the day it ships)
 * @param extraDayEveryKm one more day per this many kilometres; {@code Double.POSITIVE_INFINITY} for never
 * @param maxDistanceKm beyond this distance the speed is not offered; {@code Double.POSITIVE_INFINITY}
 *     for anywhere
 */
public record TransitTime(int baseDays, double extraDayEveryKm, double maxDistanceKm) {

    /** @throws IllegalArgumentException naming the field when a value is out of range */
    public TransitTime {
        Valid.range("baseDays", baseDays, 0, 60);
        if (!(extraDayEveryKm > 0)) {
            throw new IllegalArgumentException("extraDayEveryKm must be positive (or infinite), was "
                    + extraDayEveryKm);
        }
        if (!(maxDistanceKm > 0)) {
            throw new IllegalArgumentException("maxDistanceKm must be positive (or infinite), was " + maxDistanceKm);
        }
    }

    /** {@code baseDays} days at any distance. */
    public static TransitTime days(int baseDays) {
        return new TransitTime(baseDays, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Returns this transit time with one more day per {@code km}. */
    public TransitTime plusDayEvery(double km) {
        return new TransitTime(baseDays, km, maxDistanceKm);
    }

    /** Returns this transit time offered only up to {@code km}. */
    public TransitTime within(double km) {
        return new TransitTime(baseDays, extraDayEveryKm, km);
    }

    /** Whether the speed reaches {@code distanceKm}. */
    public boolean reaches(double distanceKm) {
        return distanceKm <= maxDistanceKm;
    }

    /** Calendar days in transit over {@code distanceKm}. */
    public int transitDays(double distanceKm) {
        if (Double.isInfinite(extraDayEveryKm)) {
            return baseDays;
        }
        return baseDays + (int) Math.min(366, Math.floor(distanceKm / extraDayEveryKm));
    }
}
