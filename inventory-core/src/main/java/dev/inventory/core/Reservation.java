package dev.inventory.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * One checkout's hold on stock, as a store keeps it.
 *
 * @param id the caller's id (idempotency key)
 * @param lines the lines, sorted by SKU then location, at most one per SKU x location
 * @param cartId the cart the hold belongs to, if the caller gave one
 * @param userId the buyer, if known
 * @param orderId the order, if known
 * @param status the state
 * @param createdAt when the hold was made
 * @param expiresAt when an ACTIVE or PENDING hold expires
 * @param updatedAt when the state last changed
 */
public record Reservation(
        ReservationId id,
        List<ReservationLine> lines,
        Optional<String> cartId,
        Optional<String> userId,
        Optional<String> orderId,
        ReservationStatus status,
        Instant createdAt,
        Instant expiresAt,
        Instant updatedAt) {

    /** Maximum number of lines of one hold. */
    public static final int MAX_LINES = 100;

    /** Validates every component; sorts the lines and rejects a repeated SKU x location. */
    public Reservation {
        Checks.notNull("id", id);
        lines = canonicalLines(lines);
        Checks.notNull("cartId", cartId);
        Checks.notNull("userId", userId);
        Checks.notNull("orderId", orderId);
        Checks.notNull("status", status);
        Checks.notNull("createdAt", createdAt);
        Checks.notNull("expiresAt", expiresAt);
        Checks.notNull("updatedAt", updatedAt);
    }

    /** Sorts {@code lines} into the canonical order and checks them; the result is unmodifiable. */
    public static List<ReservationLine> canonicalLines(List<ReservationLine> lines) {
        Checks.notNull("lines", lines);
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("lines must hold 1-" + MAX_LINES + " lines, was " + lines.size());
        }
        List<ReservationLine> sorted = new ArrayList<>(lines.size());
        for (ReservationLine line : lines) {
            sorted.add(Checks.notNull("line", line));
        }
        Collections.sort(sorted);
        var seen = new HashSet<String>();
        for (ReservationLine line : sorted) {
            if (!seen.add(line.sku().value() + "@" + line.locationId().value())) {
                throw new IllegalArgumentException("lines must not repeat a SKU x location, was " + line.sku()
                        + " at " + line.locationId() + " twice");
            }
        }
        return List.copyOf(sorted);
    }

    /** Total units over all lines. */
    public long totalQuantity() {
        long sum = 0;
        for (ReservationLine line : lines) {
            sum += line.quantity();
        }
        return sum;
    }

    /** Whether the hold is ACTIVE or PENDING and {@code now} has reached its expiry. */
    public boolean isDue(Instant now) {
        return status.holdsReserved() && !now.isBefore(expiresAt);
    }

    /** Returns this hold in {@code status} as of {@code at}, with {@code expiresAt}. */
    public Reservation withStatus(ReservationStatus status, Instant expiresAt, Instant at) {
        return new Reservation(id, lines, cartId, userId, orderId, status, createdAt, expiresAt, at);
    }
}
