package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Scripts are called by SHA and loaded again when a server answers NOSCRIPT (after a restart, a
 * failover or SCRIPT FLUSH). The flush runs only on servers these tests started.
 */
class ScriptReloadTest {
    private static final LocationId WH = LocationId.of("WH1");

    @Test
    void scriptsAreLoadedAgainAfterScriptFlushOnOneNode() {
        TestRedis.Server server = TestRedis.privateServer();
        try (Inventory inventory = Inventory.builder()
                .store(RedisInventoryStore.builder(server.client).keyPrefix("reload:").build()).withoutSweeper().build()) {
            Sku sku = Sku.of("A");
            inventory.stock().receive(sku, WH, 5);
            assertThat(scriptKnown(server.hostAndPort(), Scripts.STOCK)).isTrue();

            server.client.scriptFlush();
            assertThat(scriptKnown(server.hostAndPort(), Scripts.STOCK)).isFalse();

            assertThat(inventory.reservations().reserve(ReservationRequest.builder("r1").line(sku, WH, 2).build()))
                    .isInstanceOf(ReservationResult.Success.class);
            server.client.scriptFlush();
            assertThat(inventory.levels(sku)).singleElement().satisfies(l -> assertThat(l.reserved()).isEqualTo(2));
            server.client.scriptFlush();
            assertThat(inventory.reservations().confirm(ReservationId.of("r1"))).isInstanceOf(ReservationResult.Success.class);
            assertThat(scriptKnown(server.hostAndPort(), Scripts.TRANSITION)).isTrue();
        } finally {
            server.stop();
        }
    }

    @Test
    void scriptsAreLoadedAgainAfterScriptFlushOnEveryClusterNode() {
        TestRedis.Cluster cluster = TestRedis.cluster();
        String prefix = TestRedis.newPrefix();
        try (Inventory inventory = Inventory.builder()
                .store(RedisInventoryStore.builder(cluster.client).keyPrefix(prefix).build()).withoutSweeper().build()) {
            Sku a = Sku.of("A");
            Sku b = Sku.of("B");
            inventory.stock().receive(a, WH, 5);
            inventory.stock().receive(b, WH, 5);
            flushAll(cluster);
            assertThat(inventory.reservations().reserve(ReservationRequest.builder("r1").line(a, WH, 1).line(b, WH, 1)
                    .holdFor(Duration.ofMinutes(1)).build())).isInstanceOf(ReservationResult.Success.class);
            flushAll(cluster);
            assertThat(inventory.reservations().release(ReservationId.of("r1"))).isInstanceOf(ReservationResult.Success.class);
            assertThat(inventory.level(a, WH).orElseThrow().reserved()).isZero();
            assertThat(inventory.level(b, WH).orElseThrow().reserved()).isZero();
        } finally {
            cluster.deleteKeys(prefix);
        }
    }

    private static void flushAll(TestRedis.Cluster cluster) {
        for (HostAndPort node : cluster.nodes) {
            try (Jedis j = new Jedis(node)) {
                j.scriptFlush();
            }
        }
    }

    private static boolean scriptKnown(HostAndPort node, Scripts.Script script) {
        try (Jedis j = new Jedis(node)) {
            return j.scriptExists(script.sha);
        }
    }
}
