package dev.inventory.core.flashsale;

import java.util.List;

/**
 * What one {@link Lottery#drawBatch()} did; every user named here has also been told through the
 * {@link FlashSaleNotifier}.
 *
 * @param winners the tokens given to this batch's winners, in draw order
 * @param losers users told they lost because the sale closed before they were drawn
 */
public record Draw(List<PurchaseToken> winners, List<String> losers) {
    /** Copies the lists. */
    public Draw {
        winners = List.copyOf(FlashIds.notNull("winners", winners));
        losers = List.copyOf(FlashIds.notNull("losers", losers));
    }
}
