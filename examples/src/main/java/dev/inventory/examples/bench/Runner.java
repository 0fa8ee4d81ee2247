package dev.inventory.examples.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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

    private final PrintStream progress;

    Runner(PrintStream progress) {
        this.progress = progress;
    }

    /** Closed loop: each of {@code threads} platform threads runs {@code op} back to back. */
    Measured closedLoop(String label, int threads, Duration warmup, Duration measure, Op op) throws Exception {
        Recorder recorder = new Recorder(3);
        LongAdder operations = new LongAdder();
        LongAdder successes = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong sequence = new AtomicLong();
        List<Throwable> failures = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        boolean ok = op.run(thread, sequence.getAndIncrement());
                        long took = System.nanoTime() - start;
                        if (measuring.get()) {
                            recorder.recordValue(Math.max(1, took));
                            operations.increment();
                            if (ok) {
                                successes.increment();
                            }
                        }
                    }
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
        sleepWithProgress(label + " warm-up", warmup, operations);
        recorder.getIntervalHistogram(); // drop warm-up samples
        measuring.set(true);
        long started = System.nanoTime();
        sleepWithProgress(label, measure, operations);
        measuring.set(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        stop.set(true);
        done.await();
        progress.print("\r" + " ".repeat(100) + "\r");
        if (!failures.isEmpty()) {
            throw new IllegalStateException(label + " failed: " + failures.get(0), failures.get(0));
        }
        return new Measured(operations.sum(), successes.sum(), seconds, recorder.getIntervalHistogram());
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

    private void sleepWithProgress(String label, Duration d, LongAdder operations) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        long last = operations.sum();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            long now = operations.sum();
            progress.printf("\r  %-60s %,12d ops/s   ", label, now - last);
            last = now;
        }
    }
}
