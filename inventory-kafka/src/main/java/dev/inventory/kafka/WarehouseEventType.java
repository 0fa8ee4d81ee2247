package dev.inventory.kafka;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The warehouse (WMS) event types the inventory consumes, named as the WMS sends them (DESIGN section 6). */
public enum WarehouseEventType {
    /** New stock received at {@code locationId} ({@code items}, optional {@code purchaseOrderId}). */
    RECEIVING_COMPLETE,
    /** Items picked for {@code orderId}: they leave sellable stock. */
    PICK_COMPLETE,
    /** Items packed for {@code orderId} (no quantity effect of its own). */
    PACK_COMPLETE,
    /** Items shipped for {@code orderId}: they left the location. */
    SHIP_COMPLETE,
    /** A count of {@code sku} at {@code locationId} differed from the books. */
    CYCLE_COUNT_ADJUSTMENT,
    /** Items found damaged at {@code locationId}. */
    DAMAGE_REPORT,
    /** Items sent from {@code fromLocationId} to {@code toLocationId}. */
    TRANSFER_SHIPPED,
    /** Items from {@code fromLocationId} arrived at {@code toLocationId}. */
    TRANSFER_RECEIVED;

    private static final Map<String, WarehouseEventType> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Enum::name, Function.identity()));

    /**
     * The type called {@code name}.
     *
     * @throws IllegalArgumentException when there is none
     */
    public static WarehouseEventType of(String name) {
        WarehouseEventType t = name == null ? null : BY_NAME.get(name);
        if (t == null) {
            throw new IllegalArgumentException("eventType must be one of " + Arrays.toString(values()) + ", was "
                    + name);
        }
        return t;
    }
}
