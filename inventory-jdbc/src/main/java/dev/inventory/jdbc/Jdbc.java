package dev.inventory.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work on connections of the store's {@link DataSource}: a read in auto-commit mode,
 * or a transaction at READ COMMITTED that commits unless the work asks for a rollback. Any failure
 * rolls back and becomes an {@link dev.inventory.core.InventoryStoreException}.
 */
final class Jdbc {
    private static final Logger log = LoggerFactory.getLogger(Jdbc.class);

    /** Work inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** Work on an auto-commit connection (one statement, a read). */
    @FunctionalInterface
    interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A running transaction. */
    static final class Tx {
        final Connection connection;
        private final boolean idempotent;
        private boolean rollback;
        private boolean committing;
        private boolean committed;

        private Tx(Connection connection, boolean idempotent) {
            this.connection = connection;
            this.idempotent = idempotent;
        }

        /** Ends the transaction with a rollback instead of a commit (a refusal: nothing to keep). */
        void rollbackOnly() {
            rollback = true;
        }

        /**
         * Whether the work may send its last statement and COMMIT in one round trip: only for an
         * idempotent call, since a connection lost during that round trip leaves the outcome unknown,
         * which a retry resolves only for an idempotent call.
         */
        boolean mayCommitWithLastStatement() {
            return idempotent && !rollback;
        }

        /** The next statement carries the COMMIT: a lost connection from now on leaves the outcome unknown. */
        void committingNow() {
            committing = true;
        }

        /** The work's last statement committed the transaction (it ran COMMIT itself). */
        void committed() {
            committed = true;
        }
    }

    private final DataSource dataSource;
    private final boolean setIsolation;

    /**
     * @param setIsolation whether every transaction must set READ COMMITTED itself, because the
     *     connections do not come in it
     */
    Jdbc(DataSource dataSource, boolean setIsolation) {
        this.dataSource = dataSource;
        this.setIsolation = setIsolation;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} in one transaction.
     *
     * @param what names the call in an error message
     * @param idempotent whether repeating the call cannot apply it twice (for a failure during commit)
     */
    <T> T inTransaction(String what, boolean idempotent, Work<T> work) {
        boolean committing = false;
        Tx tx = null;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = setIsolation ? c.getTransactionIsolation() : Connection.TRANSACTION_READ_COMMITTED;
            try {
                if (setIsolation && isolation != Connection.TRANSACTION_READ_COMMITTED) {
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
                c.setAutoCommit(false);
                tx = new Tx(c, idempotent);
                T result = work.run(tx);
                if (tx.rollback) {
                    c.rollback();
                } else if (!tx.committed) {
                    committing = true;
                    c.commit();
                }
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                restore(c, autoCommit, isolation);
            }
        } catch (SQLException e) {
            throw Failures.of(what, e, committing || (tx != null && tx.committing), idempotent);
        }
    }

    /** Runs {@code read} on an auto-commit connection. */
    <T> T read(String what, Read<T> read) {
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                // a host pool handing out manual-commit connections: end the read's implicit transaction
                try {
                    T result = read.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            }
            return read.run(c);
        } catch (SQLException e) {
            throw Failures.of(what, e, false, true);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback after a failure failed too (the connection is probably gone)", e);
        }
    }

    private void restore(Connection c, boolean autoCommit, int isolation) {
        try {
            if (autoCommit) {
                c.setAutoCommit(true);
            }
            if (setIsolation && isolation != Connection.TRANSACTION_READ_COMMITTED) {
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            log.debug("could not restore the connection's settings (the connection is probably gone)", e);
        }
    }
}
