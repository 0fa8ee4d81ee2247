package dev.inventory.core;

/**
 * The one exception type for infrastructure failures (a database or Redis unreachable, a timeout,
 * a lost connection). A store that throws it has applied nothing of the failed call: every write is
 * atomic. {@link #isRetrySafe()} says whether repeating the same call is safe and may succeed;
 * reservation calls are idempotent by id, so repeating them is always safe.
 */
public class InventoryStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retrySafe;

    /**
     * @param message what failed
     * @param cause the driver's exception
     * @param retrySafe whether repeating the call is safe and may succeed (a transient failure)
     */
    public InventoryStoreException(String message, Throwable cause, boolean retrySafe) {
        super(message, cause);
        this.retrySafe = retrySafe;
    }

    /** Whether repeating the same call is safe and may succeed: the failure was transient. */
    public boolean isRetrySafe() {
        return retrySafe;
    }
}
