package dev.inventory.core.event;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The catalogue of domain event types (DESIGN section 6), with their wire names. */
public enum EventType {
    /** A hold took stock: reserved went up. */
    RESERVED("inventory.reserved"),
    /** Payment started on a hold; its expiry was extended. */
    RESERVATION_PENDING("inventory.reservation.pending"),
    /** A hold was confirmed: reserved moved to allocated. */
    CONFIRMED("inventory.confirmed"),
    /** A hold was released by the caller: reserved went down. */
    RELEASED("inventory.released"),
    /** A hold expired: reserved went down. */
    EXPIRED("inventory.expired"),
    /** A confirmed hold was cancelled: allocated went down. */
    CANCELLED("inventory.cancelled"),
    /** A confirmed hold was fulfilled: allocated and onHand went down. */
    FULFILLED("inventory.fulfilled"),
    /** Goods were received: onHand went up. */
    RESTOCKED("inventory.restocked"),
    /** onHand was corrected (adjustment, cycle count) or the level's settings changed. */
    ADJUSTED("inventory.adjusted"),
    /** Units were marked damaged. */
    DAMAGED("inventory.damaged"),
    /** A transfer left its source (emitted for the source and the destination level). */
    TRANSFER_SHIPPED("inventory.transfer.shipped"),
    /** A transfer arrived (emitted for the destination and the source level). */
    TRANSFER_RECEIVED("inventory.transfer.received"),
    /** Available crossed down to the reorder point or below. */
    BELOW_THRESHOLD("inventory.level.below_threshold"),
    /** Available crossed down to zero. */
    OUT_OF_STOCK("inventory.out_of_stock"),
    /** Available crossed up from zero. */
    BACK_IN_STOCK("inventory.back_in_stock"),
    /** A cycle count differed from the books by more than the configured thresholds. */
    CYCLE_COUNT_VARIANCE("inventory.cycle_count.variance");

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in JSON, Kafka headers, outbox rows and journal entries. */
    public String wireName() {
        return wireName;
    }

    /**
     * Finds a type by its wire name.
     *
     * @throws IllegalArgumentException when no type has that name
     */
    public static EventType ofWireName(String wireName) {
        EventType type = BY_WIRE_NAME.get(wireName);
        if (type == null) {
            throw new IllegalArgumentException("type must be one of " + BY_WIRE_NAME.keySet() + ", was " + wireName);
        }
        return type;
    }
}
