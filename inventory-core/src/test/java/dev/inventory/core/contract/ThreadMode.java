package dev.inventory.core.contract;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Platform or virtual threads, for the concurrency tests that must hold on both. */
public enum ThreadMode {
    /** One platform thread per task. */
    PLATFORM,
    /** One virtual thread per task. */
    VIRTUAL;

    /** An executor starting one thread of this mode per task. */
    public ExecutorService executor() {
        return this == PLATFORM
                ? Executors.newCachedThreadPool()
                : Executors.newVirtualThreadPerTaskExecutor();
    }
}
