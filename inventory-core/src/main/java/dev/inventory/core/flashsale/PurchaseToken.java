package dev.inventory.core.flashsale;

import dev.inventory.core.Sku;
import java.time.Instant;

/**
 * A signed permission for one user to buy in one sale of one SKU, once, before it expires. Its
 * {@link #value()} is what travels to the buyer (URL-safe); see {@link PurchaseTokens} for the
 * format. {@link #toString()} hides the value, which is a bearer credential.
 *
 * @param value the signed token string
 * @param saleId the sale it admits to
 * @param sku the SKU of that sale
 * @param userId the only user who may redeem it
 * @param tokenId its unique id, recorded by the store when it is redeemed
 * @param expiresAt it is refused from this instant on (whole milliseconds)
 */
public record PurchaseToken(String value, String saleId, Sku sku, String userId, String tokenId,
        Instant expiresAt) {

    /** Validates the components. */
    public PurchaseToken {
        FlashIds.notNull("value", value);
        FlashIds.saleId(saleId);
        FlashIds.notNull("sku", sku);
        FlashIds.userId(userId);
        FlashIds.tokenId(tokenId);
        FlashIds.notNull("expiresAt", expiresAt);
    }

    @Override
    public String toString() {
        return "PurchaseToken[saleId=" + saleId + ", sku=" + sku + ", userId=" + userId + ", tokenId=" + tokenId
                + ", expiresAt=" + expiresAt + ", value=(hidden)]";
    }
}
