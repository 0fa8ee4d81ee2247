package dev.inventory.core.flashsale;

import java.time.Duration;

/** Where a user stands in a sale's lottery (virtual queue). */
public sealed interface QueueStatus {

    /**
     * Waiting to be drawn.
     *
     * @param position 1-based place in the queue; it may move back while others of the same shuffle
     *     window enter, and moves forward as draws admit those ahead
     * @param estimatedWait until the draw that should admit this place, assuming a draw every
     *     {@link LotterySpec#drawInterval()} of {@link LotterySpec#batchSize()} winners (plus the
     *     time until the sale starts)
     */
    record Waiting(long position, Duration estimatedWait) implements QueueStatus {
    }

    /**
     * Drawn: buy with this token before it expires.
     *
     * @param token the purchase token
     */
    record Won(PurchaseToken token) implements QueueStatus {
    }

    /** The sale closed before this user was drawn. */
    record Lost() implements QueueStatus {
    }

    /** The user has not entered. */
    record NotEntered() implements QueueStatus {
    }

    /**
     * The sale is closed or past its end, so it takes no entries.
     *
     * @param status ENDED or CANCELLED
     */
    record Closed(SaleStatus status) implements QueueStatus {
    }
}
