package dev.inventory.examples;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline (no fixed sleeps in tests). */
final class Waits {
    private Waits() {
    }

    /** Polls {@code condition} every 50 ms until it holds; fails with {@code what} and the last value after {@code timeout}. */
    static void until(String what, Duration timeout, Supplier<Object> probe, java.util.function.Predicate<Object> ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (ok.test(last)) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: " + last);
    }
}
