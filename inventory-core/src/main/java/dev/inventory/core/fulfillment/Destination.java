package dev.inventory.core.fulfillment;

/**
 * Where an order goes.
 *
 * @param postalCode 1-16 characters of letters, digits, space and hyphen; matched against the
 *     centers' service regions ignoring case, spaces and hyphens
 * @param location the delivery address's coordinates
 */
public record Destination(String postalCode, Coordinates location) {

    /** @throws IllegalArgumentException naming the field when a value is missing or malformed */
    public Destination {
        Valid.postal("postalCode", postalCode);
        Valid.notNull("location", location);
    }

    /** Shorthand for {@code new Destination(postalCode, Coordinates.of(latitude, longitude))}. */
    public static Destination of(String postalCode, double latitude, double longitude) {
        return new Destination(postalCode, Coordinates.of(latitude, longitude));
    }
}
