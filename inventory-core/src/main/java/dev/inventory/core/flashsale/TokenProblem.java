package dev.inventory.core.flashsale;

/** Why a purchase token was refused. */
public enum TokenProblem {
    /** The sale admits buyers through its lottery and no token was given. */
    MISSING,
    /** Malformed, or its signature does not match (tampered with, or signed with another key). */
    FORGED,
    /** Its expiry has passed. */
    EXPIRED,
    /** It has already been redeemed. */
    USED,
    /** It was issued to another user. */
    WRONG_USER,
    /** It was issued for another sale or SKU. */
    WRONG_SALE
}
