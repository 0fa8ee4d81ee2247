package dev.inventory.core.processing;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The backorder queue port: requests waiting for stock, in arrival order. {@link Backorders} calls
 * it under its own lock, so an implementation needs only to be safe for one caller at a time per
 * process; {@link #inMemory()} ships in the core, the JDBC module's {@code PostgresBackorderQueue}
 * keeps the queue across restarts.
 */
public interface BackorderQueue {

    /**
     * Queues {@code request} after everything queued so far.
     *
     * @return the queued backorder, or empty when one with the same id is queued already
     */
    Optional<Backorder> add(ReservationRequest request, Instant acceptedAt);

    /** The queued backorder with this id. */
    Optional<Backorder> find(ReservationId id);

    /**
     * Marks the backorder to be confirmed as soon as it is reserved.
     *
     * @return false when none with this id is queued
     */
    boolean markConfirmWhenServed(ReservationId id);

    /**
     * Removes the backorder (served or cancelled).
     *
     * @return false when none with this id is queued
     */
    boolean remove(ReservationId id);

    /** The backorders with a line at {@code sku} x {@code locationId}, earliest first. */
    List<Backorder> waiting(Sku sku, LocationId locationId);

    /** Units of {@code sku} in queued lines, over all locations. */
    long queuedQuantity(Sku sku);

    /** Units of {@code sku} in queued lines at {@code locationId}. */
    long queuedQuantity(Sku sku, LocationId locationId);

    /** A queue in this JVM's memory. */
    static BackorderQueue inMemory() {
        return new InMemoryBackorderQueue();
    }
}
