package dev.inventory.kafka;

import dev.inventory.core.Inventory;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.OutboxSource;
import dev.inventory.redis.RedisInventoryStore;
import dev.inventory.redis.RedisOutboxSource;
import dev.inventory.redis.TestRedis;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The "journal relay": the relay over the Redis journal streams ({@link RedisOutboxSource}) and a real
 * broker. Redis is {@code INVENTORY_TEST_REDIS_URL} or an embedded one ({@link TestRedis}); each test
 * works under its own key prefix and deletes only keys under it.
 */
@ExtendWith(KafkaBroker.class)
class RedisJournalRelayKafkaTest extends RealSourceRelayScenarios {
    private JedisPooled jedis;
    private String prefix;

    @Override
    protected Inventory openInventory(Consumer<InventoryEvent> listener) {
        prefix = "kafka-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        jedis = new JedisPooled(TestRedis.singleUri());
        return Inventory.builder().store(RedisInventoryStore.builder(jedis).keyPrefix(prefix).build())
                .withoutSweeper().listener(listener::accept).build();
    }

    @Override
    protected OutboxSource openSource() {
        // another instance: its own source object on the same streams and consumer group
        return RedisOutboxSource.builder(jedis).keyPrefix(prefix).lease(Duration.ofSeconds(10)).build();
    }

    @Override
    protected long storedRecords() {
        long entries = 0;
        for (String key : keys(prefix + "inv:{*}:journal")) {
            entries += jedis.xlen(key);
        }
        return entries;
    }

    @Override
    protected void dropTestData() {
        if (jedis == null) {
            return;
        }
        try {
            for (String key : keys(prefix + "*")) {
                jedis.unlink(key);
            }
        } finally {
            jedis.close();
        }
    }

    private java.util.List<String> keys(String pattern) {
        java.util.List<String> out = new java.util.ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(pattern).count(1000);
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }
}
