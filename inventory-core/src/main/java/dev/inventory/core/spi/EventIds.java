package dev.inventory.core.spi;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered UUIDs (RFC 9562 version 7) for event ids.
 *
 * <p>Layout: 48 bits of Unix milliseconds; in {@code rand_a} a per-thread counter that restarts at
 * every new millisecond (RFC 9562 section 6.2, method 1), so the ids one thread makes are ordered
 * even within a millisecond (up to 4,096 per millisecond); in {@code rand_b} a random per-thread
 * start plus a per-thread sequence, so no two ids of one thread share {@code rand_b} and two threads
 * share one only if their random starts fall within the number of ids they made (about
 * {@code ids x threads^2 / 2^62}). No random number is drawn per id: one call costs a thread-local
 * lookup, a clock read and a few additions.
 */
public final class EventIds {
    private static final ThreadLocal<Generator> GENERATOR = ThreadLocal.withInitial(Generator::new);

    private EventIds() {
    }

    /** A new version 7 UUID: 48 bits of Unix milliseconds, then a counter and per-thread bits. */
    public static UUID next() {
        Generator g = GENERATOR.get();
        g.advance(System.currentTimeMillis());
        return new UUID(g.msb, g.lsb);
    }

    /** A version 7 UUID for the given Unix milliseconds. */
    public static UUID at(long epochMillis) {
        Generator g = GENERATOR.get();
        g.advance(epochMillis);
        return new UUID(g.msb, g.lsb);
    }

    /**
     * The per-thread state; {@link #reserve} leaves the first id's halves in {@link #msb} and
     * {@link #lsb}, so a caller that keeps ids compactly (two longs, no object) can read them there.
     */
    static final class Generator {
        private final long start = ThreadLocalRandom.current().nextLong();
        private long sequence;
        private long millis = Long.MIN_VALUE;
        private int counter;
        long msb;
        long lsb;

        void advance(long epochMillis) {
            reserve(epochMillis, 1);
        }

        /** Takes {@code n >= 1} consecutive ids; the first is in msb/lsb, the others per {@link #nth}. */
        void reserve(long epochMillis, int n) {
            if (epochMillis != millis) {
                millis = epochMillis;
                counter = 0;
            }
            msb = (epochMillis << 16) | 0x7000L | (counter & 0x0FFFL);
            lsb = ((start + sequence) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            counter += n;
            sequence += n;
        }
    }

    /** The most significant half of the {@code i}-th id of a block whose first id has {@code msb}. */
    static long nthMsb(long msb, int i) {
        return (msb & ~0x0FFFL) | ((msb + i) & 0x0FFFL);
    }

    /** The least significant half of the {@code i}-th id of a block whose first id has {@code lsb}. */
    static long nthLsb(long lsb, int i) {
        return ((lsb + i) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    }

    /** Takes {@code n} consecutive ids of this thread, made now; the first is in the result's msb/lsb. */
    static Generator reserve(int n) {
        Generator g = GENERATOR.get();
        g.reserve(System.currentTimeMillis(), n);
        return g;
    }
}
