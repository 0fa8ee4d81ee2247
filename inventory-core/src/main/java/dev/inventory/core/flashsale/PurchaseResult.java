package dev.inventory.core.flashsale;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of a flash-sale purchase. Only {@link Purchased} took stock; every other outcome
 * changed nothing.
 */
public sealed interface PurchaseResult {

    /** Whether the buyer holds the units ({@link Purchased}, first time or replayed). */
    default boolean isPurchased() {
        return this instanceof Purchased;
    }

    /** The buyer's hold, when the purchase succeeded. */
    default Optional<Reservation> reservation() {
        return Optional.empty();
    }

    /**
     * The buyer holds the units: a normal ACTIVE reservation with the sale's hold duration; confirm,
     * start payment, release and fulfil it through {@code Inventory.reservations()}. If it expires or
     * is released while the sale is open, its units go back to the sale's pool.
     *
     * @param hold the buyer's hold
     * @param pool the pool that served it (the first one when several did)
     * @param replayed true when a purchase with the same caller-given id had already succeeded
     */
    record Purchased(Reservation hold, int pool, boolean replayed) implements PurchaseResult {
        @Override
        public Optional<Reservation> reservation() {
            return Optional.of(hold);
        }
    }

    /**
     * No pool has the units asked for (after returning the sale's due holds).
     *
     * @param saleId the sale
     */
    record SoldOut(String saleId) implements PurchaseResult {
    }

    /**
     * The purchase would take the user beyond the sale's per-user limit.
     *
     * @param saleId the sale
     * @param userId the buyer
     * @param bought units the user holds or has bought in this sale
     * @param limit the sale's per-user limit
     */
    record LimitReached(String saleId, String userId, long bought, long limit) implements PurchaseResult {
    }

    /**
     * The SKU's token bucket is empty; try again after {@code retryAfter}.
     *
     * @param retryAfter when one permit will be back
     */
    record RateLimited(Duration retryAfter) implements PurchaseResult {
    }

    /**
     * The sale does not sell now.
     *
     * @param saleId the sale
     * @param status SCHEDULED, ENDED or CANCELLED
     */
    record NotActive(String saleId, SaleStatus status) implements PurchaseResult {
    }

    /**
     * No sale has this id.
     *
     * @param saleId the id asked for
     */
    record UnknownSale(String saleId) implements PurchaseResult {
    }

    /**
     * The purchase token is missing, forged, expired, already used, or for another user or sale.
     *
     * @param problem which
     */
    record TokenRejected(TokenProblem problem) implements PurchaseResult {
    }

    /**
     * The caller-given reservation id is already used by another hold (another user, sale or quantity).
     *
     * @param id the id
     */
    record IdConflict(ReservationId id) implements PurchaseResult {
    }
}
