package dev.inventory.core.flashsale;

/** The outcome of {@link PurchaseTokens#verify}: a genuine unexpired token, or why not. */
public sealed interface TokenCheck {

    /**
     * The signature matches and the token has not expired (whether it was used is the store's to say).
     *
     * @param token what it says
     */
    record Valid(PurchaseToken token) implements TokenCheck {
    }

    /**
     * The token is refused.
     *
     * @param problem {@link TokenProblem#FORGED} or {@link TokenProblem#EXPIRED}
     */
    record Invalid(TokenProblem problem) implements TokenCheck {
    }
}
