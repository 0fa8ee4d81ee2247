package dev.inventory.kafka;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The order events the inventory consumes (DESIGN section 6), with their wire names. */
public enum OrderEventType {
    /** {@code order.placed}: the checkout became an order. */
    PLACED("order.placed"),
    /** {@code order.payment.confirmed}: payment succeeded. */
    PAYMENT_CONFIRMED("order.payment.confirmed"),
    /** {@code order.cancelled}: the order was cancelled. */
    CANCELLED("order.cancelled"),
    /** {@code order.shipped}: the order left the warehouse. */
    SHIPPED("order.shipped");

    private static final Map<String, OrderEventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(OrderEventType::wireName,
                    Function.identity()));

    private final String wireName;

    OrderEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the {@code eventType} field. */
    public String wireName() {
        return wireName;
    }

    /**
     * The type whose wire name is {@code name}.
     *
     * @throws IllegalArgumentException when there is none
     */
    public static OrderEventType ofWireName(String name) {
        OrderEventType t = name == null ? null : BY_WIRE_NAME.get(name);
        if (t == null) {
            throw new IllegalArgumentException("eventType must be one of " + BY_WIRE_NAME.keySet() + ", was " + name);
        }
        return t;
    }
}
