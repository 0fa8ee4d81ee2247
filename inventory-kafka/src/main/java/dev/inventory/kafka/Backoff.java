package dev.inventory.kafka;

import java.time.Duration;

/**
 * Exponential backoff for transient failures: the n-th retry waits
 * {@code min(max, initial * multiplier^(n-1))}. After {@code maxAttempts} attempts in all (the first
 * one included) the record is dead-lettered with the last exception, so one record cannot block its
 * partition forever; {@code maxAttempts == 0} retries without limit.
 *
 * @param initial the first delay, 1 ms to 1 hour
 * @param multiplier growth per retry, 1.0 to 10.0
 * @param max the largest delay, at least {@code initial}, at most 1 hour
 * @param maxAttempts attempts before dead-lettering, 0 (unlimited) to 1000
 */
public record Backoff(Duration initial, double multiplier, Duration max, int maxAttempts) {
    private static final Duration HOUR = Duration.ofHours(1);

    /** Validates every component and names the bad one. */
    public Backoff {
        requireDelay("initial", initial);
        requireDelay("max", max);
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be at least initial (" + initial + "), was " + max);
        }
        if (!(multiplier >= 1.0 && multiplier <= 10.0)) {
            throw new IllegalArgumentException("multiplier must be between 1.0 and 10.0, was " + multiplier);
        }
        if (maxAttempts < 0 || maxAttempts > 1000) {
            throw new IllegalArgumentException("maxAttempts must be between 0 and 1000, was " + maxAttempts);
        }
    }

    /** The default: 100 ms doubling up to 30 s, 10 attempts (nine retries, about 50 seconds of waiting). */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(30), 10);
    }

    /** The delay before retry number {@code retry} (1 for the first retry). */
    public Duration delay(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be at least 1, was " + retry);
        }
        double millis = initial.toMillis() * Math.pow(multiplier, retry - 1);
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }

    /** Whether another attempt is allowed after {@code attempts} failed ones. */
    public boolean allowsAnotherAttempt(int attempts) {
        return maxAttempts == 0 || attempts < maxAttempts;
    }

    private static void requireDelay(String field, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (value.toMillis() < 1 || value.compareTo(HOUR) > 0) {
            throw new IllegalArgumentException(field + " must be between 1 ms and 1 hour, was " + value);
        }
    }
}
