package dev.inventory.jdbc;

import dev.inventory.core.InventoryStoreException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Turns a driver failure into the one documented {@link InventoryStoreException}, saying whether a
 * retry is safe.
 *
 * <p>A transient failure (lost connection, admin shutdown, serialization failure or deadlock, too
 * many connections, lock or statement timeout, a pool that gave no connection in time) rolled the
 * transaction back, so repeating the call is safe. The one exception is a connection lost while
 * committing: the commit may or may not have happened, so a retry is safe only for an idempotent
 * call (reservation calls by id, stock commands carrying an event id, reads).
 */
final class Failures {
    /** SQLStates (besides class 08, connection exception) after which the transaction surely rolled back. */
    private static final Set<String> TRANSIENT = Set.of(
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03", // lock_not_available (lock_timeout)
            "57014", // query_canceled (statement_timeout)
            "57P01", // admin_shutdown (pg_terminate_backend)
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now
            "53300", // too_many_connections
            "53400"); // configuration_limit_exceeded

    private Failures() {
    }

    /**
     * @param what the call that failed, for the message
     * @param e the driver's failure
     * @param duringCommit whether it was thrown by {@code commit()}
     * @param idempotent whether repeating the call cannot apply it twice
     */
    static InventoryStoreException of(String what, SQLException e, boolean duringCommit, boolean idempotent) {
        String state = sqlState(e);
        boolean transientFailure = isTransient(e);
        boolean connectionLost = state != null && (state.startsWith("08") || state.startsWith("57P"));
        StringBuilder message = new StringBuilder("PostgreSQL failed during ").append(what);
        if (state != null) {
            message.append(" (SQLState ").append(state).append(')');
        }
        message.append(": ").append(e.getMessage());
        boolean retrySafe;
        if (duringCommit && connectionLost) {
            retrySafe = idempotent;
            message.append("; the connection was lost while committing, so the change may or may not be applied");
            message.append(idempotent ? "; the call is idempotent, a retry is safe"
                    : "; check the level or its ledger before repeating it");
        } else if (transientFailure) {
            retrySafe = true;
            message.append("; nothing was applied and a retry is safe");
        } else {
            retrySafe = false;
            message.append("; nothing was applied; the failure is not transient");
        }
        return new InventoryStoreException(message.toString(), e, retrySafe);
    }

    /** Whether the failure is transient: repeating the same statement later may succeed. */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || TRANSIENT.contains(state))) {
                    return true;
                }
                SQLException next = s.getNextException();
                if (next != null && next != s && isTransient(next)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }
}
