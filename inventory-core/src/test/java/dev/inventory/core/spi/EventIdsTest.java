package dev.inventory.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Event ids: version 7, unique across threads, ordered within one thread. */
class EventIdsTest {

    @Test
    void idsAreVersion7WithTheMillisecondsInFront() {
        long before = System.currentTimeMillis();
        UUID id = EventIds.next();
        long after = System.currentTimeMillis();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
        assertThat(EventIds.at(1_700_000_000_000L).getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void oneThreadsIdsIncreaseAndNeverRepeat() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) { // under 4,096 a millisecond even if all fall in one
            ids.add(EventIds.at(1_700_000_000_000L + i / 1_000));
        }
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1)); // UUID order: signed halves, msb first
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
    }

    @Test
    void idsOfManyThreadsNeverCollide() throws Exception {
        Set<UUID> all = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        all.add(EventIds.next());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(all).hasSize(8 * 50_000);
    }

    @Test
    void aBlockOfIdsIsWhatConsecutiveCallsWouldHaveMade() {
        EventIds.Generator g = EventIds.reserve(3);
        long msb = g.msb;
        long lsb = g.lsb;
        UUID following = EventIds.next();
        List<UUID> block = List.of(new UUID(EventIds.nthMsb(msb, 0), EventIds.nthLsb(lsb, 0)),
                new UUID(EventIds.nthMsb(msb, 1), EventIds.nthLsb(lsb, 1)),
                new UUID(EventIds.nthMsb(msb, 2), EventIds.nthLsb(lsb, 2)));
        assertThat(new HashSet<>(block)).hasSize(3).doesNotContain(following);
        for (UUID id : block) {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        }
    }
}
