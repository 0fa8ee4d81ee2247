package dev.inventory.core.spi;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.Transition;
import dev.inventory.core.event.InventoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The storage port: every write is one atomic operation that keeps invariants I1-I6 under any
 * concurrency, and returns the events it produced (which a durable store has already written in the
 * same atomic step: outbox row, journal entry). Time always comes from the caller ({@code now}),
 * never from the store's own clock, so every store behaves the same under a test clock.
 *
 * <p>A store is done when the whole contract suite of the core's test-jar passes on it.
 *
 * <p>Infrastructure failures throw {@link dev.inventory.core.InventoryStoreException}; a write that
 * throws has changed nothing.
 */
public interface InventoryStore extends AutoCloseable {

    /**
     * Holds every line of {@code reservation} (status ACTIVE, times set) or none.
     *
     * <ul>
     *   <li>If a hold with the same id exists: {@link ReservationResult.Replayed} when its lines are
     *       the same, {@link ReservationResult.IdConflict} otherwise; this check comes before any
     *       stock check.
     *   <li>If a line does not fit, first the due holds on that line's level are expired (lazy
     *       expiry); if it still does not fit, {@link ReservationResult.InsufficientStock} for the
     *       first such line in canonical order.
     *   <li>Otherwise {@code reserved += q} on every line, one {@code inventory.reserved} event per
     *       line.
     * </ul>
     */
    StoreResult<ReservationResult> reserve(Reservation reservation, Instant now);

    /**
     * Applies {@code transition} to the hold {@code id} per {@link Transition}: the quantity effect on
     * every line, one event per line. A hold that is due when a transition needing an unexpired hold
     * runs is expired instead ({@link ReservationResult.Expired}, its stock back). A transition the
     * hold already went through is {@link ReservationResult.Replayed}; one not allowed from its state
     * is {@link ReservationResult.IllegalTransition}; any hold already EXPIRED answers
     * {@link ReservationResult.Expired}. {@link Transition#EXPIRE} applies only to due holds.
     *
     * @param paymentExtension how much {@link Transition#START_PAYMENT} adds to {@code expiresAt}
     */
    StoreResult<ReservationResult> transition(ReservationId id, Transition transition, Instant now,
            Duration paymentExtension);

    /** Applies a stock command atomically with its ledger entry and events. */
    StoreResult<StockResult> apply(StockCommand command, Instant now);

    /**
     * Expires up to {@code limit} holds whose expiry is at or before {@code now}, oldest first. Safe
     * to run from several instances at once: each due hold is expired exactly once.
     *
     * @return the expired holds
     */
    StoreResult<List<Reservation>> expireDue(Instant now, int limit);

    /** The level of {@code sku} at {@code locationId}, if it exists. */
    Optional<StockLevel> level(Sku sku, LocationId locationId);

    /** Every level of {@code sku}, ordered by location. */
    List<StockLevel> levels(Sku sku);

    /** The hold {@code id}, in whatever state, if it exists. */
    Optional<Reservation> reservation(ReservationId id);

    /** The ledger of one level, oldest first. */
    List<LedgerEntry> ledger(Sku sku, LocationId locationId);

    /**
     * Records an event derived from a change that is already applied, such as a cycle-count variance
     * alert ({@link dev.inventory.core.event.InventoryEvent.CycleCountVariance}): it changes no level
     * and takes no new version (it carries the version of the change it is about). A durable store
     * should write it where it writes its own events (outbox row, journal entry) so that relays
     * publish it too; the default keeps nothing and hands the event back for delivery to listeners.
     *
     * @return the event as recorded, and the events to deliver to listeners
     */
    default StoreResult<InventoryEvent> recordDerived(InventoryEvent event, Instant now) {
        return new StoreResult<>(event, List.of(event));
    }

    /** Releases what the store created (pools, connections it opened); never what the host passed in. */
    @Override
    default void close() {
    }
}
