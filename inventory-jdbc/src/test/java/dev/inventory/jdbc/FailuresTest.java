package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.InventoryStoreException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Which driver failures the store reports as retry-safe. */
class FailuresTest {

    @ParameterizedTest(name = "SQLState {0} -> retrySafe {1}")
    @CsvSource({
        "08006, true", // connection failure
        "08001, true", // cannot connect
        "40001, true", // serialization failure
        "40P01, true", // deadlock
        "57P01, true", // admin shutdown (pg_terminate_backend)
        "53300, true", // too many connections
        "57014, true", // statement timeout
        "55P03, true", // lock timeout
        "23514, false", // check violation: a bug, not transient
        "42P01, false", // undefined table
        "22001, false"}) // string too long
    void mapsSqlStates(String state, boolean retrySafe) {
        InventoryStoreException e = Failures.of("reserve r1", new SQLException("boom", state), false, false);
        assertThat(e.isRetrySafe()).isEqualTo(retrySafe);
        assertThat(e.getMessage()).contains("reserve r1").contains(state).contains("boom");
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
    }

    @Test
    void poolTimeoutIsRetrySafe() {
        var e = Failures.of("level", new SQLTransientConnectionException("pool timed out"), false, true);
        assertThat(e.isRetrySafe()).isTrue();
    }

    @Test
    void connectionLostDuringCommitIsRetrySafeOnlyForIdempotentCalls() {
        SQLException lost = new SQLException("I/O error", "08006");
        InventoryStoreException idempotent = Failures.of("confirm r1", lost, true, true);
        assertThat(idempotent.isRetrySafe()).isTrue();
        assertThat(idempotent.getMessage()).contains("may or may not be applied");
        InventoryStoreException blind = Failures.of("Receive A@WH1", lost, true, false);
        assertThat(blind.isRetrySafe()).isFalse();
        assertThat(blind.getMessage()).contains("may or may not be applied").contains("ledger");
    }

    @Test
    void serializationFailureDuringCommitRolledBackSoItIsRetrySafe() {
        var e = Failures.of("Receive A@WH1", new SQLException("could not serialize", "40001"), true, false);
        assertThat(e.isRetrySafe()).isTrue();
    }
}
