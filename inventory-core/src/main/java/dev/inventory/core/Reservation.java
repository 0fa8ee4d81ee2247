package dev.inventory.core;

import java.time.Instant;
import java.util.Arrays;
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

    /**
     * Sorts {@code lines} into the canonical order and checks them; the result is unmodifiable. An
     * unmodifiable list that is already canonical is returned as it is (no copy, no sort).
     */
    public static List<ReservationLine> canonicalLines(List<ReservationLine> lines) {
        Checks.notNull("lines", lines);
        int n = lines.size();
        if (n == 0 || n > MAX_LINES) {
            throw new IllegalArgumentException("lines must hold 1-" + MAX_LINES + " lines, was " + n);
        }
        boolean sorted = true;
        ReservationLine previous = null;
        for (int i = 0; i < n; i++) { // indexed: no iterator per call on the hot path
            ReservationLine line = lines.get(i);
            Checks.notNull("line", line);
            if (previous != null && previous.compareTo(line) >= 0) {
                sorted = false;
            }
            previous = line;
        }
        List<ReservationLine> canonical = lines;
        if (!sorted) {
            ReservationLine[] array = lines.toArray(new ReservationLine[0]);
            Arrays.sort(array);
            for (int i = 1; i < array.length; i++) {
                if (array[i - 1].compareTo(array[i]) == 0) {
                    throw new IllegalArgumentException("lines must not repeat a SKU x location, was " + array[i].sku()
                            + " at " + array[i].locationId() + " twice");
                }
            }
            canonical = Arrays.asList(array);
        }
        return List.copyOf(canonical);
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
