package dev.inventory.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's own expiry index (per-level expiry order plus the sweeper's per-second
 * registry): oldest first across levels and seconds in any batch size, holds registered earlier than
 * their level's registration, multi-line holds counted once, and no hold lost to a sweep running
 * while holds are made.
 */
class InMemoryExpiryIndexTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final LocationId WH = LocationId.of("WH");

    final InMemoryInventoryStore store = InMemoryInventoryStore.create();

    void receive(String sku, long q) {
        store.apply(new StockCommand.Receive(Sku.of(sku), WH, q, dev.inventory.core.Origin.NONE), T0);
    }

    ReservationResult reserve(String id, Instant at, Duration hold, String... skus) {
        List<ReservationLine> lines = new ArrayList<>();
        for (String sku : skus) {
            lines.add(new ReservationLine(Sku.of(sku), WH, 1));
        }
        return store.reserve(new Reservation(ReservationId.of(id), lines, Optional.empty(), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, at, at.plus(hold), at), at).value();
    }

    @Test
    void batchesComeOldestFirstAcrossLevelsAndSecondsWhateverTheOrderOfCreation() {
        for (int s = 0; s < 5; s++) {
            receive("S" + s, 100);
        }
        List<Reservation> made = new ArrayList<>();
        // later expiries first on each level, then earlier ones (the level registers earlier again),
        // several holds in one second, a multi-line hold spanning levels
        int n = 0;
        for (int round = 3; round >= 0; round--) {
            for (int s = 0; s < 5; s++) {
                Duration hold = Duration.ofSeconds(10 + round * 7 + s).plusMillis(n * 13L % 1000);
                ReservationResult r = reserve("r" + n++, T0, hold, "S" + s);
                made.add(((ReservationResult.Success) r).value());
            }
        }
        made.add(((ReservationResult.Success) reserve("multi", T0, Duration.ofSeconds(20), "S1", "S3", "S4"))
                .value());
        made.sort(Comparator.comparing(Reservation::expiresAt).thenComparing(Reservation::id));

        Instant now = T0.plus(Duration.ofMinutes(5));
        List<ReservationId> expired = new ArrayList<>();
        for (int batch = 0; batch < 100; batch++) {
            List<Reservation> got = store.expireDue(now, 3).value();
            if (got.isEmpty()) {
                break;
            }
            assertThat(got.size()).isLessThanOrEqualTo(3);
            got.forEach(r -> expired.add(r.id()));
        }
        assertThat(expired).containsExactlyElementsOf(made.stream().map(Reservation::id).toList());
        for (int s = 0; s < 5; s++) {
            assertThat(store.level(Sku.of("S" + s), WH).orElseThrow().reserved()).isZero();
        }
    }

    @Test
    void onlyDueHoldsExpireAndConfirmedOnesLeaveTheIndex() {
        receive("A", 10);
        reserve("due", T0, Duration.ofSeconds(5), "A");
        reserve("confirmed", T0, Duration.ofSeconds(5), "A");
        reserve("later", T0, Duration.ofSeconds(50), "A");
        store.transition(ReservationId.of("confirmed"), Transition.CONFIRM, T0, Duration.ZERO);

        assertThat(store.expireDue(T0.plusSeconds(6), 10).value()).extracting(Reservation::id)
                .containsExactly(ReservationId.of("due"));
        assertThat(store.expireDue(T0.plusSeconds(49), 10).value()).isEmpty();
        assertThat(store.expireDue(T0.plusSeconds(50), 10).value()).extracting(Reservation::id)
                .containsExactly(ReservationId.of("later"));
        var level = store.level(Sku.of("A"), WH).orElseThrow();
        assertThat(level.reserved()).isZero();
        assertThat(level.allocated()).isEqualTo(1);
    }

    @Test
    void startPaymentMovesTheHoldInTheExpiryOrder() {
        receive("A", 10);
        reserve("paying", T0, Duration.ofSeconds(5), "A");
        store.transition(ReservationId.of("paying"), Transition.START_PAYMENT, T0, Duration.ofSeconds(60));
        assertThat(store.expireDue(T0.plusSeconds(30), 10).value()).isEmpty();
        assertThat(store.expireDue(T0.plusSeconds(65), 10).value()).extracting(Reservation::id)
                .containsExactly(ReservationId.of("paying"));
    }

    @Test
    void noHoldIsLostWhenSweepsRunWhileHoldsAreMade() throws Exception {
        int skus = 8;
        for (int s = 0; s < skus; s++) {
            receive("S" + s, 1_000_000);
        }
        int makers = 3;
        int perMaker = 3_000;
        AtomicBoolean making = new AtomicBoolean(true);
        AtomicInteger expired = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int m = 0; m < makers; m++) {
            int maker = m;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perMaker; i++) {
                    // holds made "now" with expiries from already due to later, spread over seconds
                    Instant at = T0.plusMillis(i * 7L);
                    Duration hold = Duration.ofMillis(1 + (i * 31L + maker * 17L) % 4_000);
                    String a = "S" + (i % skus);
                    String b = "S" + ((i + 3) % skus);
                    ReservationResult r = i % 5 == 0
                            ? reserve("m" + maker + "-" + i, at, hold, a, b)
                            : reserve("m" + maker + "-" + i, at, hold, a);
                    assertThat(r).isInstanceOf(ReservationResult.Success.class);
                }
            }));
        }
        Thread sweeper = Thread.ofPlatform().start(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int round = 0;
            while (making.get()) {
                Instant now = T0.plusMillis(round++ * 5L % 30_000);
                expired.addAndGet(store.expireDue(now, 7).value().size());
            }
        });
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        making.set(false);
        sweeper.join();
        Instant end = T0.plus(Duration.ofHours(1));
        for (int batch = 0; batch < 100_000; batch++) {
            int n = store.expireDue(end, 50).value().size();
            if (n == 0) {
                break;
            }
            expired.addAndGet(n);
        }
        assertThat(expired.get()).isEqualTo(makers * perMaker);
        for (int s = 0; s < skus; s++) {
            assertThat(store.level(Sku.of("S" + s), WH).orElseThrow().reserved()).isZero();
        }
    }
}
