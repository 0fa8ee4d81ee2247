package dev.inventory.core.spi;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.StockLevel;
import dev.inventory.core.Transition;
import dev.inventory.core.event.InventoryEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds the events a change emits, so that every Java store emits exactly the same ones. */
public final class LevelEvents {
    private LevelEvents() {
    }

    /** The event one line of a hold emits for {@code transition}. */
    public static InventoryEvent forTransition(Transition transition, StockLevel after, Instant at,
            Reservation reservation, ReservationLine line) {
        return forTransition(EventIds.next(), transition, after, at, reservation, line);
    }

    /** {@link #forTransition(Transition, StockLevel, Instant, Reservation, ReservationLine)} with the event id given. */
    public static InventoryEvent forTransition(UUID id, Transition transition, StockLevel after, Instant at,
            Reservation reservation, ReservationLine line) {
        var rid = reservation.id();
        long q = line.quantity();
        return switch (transition) {
            case START_PAYMENT -> new InventoryEvent.ReservationPending(id, after, at, rid, q,
                    reservation.expiresAt());
            case CONFIRM -> new InventoryEvent.Confirmed(id, after, at, rid, q);
            case FULFIL -> new InventoryEvent.Fulfilled(id, after, at, rid, q);
            case CANCEL -> new InventoryEvent.Cancelled(id, after, at, rid, q);
            case RELEASE -> new InventoryEvent.Released(id, after, at, rid, q);
            case EXPIRE -> new InventoryEvent.Expired(id, after, at, rid, q);
        };
    }

    /** The event one line of a new hold emits. */
    public static InventoryEvent reserved(StockLevel after, Instant at, Reservation reservation,
            ReservationLine line) {
        return reserved(EventIds.next(), after, at, reservation, line);
    }

    /** {@link #reserved(StockLevel, Instant, Reservation, ReservationLine)} with the event id given. */
    public static InventoryEvent reserved(UUID id, StockLevel after, Instant at, Reservation reservation,
            ReservationLine line) {
        return new InventoryEvent.Reserved(id, after, at, reservation.id(), line.quantity(),
                reservation.expiresAt());
    }

    /**
     * Adds the threshold events a change from {@code before} to {@code after} crosses into
     * {@code out}: out of stock (available to 0), back in stock (available up from 0 on a level
     * that existed), below threshold (available down to the reorder point or below).
     */
    public static void crossings(StockLevel before, StockLevel after, Instant at, List<InventoryEvent> out) {
        if (!crosses(before, after)) {
            return;
        }
        long was = before.available();
        long now = after.available();
        if (was > 0 && now == 0) {
            out.add(new InventoryEvent.OutOfStock(EventIds.next(), after, at));
        }
        if (was == 0 && now > 0 && before.version() > 0) {
            out.add(new InventoryEvent.BackInStock(EventIds.next(), after, at));
        }
        if (isBelowReorderPoint(after) && !isBelowReorderPoint(before)) {
            out.add(new InventoryEvent.BelowThreshold(EventIds.next(), after, at, after.reorderPoint(),
                    suggestedOrder(after)));
        }
    }

    /**
     * Whether a change from {@code before} to {@code after} crosses a threshold, that is whether
     * {@link #crossings} would add an event; lets a store skip building a list for the common case.
     */
    public static boolean crosses(StockLevel before, StockLevel after) {
        long was = before.available();
        long now = after.available();
        return (was > 0 && now == 0) || (was == 0 && now > 0 && before.version() > 0)
                || (isBelowReorderPoint(after) && !isBelowReorderPoint(before));
    }

    /** Whether a reorder point is set and available is at or below it. */
    public static boolean isBelowReorderPoint(StockLevel level) {
        return level.reorderPoint() > 0 && level.available() <= level.reorderPoint();
    }

    /** {@code max(0, maxStock - onHand - inTransitIn)}. */
    public static long suggestedOrder(StockLevel level) {
        return Math.max(0, level.maxStock() - level.onHand() - level.inTransitIn());
    }
}
