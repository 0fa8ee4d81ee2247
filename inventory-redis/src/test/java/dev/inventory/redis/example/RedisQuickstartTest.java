package dev.inventory.redis.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import dev.inventory.redis.TestRedis;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the quickstart's main against the test Redis and checks what it prints. */
class RedisQuickstartTest {

    @Test
    void theQuickstartRuns() throws Exception {
        String uri = TestRedis.singleUri().toString();

        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            RedisQuickstart.main(new String[] {uri});
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("reserve: Success", "confirm: Success",
                "level: onHand=100 allocated=2 available=98", "page: In Stock",
                "event: inventory.restocked TEE-M:WH-1 v1", "event: inventory.reserved TEE-M:WH-1 v2",
                "event: inventory.confirmed TEE-M:WH-1 v3", "relayed: 3");
    }
}
