package dev.inventory.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.ReservationId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link DueQueue} against a {@link TreeSet} of the same entries, under random inserts and removals. */
class DueQueueTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void keepsTheSameOrderAsASortedSetWhateverTheOrderOfInsertsAndRemovals() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            DueQueue queue = new DueQueue();
            TreeSet<InMemoryInventoryStore.Due> expected = new TreeSet<>();
            List<InMemoryInventoryStore.Due> present = new ArrayList<>();
            for (int step = 0; step < 2_000; step++) {
                int op = random.nextInt(10);
                if (op < 6 || present.isEmpty()) {
                    // mostly increasing expiries, sometimes earlier ones, ties broken by id
                    long millis = random.nextInt(4) == 0 ? random.nextInt(step + 1) * 10L : step * 10L;
                    var due = new InMemoryInventoryStore.Due(T0.plusMillis(millis).plusNanos(random.nextInt(3)),
                            ReservationId.of("r" + random.nextInt(500)));
                    queue.add(due.expiresAt(), due.id());
                    if (expected.add(due)) {
                        present.add(due);
                    }
                } else {
                    // oldest, newest or any
                    var due = op == 6 ? expected.first() : op == 7 ? expected.last()
                            : present.get(random.nextInt(present.size()));
                    queue.remove(due.expiresAt(), due.id());
                    expected.remove(due);
                    present.remove(due);
                    queue.remove(due.expiresAt(), due.id()); // absent: no effect
                }
                assertThat(queue.size()).isEqualTo(expected.size());
            }
            int i = 0;
            for (var due : expected) {
                assertThat(queue.expiresAt(i)).isEqualTo(due.expiresAt());
                assertThat(queue.id(i)).isEqualTo(due.id());
                assertThat(queue.second(i)).isEqualTo(due.expiresAt().getEpochSecond());
                assertThat(queue.isDue(i, due.expiresAt())).isTrue();
                assertThat(queue.isDue(i, due.expiresAt().minusNanos(1))).isFalse();
                i++;
            }
        }
    }
}
