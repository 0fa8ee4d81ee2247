package dev.inventory.core.event;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A domain event: one state change of one SKU x location (DESIGN section 6). Every event carries a
 * time-ordered {@link #eventId()}, the level's quantities after the change and the
 * {@link #version()} the change produced, so consumers can deduplicate by id and drop stale events
 * by version.
 *
 * <p>Threshold events ({@link BelowThreshold}, {@link OutOfStock}, {@link BackInStock}) fire only
 * on the crossing, and carry the version of the change that crossed.
 */
public sealed interface InventoryEvent {

    /** Time-ordered (version 7) UUID, unique per event. */
    UUID eventId();

    /** The level after the change. */
    StockLevel level();

    /** When the change was applied. */
    Instant occurredAt();

    /** The catalogue type. */
    EventType type();

    /** The SKU. */
    default Sku sku() {
        return level().sku();
    }

    /** The location. */
    default LocationId locationId() {
        return level().locationId();
    }

    /** The level version the change produced. */
    default long version() {
        return level().version();
    }

    /** The reservation id, order id or caller reference the change belongs to, if any. */
    default Optional<String> reference() {
        return Optional.empty();
    }

    /** Events about one line of a hold. */
    sealed interface HoldEvent extends InventoryEvent {
        /** The hold. */
        ReservationId reservationId();

        /** The line's quantity. */
        long quantity();

        @Override
        default Optional<String> reference() {
            return Optional.of(reservationId().value());
        }
    }

    /** A hold took {@code quantity}: reserved went up. */
    record Reserved(UUID eventId, StockLevel level, Instant occurredAt, ReservationId reservationId, long quantity,
            Instant expiresAt) implements HoldEvent {
        @Override
        public EventType type() {
            return EventType.RESERVED;
        }
    }

    /** Payment started; the hold now expires at {@code expiresAt}. */
    record ReservationPending(UUID eventId, StockLevel level, Instant occurredAt, ReservationId reservationId,
            long quantity, Instant expiresAt) implements HoldEvent {
        @Override
        public EventType type() {
            return EventType.RESERVATION_PENDING;
        }
    }

    /** Reserved moved to allocated. */
    record Confirmed(UUID eventId, StockLevel level, Instant occurredAt, ReservationId reservationId, long quantity)
            implements HoldEvent {
        @Override
        public EventType type() {
            return EventType.CONFIRMED;
        }
    }

    /** The caller let the hold go: reserved went down. */
    record Released(UUID eventId, StockLevel level, Instant occurredAt, ReservationId reservationId, long quantity)
            implements HoldEvent {
        @Override
        public EventType type() {
            return EventType.RELEASED;
        }
    }

    /** The hold expired: reserved went down. */
    record Expired(UUID eventId, StockLevel level, Instant occurredAt, ReservationId reservationId, long quantity)
            implements HoldEvent {
        @Override
        public EventType type() {
            return EventType.EXPIRED;
        }
    }

    /** A confirmed hold was cancelled: allocated went down. */
    record Cancelled(UUID eventId, StockLevel level, Instant occurredAt, ReservationId reservationId, long quantity)
            implements HoldEvent {
        @Override
        public EventType type() {
            return EventType.CANCELLED;
        }
    }

    /** A confirmed hold was picked or shipped: allocated and onHand went down. */
    record Fulfilled(UUID eventId, StockLevel level, Instant occurredAt, ReservationId reservationId, long quantity)
            implements HoldEvent {
        @Override
        public EventType type() {
            return EventType.FULFILLED;
        }
    }

    /** Goods received: onHand went up by {@code quantity}. */
    record Restocked(UUID eventId, StockLevel level, Instant occurredAt, long quantity, Optional<String> reference)
            implements InventoryEvent {
        @Override
        public EventType type() {
            return EventType.RESTOCKED;
        }
    }

    /** onHand changed by {@code delta} (0 when only settings changed) for {@code reason}. */
    record Adjusted(UUID eventId, StockLevel level, Instant occurredAt, long delta, String reason,
            Optional<String> reference) implements InventoryEvent {
        @Override
        public EventType type() {
            return EventType.ADJUSTED;
        }
    }

    /** {@code quantity} units were marked damaged. */
    record Damaged(UUID eventId, StockLevel level, Instant occurredAt, long quantity, Optional<String> reference)
            implements InventoryEvent {
        @Override
        public EventType type() {
            return EventType.DAMAGED;
        }
    }

    /** A transfer of {@code quantity} left {@code from} for {@code to}; {@link #level()} is either end. */
    record TransferShipped(UUID eventId, StockLevel level, Instant occurredAt, LocationId from, LocationId to,
            long quantity, Optional<String> reference) implements InventoryEvent {
        @Override
        public EventType type() {
            return EventType.TRANSFER_SHIPPED;
        }
    }

    /** A transfer of {@code quantity} from {@code from} arrived at {@code to}; {@link #level()} is either end. */
    record TransferReceived(UUID eventId, StockLevel level, Instant occurredAt, LocationId from, LocationId to,
            long quantity, Optional<String> reference) implements InventoryEvent {
        @Override
        public EventType type() {
            return EventType.TRANSFER_RECEIVED;
        }
    }

    /**
     * Available crossed down to the reorder point; order {@code suggestedQuantity}
     * ({@code maxStock - onHand - inTransitIn}, at least 0).
     */
    record BelowThreshold(UUID eventId, StockLevel level, Instant occurredAt, long reorderPoint,
            long suggestedQuantity) implements InventoryEvent {
        @Override
        public EventType type() {
            return EventType.BELOW_THRESHOLD;
        }
    }

    /** Available crossed down to zero. */
    record OutOfStock(UUID eventId, StockLevel level, Instant occurredAt) implements InventoryEvent {
        @Override
        public EventType type() {
            return EventType.OUT_OF_STOCK;
        }
    }

    /** Available crossed up from zero. */
    record BackInStock(UUID eventId, StockLevel level, Instant occurredAt) implements InventoryEvent {
        @Override
        public EventType type() {
            return EventType.BACK_IN_STOCK;
        }
    }

    /**
     * A cycle count differed from the books by more than the thresholds.
     *
     * @param previousCount what the books said at the count's timestamp
     * @param newCount what was counted
     * @param variance {@code newCount - previousCount}
     */
    record CycleCountVariance(UUID eventId, StockLevel level, Instant occurredAt, long previousCount, long newCount,
            long variance, Optional<String> reference) implements InventoryEvent {
        @Override
        public EventType type() {
            return EventType.CYCLE_COUNT_VARIANCE;
        }
    }
}
