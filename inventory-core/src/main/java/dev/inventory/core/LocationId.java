package dev.inventory.core;

/**
 * A stock location (warehouse, store, fulfilment center) identifier: 1-64 characters of
 * {@code A-Z a-z 0-9 . _ -}.
 *
 * @param value the identifier
 */
public record LocationId(String value) implements Comparable<LocationId> {
    /** @throws IllegalArgumentException naming the field and the value when it is malformed */
    public LocationId {
        Ids.requireId("locationId", value);
    }

    /** Returns the location id for {@code value}, validated. */
    public static LocationId of(String value) {
        return new LocationId(value);
    }

    @Override
    public int compareTo(LocationId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
