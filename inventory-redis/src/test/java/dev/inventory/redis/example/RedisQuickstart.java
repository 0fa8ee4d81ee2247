package dev.inventory.redis.example;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.redis.RedisAvailabilityCache;
import dev.inventory.redis.RedisInventoryStore;
import dev.inventory.redis.RedisOutboxSource;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis store in ten lines: stock in, a hold, its confirmation, the product page through the
 * display cache, and the journal relayed. Runs against the Redis named by its first argument (default
 * {@code redis://127.0.0.1:6379}) under a fresh key prefix, and deletes its keys at the end.
 */
public final class RedisQuickstart {
    private RedisQuickstart() {
    }

    public static void main(String[] args) throws Exception {
        URI redis = URI.create(args.length > 0 ? args[0] : "redis://127.0.0.1:6379");
        String prefix = "quickstart-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        try (JedisPooled jedis = new JedisPooled(redis)) {
            try (Inventory inventory = Inventory.builder()
                    .store(RedisInventoryStore.builder(jedis).keyPrefix(prefix).build())
                    .availabilityCache(RedisAvailabilityCache.builder(jedis).keyPrefix(prefix).build())
                    .build()) {
                Sku tee = Sku.of("TEE-M");
                LocationId wh = LocationId.of("WH-1");
                inventory.stock().receive(tee, wh, 100);
                ReservationResult hold = inventory.reservations().reserve(
                        ReservationRequest.builder("checkout-42").line(tee, wh, 2).cartId("cart-7").build());
                System.out.println("reserve: " + hold.getClass().getSimpleName());
                System.out.println("confirm: " + inventory.reservations().confirm(ReservationId.of("checkout-42"))
                        .getClass().getSimpleName());
                var level = inventory.level(tee, wh).orElseThrow();
                System.out.println("level: onHand=" + level.onHand() + " allocated=" + level.allocated()
                        + " available=" + level.available());
                System.out.println("page: " + inventory.availability(tee).message());

                RedisOutboxSource journal = RedisOutboxSource.builder(jedis).keyPrefix(prefix).build();
                int relayed = journal.relay(100, records -> {
                    Set<UUID> acked = new HashSet<>();
                    records.forEach(r -> {
                        System.out.println("event: " + r.type() + " " + r.aggregateId() + " v" + r.aggregateVersion());
                        acked.add(r.id());
                    });
                    return acked; // a real relay returns what the broker acknowledged
                });
                System.out.println("relayed: " + relayed);
            } finally {
                deleteKeys(jedis, prefix);
            }
        }
    }

    private static void deleteKeys(JedisPooled jedis, String prefix) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(1000));
            page.getResult().forEach(jedis::unlink);
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
}
