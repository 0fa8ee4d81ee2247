package dev.inventory.core;

/**
 * Expires due holds in batches on a schedule. Safe with several application instances on one
 * shared store: each due hold is expired exactly once. Reserves also expire due holds lazily, so
 * stock never stays stuck behind a late or stopped sweeper.
 */
public interface ExpirySweeper {

    /** Starts sweeping every interval; does nothing when running. */
    void start();

    /** Stops sweeping and waits for a running sweep to finish; does nothing when stopped. */
    void stop();

    /** Whether it sweeps on its schedule. */
    boolean isRunning();

    /**
     * Expires every hold due now, batch after batch, on the calling thread.
     *
     * @return how many holds expired
     */
    int sweepOnce();
}
