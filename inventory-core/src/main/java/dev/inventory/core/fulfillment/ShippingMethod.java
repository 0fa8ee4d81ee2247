package dev.inventory.core.fulfillment;

import java.time.LocalTime;

/**
 * A way a center ships: a named service at a {@link DeliverySpeed}, with a daily cutoff in the
 * center's time zone. An order placed before the cutoff on an operating day ships that day; at or
 * after the cutoff, or on a closed day, it ships the next operating day.
 *
 * @param name the carrier service, e.g. "UPS Ground"; 1-64 characters
 * @param speed the speed it delivers at
 * @param cutoff the latest local time (exclusive) an order can be placed to ship the same day
 */
public record ShippingMethod(String name, DeliverySpeed speed, LocalTime cutoff) {

    /** @throws IllegalArgumentException naming the field when a value is missing or malformed */
    public ShippingMethod {
        Valid.text("name", name, 64);
        Valid.notNull("speed", speed);
        Valid.notNull("cutoff", cutoff);
    }

    /** A method named after its speed. */
    public static ShippingMethod of(DeliverySpeed speed, LocalTime cutoff) {
        return new ShippingMethod(Valid.notNull("speed", speed).name(), speed, cutoff);
    }

    /** Shorthand for the constructor. */
    public static ShippingMethod of(String name, DeliverySpeed speed, LocalTime cutoff) {
        return new ShippingMethod(name, speed, cutoff);
    }
}
