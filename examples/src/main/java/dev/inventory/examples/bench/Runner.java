package dev.inventory.examples.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Runs an operation on N threads for a while and measures throughput and latency. */
final class Runner {
    /** One operation of a scenario; returns whether it succeeded. */
    @FunctionalInterface
    interface Op {
        boolean run(int thread, long sequence) throws Exception;
    }

    /** Totals of a run, before the oversell check. */
    record Measured(long operations, long successes, double seconds, Histogram latency) {
    }

    /** Slots between two threads' progress counters: 128 bytes, more than a cache line. */
    private static final int PAD = 16;

    private final PrintStream progress;

    Runner(PrintStream progress) {
        this.progress = progress;
    }

    /**
     * Closed loop: each of {@code threads} platform threads runs {@code op} back to back.
     *
     * <p>The loop itself must cost next to nothing, or it measures itself instead of the contenders:
     * every thread keeps its own sequence, counters and latency histogram (plain fields, no shared
     * atomic touched per operation) and they are summed once at the end. Sequences stay unique across
     * threads ({@code local * threads + thread}).
     */
    Measured closedLoop(String label, int threads, Duration warmup, Duration measure, Op op) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        List<Throwable> failures = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        Lane[] lanes = new Lane[threads];
        AtomicLongArray progressed = new AtomicLongArray(threads * PAD);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Lane lane = new Lane();
            lanes[t] = lane;
            Thread worker = new Thread(() -> {
                try {
                    Histogram histogram = new Histogram(3);
                    lane.histogram = histogram;
                    long local = 0;
                    long ops = 0;
                    long ok = 0;
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        boolean success = op.run(thread, local * threads + thread);
                        long took = System.nanoTime() - start;
                        local++;
                        progressed.lazySet(thread * PAD, local); // own cache line per thread
                        if (measuring.get()) {
                            histogram.recordValue(Math.max(1, took));
                            ops++;
                            if (success) {
                                ok++;
                            }
                        }
                    }
                    lane.operations = ops;
                    lane.successes = ok;
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                    stop.set(true);
                } finally {
                    done.countDown();
                }
            }, "bench-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        sleepWithProgress(label + " warm-up", warmup, progressed);
        measuring.set(true);
        long started = System.nanoTime();
        sleepWithProgress(label, measure, progressed);
        measuring.set(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        stop.set(true);
        done.await();
        progress.print("\r" + " ".repeat(100) + "\r");
        if (!failures.isEmpty()) {
            throw new IllegalStateException(label + " failed: " + failures.get(0), failures.get(0));
        }
        Histogram latency = new Histogram(3);
        long operations = 0;
        long successes = 0;
        for (Lane lane : lanes) {
            latency.add(lane.histogram);
            operations += lane.operations;
            successes += lane.successes;
        }
        return new Measured(operations, successes, seconds, latency);
    }

    /**
     * One closed-loop thread's totals, written by that thread only and read after it ended. Its
     * progress for the console (all operations, warm-up included) goes to its own padded slot of an
     * {@link AtomicLongArray} with an ordered store.
     */
    private static final class Lane {
        Histogram histogram;
        long operations;
        long successes;
    }

    /** One virtual thread per task, all released at once; measures each task and the whole. */
    Measured burst(String label, int tasks, Op op) throws Exception {
        Recorder recorder = new Recorder(3);
        LongAdder successes = new LongAdder();
        CountDownLatch ready = new CountDownLatch(tasks);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>(tasks);
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                ready.countDown();
                try {
                    go.await();
                    long start = System.nanoTime();
                    boolean ok = op.run(n, n);
                    recorder.recordValue(Math.max(1, System.nanoTime() - start));
                    if (ok) {
                        successes.increment();
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        ready.await();
        long started = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException(label + " failed: " + failures.get(0), failures.get(0));
        }
        return new Measured(tasks, successes.sum(), seconds, recorder.getIntervalHistogram());
    }

    private void sleepWithProgress(String label, Duration d, AtomicLongArray progressed) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        long last = progressOf(progressed);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            long now = progressOf(progressed);
            progress.printf("\r  %-60s %,12d ops/s   ", label, now - last);
            last = now;
        }
    }

    private static long progressOf(AtomicLongArray progressed) {
        long sum = 0;
        for (int i = 0; i < progressed.length(); i += PAD) {
            sum += progressed.get(i);
        }
        return sum;
    }
}
