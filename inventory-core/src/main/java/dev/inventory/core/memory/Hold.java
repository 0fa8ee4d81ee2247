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
 * A hold as {@link InMemoryInventoryStore} keeps it: one object, the public {@link Reservation}
 * built from it when asked for. A store keeps every hold for a day after it finished, so what it
 * keeps per hold is what the collector copies: a {@code Reservation} is seven objects (the record,
 * its line list, the line, the line's SKU, three instants), this is one, with the instants as
 * numbers and a one-line hold's line as its level's cell and a quantity.
 *
 * <p>Immutable: a change of the hold replaces it in the store's map, under the locks of its levels,
 * so a reader without the locks sees either the hold before the change or after it, never a mix.
 */
final class Hold {
    final ReservationId id;
    /** The level of a one-line hold; null when {@link #lines} is set. */
    private final Cell cell;
    /** The units of a one-line hold. */
    private final long quantity;
    /** The lines of a hold of several lines (canonical, unmodifiable); null for a one-line hold. */
    private final List<ReservationLine> lines;
    // absent is null: no Optional kept per hold
    private final String cartId;
    private final String userId;
    private final String orderId;
    final ReservationStatus status;
    private final long createdSecond;
    private final long expiresSecond;
    private final long updatedSecond;
    private final int createdNano;
    private final int expiresNano;
    private final int updatedNano;

    private Hold(ReservationId id, Cell cell, long quantity, List<ReservationLine> lines, String cartId,
            String userId, String orderId, ReservationStatus status, Instant createdAt, Instant expiresAt,
            Instant updatedAt) {
        this(id, cell, quantity, lines, cartId, userId, orderId, status, createdAt.getEpochSecond(),
                createdAt.getNano(), expiresAt, updatedAt);
    }

    private Hold(ReservationId id, Cell cell, long quantity, List<ReservationLine> lines, String cartId,
            String userId, String orderId, ReservationStatus status, long createdSecond, int createdNano,
            Instant expiresAt, Instant updatedAt) {
        this.id = id;
        this.cell = cell;
        this.quantity = quantity;
        this.lines = lines;
        this.cartId = cartId;
        this.userId = userId;
        this.orderId = orderId;
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
        List<ReservationLine> all = r.lines();
        boolean one = all.size() == 1;
        return new Hold(r.id(), one ? cells[0] : null, one ? all.get(0).quantity() : 0, one ? null : all,
                r.cartId().orElse(null), r.userId().orElse(null), r.orderId().orElse(null), r.status(),
                r.createdAt(), r.expiresAt(), r.updatedAt());
    }

    /** This hold in {@code status} as of {@code at}, with {@code expiresAt}. */
    Hold withStatus(ReservationStatus status, Instant expiresAt, Instant at) {
        return new Hold(id, cell, quantity, lines, cartId, userId, orderId, status, createdSecond, createdNano,
                expiresAt, at);
    }

    /** The cells of the hold's levels, in line (lock) order, found through {@code store} for several lines. */
    Cell[] cells(InMemoryInventoryStore store) {
        return cell != null ? cell.alone : store.cellsOf(lines);
    }

    /** Whether {@code other} holds the same levels as this hold (its locks are this hold's locks). */
    boolean sameLevelsAs(Hold other) {
        return cell != null ? cell == other.cell : other.lines != null && sameLevels(lines, other.lines);
    }

    private static boolean sameLevels(List<ReservationLine> a, List<ReservationLine> b) {
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
    List<ReservationLine> lines() {
        return cell != null ? List.of(new ReservationLine(cell.sku, cell.locationId, quantity)) : lines;
    }

    /** Whether the hold's lines equal {@code asked} (canonical), as {@code lines().equals(asked)}. */
    boolean hasLines(List<ReservationLine> asked) {
        if (cell == null) {
            return lines.equals(asked);
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

    /** The hold as the public record: a new one per call, equal to the one this hold was made from. */
    Reservation toReservation() {
        return toReservation(expiresAt(), Instant.ofEpochSecond(updatedSecond, updatedNano));
    }

    /** {@link #toReservation()} with the hold's expiry and last change as the caller has them at hand. */
    Reservation toReservation(Instant expiresAt, Instant updatedAt) {
        return new Reservation(id, lines(), Optional.ofNullable(cartId), Optional.ofNullable(userId),
                Optional.ofNullable(orderId), status, Instant.ofEpochSecond(createdSecond, createdNano), expiresAt,
                updatedAt);
    }
}
