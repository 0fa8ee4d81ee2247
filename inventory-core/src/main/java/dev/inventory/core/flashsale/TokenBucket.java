package dev.inventory.core.flashsale;

import dev.inventory.core.Sku;
import java.time.Clock;
import java.time.Duration;

/**
 * The token bucket of one SKU: {@link RateLimit#permits()} per {@link RateLimit#per()}, at most
 * {@link RateLimit#burst()} at once. The bucket lives in the {@link FlashSaleStore}, so every
 * application instance sharing the store shares it, and taking permits is atomic there. Get one
 * with {@link FlashSales#bucket(Sku, RateLimit)}; a sale with a rate limit uses its SKU's bucket
 * for every purchase attempt. Thread-safe.
 */
public final class TokenBucket {
    private final FlashSaleStore store;
    private final Sku sku;
    private final RateLimit limit;
    private final Clock clock;

    TokenBucket(FlashSaleStore store, Sku sku, RateLimit limit, Clock clock) {
        this.store = store;
        this.sku = FlashIds.notNull("sku", sku);
        this.limit = FlashIds.notNull("limit", limit);
        this.clock = clock;
    }

    /** Takes one permit. */
    public Decision tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code permits} permits, all or none.
     *
     * @param permits 1..{@link RateLimit#burst()}
     */
    public Decision tryAcquire(long permits) {
        FlashIds.range("permits", permits, 1, limit.burst());
        Duration wait = store.acquire(sku, limit, permits, clock.instant());
        return new Decision(wait.isZero(), wait);
    }

    /** The SKU. */
    public Sku sku() {
        return sku;
    }

    /** The settings. */
    public RateLimit limit() {
        return limit;
    }

    /**
     * The answer of the bucket.
     *
     * @param granted whether the permits were taken
     * @param retryAfter zero when granted, else how long until the same request would be granted
     */
    public record Decision(boolean granted, Duration retryAfter) {
        /** Validates the components. */
        public Decision {
            FlashIds.notNull("retryAfter", retryAfter);
            if (granted != retryAfter.isZero() || retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must be zero exactly when granted, was " + retryAfter
                        + " with granted " + granted);
            }
        }
    }
}
