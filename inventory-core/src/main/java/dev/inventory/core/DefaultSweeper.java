package dev.inventory.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link DefaultInventory#expireDue(int)} on a daemon thread, batch after batch. */
final class DefaultSweeper implements ExpirySweeper {
    private static final Logger log = LoggerFactory.getLogger(DefaultSweeper.class);
    private static final int MAX_BATCHES_PER_SWEEP = 1_000;

    private final DefaultInventory inventory;
    private final Duration interval;
    private final int batchSize;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> task;

    DefaultSweeper(DefaultInventory inventory, Duration interval, int batchSize) {
        this.inventory = inventory;
        this.interval = interval;
        this.batchSize = batchSize;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inventory-expiry-sweeper");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        task = executor.scheduleWithFixedDelay(this::sweepLogged, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        task.cancel(false);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("expiry sweeper did not finish its sweep within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
        task = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public int sweepOnce() {
        int total = 0;
        for (int i = 0; i < MAX_BATCHES_PER_SWEEP; i++) {
            int expired = inventory.expireDue(batchSize);
            total += expired;
            if (expired < batchSize) {
                break;
            }
        }
        return total;
    }

    private void sweepLogged() {
        try {
            int expired = sweepOnce();
            if (expired > 0) {
                log.debug("expired {} holds", expired);
            }
        } catch (RuntimeException e) {
            log.warn("expiry sweep failed; it runs again in {}", interval, e);
        }
    }
}
