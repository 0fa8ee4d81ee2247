package dev.inventory.core.spi;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Time-ordered UUIDs (RFC 9562 version 7) for event ids. */
public final class EventIds {
    private EventIds() {
    }

    /** A new version 7 UUID: 48 bits of Unix milliseconds, then random bits. */
    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    /** A version 7 UUID for the given Unix milliseconds. */
    public static UUID at(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
