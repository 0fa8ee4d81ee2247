package dev.inventory.core.fulfillment;

/**
 * A point on the earth in decimal degrees (WGS 84).
 *
 * @param latitude -90..90
 * @param longitude -180..180
 */
public record Coordinates(double latitude, double longitude) {

    /** The mean earth radius the distances use, in kilometres. */
    public static final double EARTH_RADIUS_KM = 6371.0088;

    /** @throws IllegalArgumentException naming the field when a value is out of range or not a number */
    public Coordinates {
        Valid.range("latitude", latitude, -90, 90);
        Valid.range("longitude", longitude, -180, 180);
    }

    /** Shorthand for the constructor. */
    public static Coordinates of(double latitude, double longitude) {
        return new Coordinates(latitude, longitude);
    }

    /** The great-circle distance to {@code other} in kilometres (haversine formula). */
    public double distanceKm(Coordinates other) {
        Valid.notNull("other", other);
        double lat1 = Math.toRadians(latitude);
        double lat2 = Math.toRadians(other.latitude);
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(other.longitude - longitude);
        double sinLat = Math.sin(dLat / 2);
        double sinLon = Math.sin(dLon / 2);
        double h = sinLat * sinLat + Math.cos(lat1) * Math.cos(lat2) * sinLon * sinLon;
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }
}
