package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The group-commit batcher on its own: every caller gets its own output, once, under heavy fan-out. */
class BatcherTest {

    @Test
    void thousandsOfVirtualThreadsEachGetTheirOwnOutputInFewBatches() throws Exception {
        int callers = 5_000;
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger inputs = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        AtomicReference<CountDownLatch> allIn = new AtomicReference<>();
        Batcher<Integer, Integer> batcher = new Batcher<>(4, 100, batch -> {
            // the batches in flight wait until every caller has called submit: the others queue up
            // meanwhile, whatever the machine's load, so the rest must go in full batches
            await(allIn.get());
            batches.incrementAndGet();
            inputs.addAndGet(batch.size());
            assertThat(batch.size()).isBetween(1, 100);
            List<Integer> out = new ArrayList<>(batch.size());
            for (int x : batch) {
                out.add(x * 2);
            }
            return out;
        });
        for (int round = 0; round < 5; round++) {
            inputs.set(0);
            batches.set(0);
            entered.set(0);
            allIn.set(new CountDownLatch(1));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>(callers);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < callers; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> {
                        go.await();
                        if (entered.incrementAndGet() == callers) {
                            allIn.get().countDown();
                        }
                        return batcher.submit(n);
                    }));
                }
                go.countDown();
                for (int i = 0; i < callers; i++) {
                    assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(2 * i);
                }
            }
            assertThat(inputs.get()).isEqualTo(callers);
            // 4 early batches, then at most 100 per batch (a caller between counting itself in and
            // queueing is on a carrier thread: a few at most)
            assertThat(batches.get()).as("batches of round " + round).isLessThanOrEqualTo(callers / 20);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the callers did not all arrive");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFailingBatchFailsItsOwnCallersOnlyAndTheNextBatchesRun() throws Exception {
        Batcher<Integer, Integer> batcher = new Batcher<>(1, 10, batch -> {
            if (batch.contains(-1)) {
                throw new IllegalStateException("boom");
            }
            return batch;
        });
        assertThatIllegalStateException().isThrownBy(() -> batcher.submit(-1)).withMessage("boom");
        assertThat(batcher.submit(7)).isEqualTo(7);
        Batcher<Integer, Integer> wrongSize = new Batcher<>(1, 10, batch -> List.of());
        assertThatIllegalStateException().isThrownBy(() -> wrongSize.submit(1)).withMessageContaining("answered 0");
    }

    @Test
    void aCallerInterruptedWhileItsCallIsInFlightStillGetsItsOutputAndKeepsTheInterrupt() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Batcher<Integer, Integer> batcher = new Batcher<>(1, 10, batch -> {
            if (batch.contains(1)) {
                inFlight.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return batch;
        });
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> leader = pool.submit(() -> batcher.submit(1));
            inFlight.await();
            AtomicInteger seenInterrupt = new AtomicInteger();
            Thread waiter = Thread.ofVirtual().start(() -> {
                int out = batcher.submit(2);
                if (Thread.currentThread().isInterrupted()) {
                    seenInterrupt.set(out);
                }
            });
            // the waiter queues behind the batch in flight; interrupting it does not lose its call
            while (waiter.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            waiter.interrupt();
            release.countDown();
            assertThat(leader.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            waiter.join(30_000);
            assertThat(waiter.isAlive()).isFalse();
            assertThat(seenInterrupt.get()).isEqualTo(2);
        }
    }
}
