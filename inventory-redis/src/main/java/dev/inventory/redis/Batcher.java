package dev.inventory.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Combines concurrent calls into batches (group commit): a caller queues its input; while fewer than
 * {@code lanes} batches are in flight it runs one itself (taking whatever is queued, its own input
 * among it), else it waits until a batch carried its input or a finished leader hands it a lane. With
 * one caller, a batch is that caller's input alone, so nothing waits for company.
 *
 * <p>Each batch goes to Redis as one script call over one connection: under fan-out (thousands of
 * virtual threads, a pool of tens of connections) the callers park instead of fighting over pooled
 * connections, and Redis runs one script per batch instead of one per call.
 *
 * @param <I> one call's input
 * @param <O> one call's output
 */
final class Batcher<I, O> {
    private static final int TAKEN = 1;
    private static final int DONE = 2;
    private static final int LEAD = 4;

    private final ConcurrentLinkedQueue<Call<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore lanes;
    private final int max;
    private final Function<List<I>, List<O>> runner;

    /**
     * @param lanes batches in flight at most
     * @param max inputs per batch at most
     * @param runner runs one batch; answers one output per input, in order
     */
    Batcher(int lanes, int max, Function<List<I>, List<O>> runner) {
        this.lanes = new Semaphore(lanes);
        this.max = max;
        this.runner = runner;
    }

    /** Runs {@code input} in some batch and answers its output; a batch's failure is every caller's. */
    O submit(I input) {
        Call<I, O> call = new Call<>(input, Thread.currentThread());
        queue.add(call);
        if (lanes.tryAcquire()) {
            lead(call);
        }
        // the call may already be in flight: wait for it whatever happens (an interrupt is kept for later)
        boolean interrupted = false;
        try {
            while (true) {
                int s = call.state.get();
                if ((s & LEAD) != 0) {
                    if (call.state.compareAndSet(s, s & ~LEAD)) {
                        lead(call);
                    }
                    continue;
                }
                if ((s & DONE) != 0) {
                    return call.result();
                }
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs batches while holding a lane, until the caller's own input is done; then hands the lane on. */
    private void lead(Call<I, O> self) {
        try {
            while ((self.state.get() & DONE) == 0) {
                List<Call<I, O>> batch = drain();
                if (batch.isEmpty()) {
                    break;
                }
                run(batch);
            }
        } finally {
            handOff();
        }
    }

    private List<Call<I, O>> drain() {
        List<Call<I, O>> batch = new ArrayList<>(Math.min(max, 64));
        Call<I, O> c;
        while (batch.size() < max && (c = queue.poll()) != null) {
            c.state.getAndUpdate(s -> s | TAKEN);
            batch.add(c);
        }
        return batch;
    }

    private void run(List<Call<I, O>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        for (Call<I, O> c : batch) {
            inputs.add(c.input);
        }
        List<O> outputs;
        try {
            outputs = runner.apply(inputs);
            if (outputs.size() != batch.size()) {
                throw new IllegalStateException("a batch of " + batch.size() + " answered " + outputs.size());
            }
        } catch (RuntimeException | Error e) {
            for (Call<I, O> c : batch) {
                c.complete(null, e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).complete(outputs.get(i), null);
        }
    }

    /**
     * Gives the lane to a queued caller nobody has taken or promoted yet, or back to the semaphore;
     * then, if such a caller came in meanwhile (it may have found no lane free), takes the lane again
     * for it. A caller already promoted needs nothing: its thread leads when it runs.
     */
    private void handOff() {
        while (true) {
            for (Call<I, O> c : queue) {
                if (c.promote()) {
                    LockSupport.unpark(c.thread);
                    return;
                }
            }
            lanes.release();
            if (!anyPromotable() || !lanes.tryAcquire()) {
                return;
            }
        }
    }

    private boolean anyPromotable() {
        for (Call<I, O> c : queue) {
            if ((c.state.get() & (TAKEN | LEAD)) == 0) {
                return true;
            }
        }
        return false;
    }

    private static final class Call<I, O> {
        final I input;
        final Thread thread;
        final AtomicInteger state = new AtomicInteger();
        private O output;
        private Throwable failure;

        Call(I input, Thread thread) {
            this.input = input;
            this.thread = thread;
        }

        /** Marks a queued, untaken call to lead next; false once a batch took it. */
        boolean promote() {
            while (true) {
                int s = state.get();
                if ((s & (TAKEN | LEAD)) != 0) {
                    return false;
                }
                if (state.compareAndSet(s, s | LEAD)) {
                    return true;
                }
            }
        }

        void complete(O value, Throwable error) {
            output = value;
            failure = error;
            state.getAndUpdate(s -> s | DONE);
            LockSupport.unpark(thread);
        }

        O result() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return output;
        }
    }
}
