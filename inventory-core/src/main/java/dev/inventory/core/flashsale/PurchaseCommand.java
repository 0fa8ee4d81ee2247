package dev.inventory.core.flashsale;

import dev.inventory.core.Quantity;
import dev.inventory.core.ReservationId;
import java.util.Optional;

/**
 * One purchase as {@link FlashSaleStore#purchase} receives it: everything the store needs to decide
 * in one atomic step. {@link FlashSales} has already checked the rate limit and the token's
 * signature, expiry and binding.
 *
 * @param saleId the sale
 * @param userId the buyer
 * @param quantity units, 1..the sale's per-user limit
 * @param preferredPool the pool tried first ({@link FlashSales#preferredPool}); must be below the
 *     sale's pool count
 * @param reservationId the caller's id for the buyer's hold (idempotency key), or empty to derive
 *     {@code fs:<saleId>:<userId>:<n>} where n is the user's purchase count in this sale + 1
 * @param tokenId the redeemed token's id, marked used in the same step when the purchase succeeds
 */
public record PurchaseCommand(String saleId, String userId, long quantity, int preferredPool,
        Optional<ReservationId> reservationId, Optional<String> tokenId) {

    /** Validates every component. */
    public PurchaseCommand {
        FlashIds.saleId(saleId);
        FlashIds.userId(userId);
        Quantity.requirePositive("quantity", quantity);
        FlashIds.range("preferredPool", preferredPool, 0, FlashSaleSpec.MAX_POOLS - 1);
        FlashIds.notNull("reservationId", reservationId);
        FlashIds.notNull("tokenId", tokenId).ifPresent(FlashIds::tokenId);
    }
}
