package dev.inventory.core.flashsale;

import java.time.Instant;
import java.util.Optional;

/**
 * One user's place in a sale's lottery, as {@link FlashSaleStore} keeps it.
 *
 * @param userId the user
 * @param state where the user stands
 * @param position 1-based rank among the waiting entries (lowest score first) when WAITING, else 0
 * @param tokenId the id of the user's purchase token when WON
 * @param tokenExpiresAt when that token expires, when WON
 */
public record LotteryEntry(String userId, State state, long position, Optional<String> tokenId,
        Optional<Instant> tokenExpiresAt) {

    /** Validates the components: WON carries a token id and expiry, WAITING a position. */
    public LotteryEntry {
        FlashIds.userId(userId);
        FlashIds.notNull("state", state);
        FlashIds.notNull("tokenId", tokenId).ifPresent(FlashIds::tokenId);
        FlashIds.notNull("tokenExpiresAt", tokenExpiresAt);
        if ((state == State.WON) != (tokenId.isPresent() && tokenExpiresAt.isPresent())) {
            throw new IllegalArgumentException("tokenId and tokenExpiresAt must be present exactly when state is WON, "
                    + "was " + state + " with tokenId " + tokenId.isPresent());
        }
        FlashIds.range("position", position, state == State.WAITING ? 1 : 0,
                state == State.WAITING ? Long.MAX_VALUE : 0);
    }

    /** Where a user stands in a lottery. */
    public enum State {
        /** Entered, not drawn yet. */
        WAITING,
        /** Drawn: holds a purchase token. */
        WON,
        /** The sale closed before the user was drawn. */
        LOST,
        /** Never entered. */
        NOT_ENTERED,
        /** Never entered, and the sale is closed, so entering is no longer possible. */
        CLOSED
    }

    /** An entry without position or token: LOST, NOT_ENTERED or CLOSED. */
    public static LotteryEntry of(String userId, State state) {
        return new LotteryEntry(userId, state, 0, Optional.empty(), Optional.empty());
    }

    /** A WAITING entry at {@code position}. */
    public static LotteryEntry waiting(String userId, long position) {
        return new LotteryEntry(userId, State.WAITING, position, Optional.empty(), Optional.empty());
    }

    /** A WON entry with its token id and expiry. */
    public static LotteryEntry won(String userId, String tokenId, Instant expiresAt) {
        return new LotteryEntry(userId, State.WON, 0, Optional.of(tokenId), Optional.of(expiresAt));
    }
}
