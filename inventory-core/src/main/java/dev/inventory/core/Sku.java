package dev.inventory.core;

/**
 * A stock keeping unit identifier: 1-64 characters of {@code A-Z a-z 0-9 . _ -}.
 *
 * <p>The alphabet is deliberately narrow so that no SKU can break a Redis key, a hash tag, a Kafka
 * key ({@code sku:locationId}) or a SQL statement.
 *
 * @param value the identifier
 */
public record Sku(String value) implements Comparable<Sku> {
    /** @throws IllegalArgumentException naming the field and the value when it is malformed */
    public Sku {
        Ids.requireId("sku", value);
    }

    /** Returns the SKU for {@code value}, validated. */
    public static Sku of(String value) {
        return new Sku(value);
    }

    @Override
    public int compareTo(Sku other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
