package dev.inventory.core.flashsale;

/**
 * Where lottery outcomes go (push notification, e-mail, web socket). Called after the store has
 * recorded the outcome, on the thread that drew or closed; an exception is logged and does not undo
 * anything: a winner can still read the token with {@link Lottery#status(String)}.
 */
public interface FlashSaleNotifier {

    /** {@code token.userId()} was drawn and may buy with {@code token} until {@code token.expiresAt()}. */
    void won(PurchaseToken token);

    /** {@code userId} was not drawn before sale {@code saleId} closed. */
    void lost(String saleId, String userId);

    /** A notifier that tells nobody. */
    static FlashSaleNotifier none() {
        return new FlashSaleNotifier() {
            @Override
            public void won(PurchaseToken token) {
            }

            @Override
            public void lost(String saleId, String userId) {
            }
        };
    }
}
