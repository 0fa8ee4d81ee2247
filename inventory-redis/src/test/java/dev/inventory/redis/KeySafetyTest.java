package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.executors.DefaultCommandExecutor;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.resps.ScanResult;

/**
 * Nothing a caller passes can break a key or a hash tag: malformed identifiers are refused before any
 * command is sent, and every key of a SKU carries exactly that SKU as its hash tag.
 */
class KeySafetyTest {
    private static final LocationId WH = LocationId.of("WH1");
    private final String prefix = TestRedis.newPrefix();

    @AfterEach
    void tearDown() {
        TestRedis.single().deleteKeys(prefix);
    }

    @Test
    void aMalformedIdentifierNeverReachesRedis() throws Exception {
        AtomicInteger commands = new AtomicInteger();
        PooledConnectionProvider provider = new PooledConnectionProvider(TestRedis.single().hostAndPort());
        try (UnifiedJedis counted = new UnifiedJedis(new Counting(new DefaultCommandExecutor(provider), commands),
                provider, new CommandObjects());
                Inventory inventory = Inventory.builder()
                        .store(RedisInventoryStore.builder(counted).keyPrefix(prefix).build()).withoutSweeper().build()) {
            inventory.stock().receive(Sku.of("OK-1"), WH, 1);
            assertThat(commands.get()).as("the probe counts what reaches Redis").isPositive();
            commands.set(0);

            for (String bad : List.of("A}B", "{A}", "A{", "A B", "A:B", "A*", "Ä", "", "A\nB", "x".repeat(65))) {
                assertThatThrownBy(() -> inventory.stock().receive(Sku.of(bad), WH, 1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sku");
                assertThatThrownBy(() -> inventory.reservations().reserve(ReservationRequest.builder("r1")
                        .line(bad, "WH1", 1).build())).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("sku");
                assertThatThrownBy(() -> inventory.stock().receive(Sku.of("OK-1"), LocationId.of(bad), 1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("locationId");
            }
            for (String bad : List.of("r{1}", "r 1", "r}", "")) {
                assertThatThrownBy(() -> inventory.reservations().confirm(ReservationId.of(bad)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reservationId");
            }
            assertThat(commands.get()).as("commands sent for malformed input").isZero();
        }
        assertThatThrownBy(() -> RedisInventoryStore.builder(TestRedis.single().client).keyPrefix("shop{1}:"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix")
                .hasMessageContaining("shop{1}:");
    }

    @Test
    void everyKeyOfASkuCarriesTheSkuAsItsHashTag() {
        Set<String> skus = Set.of("a.b_c-D9", "Z", "x-1.0_beta");
        try (Inventory inventory = Inventory.builder()
                .store(RedisInventoryStore.builder(TestRedis.single().client).keyPrefix(prefix).build())
                .withoutSweeper().build()) {
            for (String sku : skus) {
                inventory.stock().receive(Sku.of(sku), WH, 5);
                inventory.stock().transferOut(Sku.of(sku), WH, LocationId.of("WH.2"), 1);
            }
            inventory.reservations().reserve(ReservationRequest.builder("order:42.a_b-c")
                    .lines(skus.stream().map(s -> ReservationLine.of(s, "WH1", 1)).toList()).build());
            inventory.sweeper().sweepOnce();
        }
        int checked = 0;
        try (Jedis raw = new Jedis(TestRedis.single().hostAndPort())) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = raw.scan(cursor, new ScanParams().match(prefix + "*").count(1000));
                for (String key : page.getResult()) {
                    String tag = key.substring(key.indexOf('{') + 1, key.indexOf('}'));
                    if (key.startsWith(prefix + "inv:id:")) {
                        assertThat(tag).isEqualTo("order:42.a_b-c");
                    } else if (!tag.equals(":reg")) {
                        assertThat(skus).as("hash tag of %s", key).contains(tag);
                        assertThat(key).startsWith(prefix + "inv:{" + tag + "}:");
                    }
                    checked++;
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        assertThat(checked).as("keys written").isGreaterThan(10);
    }

    /** Counts every command sent through it. */
    private record Counting(CommandExecutor inner, AtomicInteger count) implements CommandExecutor {
        @Override
        public <T> T executeCommand(CommandObject<T> commandObject) {
            count.incrementAndGet();
            return inner.executeCommand(commandObject);
        }

        @Override
        public void close() throws Exception {
            inner.close();
        }
    }
}
