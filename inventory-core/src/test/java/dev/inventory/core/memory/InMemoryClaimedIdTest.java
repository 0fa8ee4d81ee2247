package dev.inventory.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store claims a reservation id before it locks the levels: a claim that fails must
 * leave no trace, and concurrent calls with one id must still get one outcome.
 */
class InMemoryClaimedIdTest {
    static final LocationId WH = LocationId.of("WH");

    static List<ReservationResult> race(int threads, java.util.function.IntFunction<ReservationResult> call)
            throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<ReservationResult> results = new ArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int n = i;
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                ReservationResult r = call.apply(n);
                synchronized (results) {
                    results.add(r);
                }
            }));
        }
        go.countDown();
        for (Thread t : started) {
            t.join();
        }
        return results;
    }

    @Test
    void failedClaimsLeaveNoHoldAndTheIdCanBeUsedLater() throws Exception {
        try (Inventory inventory = Inventory.builder().store(InMemoryInventoryStore.create()).withoutSweeper().build()) {
            Sku a = Sku.of("A");
            inventory.stock().receive(a, WH, 1);
            ReservationId id = ReservationId.of("same");
            for (int round = 0; round < 20; round++) {
                List<ReservationResult> results = race(8, i -> inventory.reservations()
                        .reserve(ReservationRequest.builder(id).line(a, WH, 2).build()));
                assertThat(results).allMatch(r -> r instanceof ReservationResult.InsufficientStock);
                assertThat(inventory.reservations().find(id)).isEmpty();
            }
            inventory.stock().receive(a, WH, 1);
            List<ReservationResult> results = race(8, i -> inventory.reservations()
                    .reserve(ReservationRequest.builder(id).line(a, WH, i % 2 == 0 ? 2 : 1).build()));
            // one of the two line sets wins; the same lines replay it, the other lines conflict
            assertThat(results).filteredOn(r -> r instanceof ReservationResult.Success).hasSize(1);
            assertThat(results).filteredOn(r -> r instanceof ReservationResult.Success
                    || r instanceof ReservationResult.Replayed).hasSize(4);
            assertThat(results).filteredOn(r -> r instanceof ReservationResult.IdConflict).hasSize(4);
            var level = inventory.level(a, WH).orElseThrow();
            assertThat(level.reserved()).isEqualTo(inventory.reservations().find(id).orElseThrow().totalQuantity());
        }
    }
}
