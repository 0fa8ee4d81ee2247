package dev.inventory.core.memory;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.memory.InMemoryInventoryStore.Cell;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A hold as {@link InMemoryInventoryStore} keeps it: one object of 64 bytes, the public
 * {@link Reservation} built from it when asked for. The store keeps every hold, for a day after it
 * finished, so what it keeps per hold is what the collector copies: a {@code Reservation} is seven
 * objects, ~190 bytes (the record, its line list, the line, the line's SKU, three instants); here the
 * instants are numbers, a one-line hold's line is its level's cell and a quantity, and the id is the
 * key the hold is kept under (so it is not kept twice).
 *
 * <p>Immutable: a change of the hold replaces it in the store's map, under the locks of its levels,
 * so a reader without the locks sees the hold either before the change or after it, never a mix.
 */
final class Hold {
    /** The {@link Cell} of a one-line hold, or the lines (canonical, unmodifiable) of a hold of several. */
    private final Object levels;
    /** The units of a one-line hold (at most {@link dev.inventory.core.Quantity#MAX}). */
    private final int quantity;
    /** The cart, buyer and order, or null when the hold has none of them (the usual case). */
    private final Extras extras;
    final ReservationStatus status;
    private final long createdSecond;
    private final long expiresSecond;
    private final long updatedSecond;
    private final int createdNano;
    private final int expiresNano;
    private final int updatedNano;

    /** The optional components of a hold, kept only when one is present. */
    private record Extras(Optional<String> cartId, Optional<String> userId, Optional<String> orderId) {
        static final Extras NONE = new Extras(Optional.empty(), Optional.empty(), Optional.empty());
    }

    private Hold(Object levels, int quantity, Extras extras, ReservationStatus status, long createdSecond,
            int createdNano, Instant expiresAt, Instant updatedAt) {
        this.levels = levels;
        this.quantity = quantity;
        this.extras = extras;
        this.status = status;
        this.createdSecond = createdSecond;
        this.createdNano = createdNano;
        this.expiresSecond = expiresAt.getEpochSecond();
        this.expiresNano = expiresAt.getNano();
        this.updatedSecond = updatedAt.getEpochSecond();
        this.updatedNano = updatedAt.getNano();
    }

    /**
     * {@code r} as kept; {@code cells} are the cells of its lines, in line order (a one-line hold
     * keeps its cell instead of its line).
     */
    static Hold of(Reservation r, Cell[] cells) {
        List<ReservationLine> lines = r.lines();
        boolean one = lines.size() == 1;
        Extras extras = r.cartId().isEmpty() && r.userId().isEmpty() && r.orderId().isEmpty()
                ? null
                : new Extras(r.cartId(), r.userId(), r.orderId());
        return new Hold(one ? cells[0] : lines, one ? (int) lines.get(0).quantity() : 0, extras, r.status(),
                r.createdAt().getEpochSecond(),
                r.createdAt().getNano(), r.expiresAt(), r.updatedAt());
    }

    /** This hold in {@code status} as of {@code at}, with {@code expiresAt}. */
    Hold withStatus(ReservationStatus status, Instant expiresAt, Instant at) {
        return new Hold(levels, quantity, extras, status, createdSecond, createdNano, expiresAt, at);
    }

    /** The cells of the hold's levels, in line (lock) order, found through {@code store} for several lines. */
    @SuppressWarnings("unchecked")
    Cell[] cells(InMemoryInventoryStore store) {
        return levels instanceof Cell cell ? cell.alone : store.cellsOf((List<ReservationLine>) levels);
    }

    /** Whether {@code other} holds the same levels as this hold (so its locks are this hold's locks). */
    @SuppressWarnings("unchecked")
    boolean sameLevelsAs(Hold other) {
        if (levels instanceof Cell || other.levels instanceof Cell) {
            return levels == other.levels;
        }
        List<ReservationLine> a = (List<ReservationLine>) levels;
        List<ReservationLine> b = (List<ReservationLine>) other.levels;
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).compareTo(b.get(i)) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The hold's lines, as {@link Reservation#lines()} (built for a one-line hold). */
    @SuppressWarnings("unchecked")
    List<ReservationLine> lines() {
        return levels instanceof Cell cell
                ? List.of(new ReservationLine(cell.sku, cell.locationId, quantity))
                : (List<ReservationLine>) levels;
    }

    /** Whether the hold's lines equal {@code asked} (canonical): {@code lines().equals(asked)}. */
    boolean hasLines(List<ReservationLine> asked) {
        if (!(levels instanceof Cell cell)) {
            return levels.equals(asked);
        }
        if (asked.size() != 1) {
            return false;
        }
        ReservationLine line = asked.get(0);
        return line.quantity() == quantity && line.sku().equals(cell.sku) && line.locationId().equals(cell.locationId);
    }

    Instant expiresAt() {
        return Instant.ofEpochSecond(expiresSecond, expiresNano);
    }

    /** {@link Reservation#isDue}: ACTIVE or PENDING and {@code now} has reached the expiry. */
    boolean isDue(Instant now) {
        if (!status.holdsReserved()) {
            return false;
        }
        long s = now.getEpochSecond();
        return s > expiresSecond || (s == expiresSecond && now.getNano() >= expiresNano);
    }

    /** The hold, kept under {@code id}, as the public record: a new one per call. */
    Reservation toReservation(ReservationId id) {
        return toReservation(id, expiresAt(), Instant.ofEpochSecond(updatedSecond, updatedNano));
    }

    /**
     * {@link #toReservation(ReservationId)} with the hold's expiry and last change as the caller has
     * them at hand (equal to the hold's).
     */
    Reservation toReservation(ReservationId id, Instant expiresAt, Instant updatedAt) {
        Extras e = extras != null ? extras : Extras.NONE;
        return new Reservation(id, lines(), e.cartId(), e.userId(), e.orderId(), status,
                Instant.ofEpochSecond(createdSecond, createdNano), expiresAt, updatedAt);
    }
}
