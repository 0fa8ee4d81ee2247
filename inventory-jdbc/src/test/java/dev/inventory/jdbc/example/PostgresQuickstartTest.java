package dev.inventory.jdbc.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.jdbc.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the README's quickstart against the test database, in a schema of its own. */
class PostgresQuickstartTest {

    @Test
    void quickstartRunsAndPrintsTheStory() throws Exception {
        String schema = TestPostgres.newSchema();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PostgresQuickstart.main(new String[] {TestPostgres.jdbcUrl(), schema});
            PostgresQuickstart.run(TestPostgres.jdbcUrl(), schema, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);
            // the second run finds checkout-42 already fulfilled: every call is idempotent by id
            assertThat(out).contains("reserve checkout-42: Replayed", "confirm: Replayed", "fulfil: Replayed",
                    "TEE-M at WH-1: onHand=198 allocated=0 reserved=0 available=198 version=5",
                    "ledger RECEIPT +100 -> 100", "ledger FULFILMENT -2 -> 98", "ledger RECEIPT +100 -> 198",
                    "publish key=TEE-M:WH-1 type=inventory.restocked version=5", "relayed 1 outbox records");
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }
}
