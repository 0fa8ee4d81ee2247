package dev.inventory.core.flashsale;

import java.time.Duration;

/**
 * A token bucket's settings: {@code permits} per {@code per} on average, and at most {@code burst}
 * at once after a quiet spell.
 *
 * <p>The bucket is kept as one number, the theoretical arrival time (GCRA), in whole microseconds:
 * see {@link #emissionIntervalMicros()} and {@link TokenBucket}.
 *
 * @param permits how many requests per {@code per}, 1..1,000,000
 * @param per the period, positive, at most one day
 * @param burst how many requests may pass at once, 1..1,000,000
 */
public record RateLimit(long permits, Duration per, long burst) {
    /** The longest period. */
    public static final Duration MAX_PERIOD = Duration.ofDays(1);

    /** @throws IllegalArgumentException naming the field and value when one is out of range */
    public RateLimit {
        FlashIds.range("permits", permits, 1, 1_000_000);
        FlashIds.positive("per", per, MAX_PERIOD);
        FlashIds.range("burst", burst, 1, 1_000_000);
        if (per.toNanos() / permits < 1_000) {
            throw new IllegalArgumentException("permits per " + per + " must leave at least 1 microsecond between "
                    + "permits, was " + permits);
        }
    }

    /** {@code permits} per second, at most {@code burst} at once. */
    public static RateLimit perSecond(long permits, long burst) {
        return new RateLimit(permits, Duration.ofSeconds(1), burst);
    }

    /** The time one permit takes to come back: {@code per / permits}, rounded up to whole microseconds. */
    public long emissionIntervalMicros() {
        long perMicros = per.toNanos() / 1_000 + (per.toNanos() % 1_000 == 0 ? 0 : 1);
        return (perMicros + permits - 1) / permits;
    }
}
