package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.AvailabilityStatus;
import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ProductAvailability;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/** The display cache: served within its TTL, dropped on every change, and never in the way when Redis is not. */
class RedisAvailabilityCacheTest {
    private static final LocationId WH1 = LocationId.of("WH1");
    private static final LocationId WH2 = LocationId.of("WH2");

    private JedisPooled jedis;
    private String prefix;

    @BeforeEach
    void setUp() {
        jedis = TestRedis.single().client;
        prefix = TestRedis.newPrefix();
    }

    @AfterEach
    void tearDown() {
        TestRedis.single().deleteKeys(prefix);
    }

    @Test
    void anEntryRoundTripsAndLivesForItsTtl() {
        RedisAvailabilityCache cache = RedisAvailabilityCache.builder(jedis).keyPrefix(prefix)
                .ttl(Duration.ofSeconds(7)).build();
        Sku sku = Sku.of("TEE-M");
        ProductAvailability value = new ProductAvailability(sku, 7, Map.of("north & east=1", 3L, "default", 4L),
                Map.of(WH1, 3L, WH2, 4L), 2, AvailabilityStatus.IN_STOCK, "In Stock, ships today\n100% cotton");
        assertThat(cache.get(sku)).isEmpty();

        cache.put(value);

        assertThat(cache.get(sku)).contains(value);
        long ttl = jedis.pttl(prefix + "inv:{TEE-M}:avail");
        assertThat(ttl).isBetween(1L, 7_000L);
        cache.invalidate(sku);
        assertThat(cache.get(sku)).isEmpty();
    }

    @Test
    void anEntryIsGoneAfterItsTtl() {
        RedisAvailabilityCache cache = RedisAvailabilityCache.builder(jedis).keyPrefix(prefix)
                .ttl(Duration.ofMillis(50)).build();
        Sku sku = Sku.of("SHORT");
        cache.put(new ProductAvailability(sku, 1, Map.of(), Map.of(), 0, AvailabilityStatus.LOW_STOCK, "Only 1 left"));
        dev.inventory.core.contract.Await.until("the entry expires", Duration.ofSeconds(10),
                () -> cache.get(sku).isEmpty());
    }

    @Test
    void theInventoryServesPagesFromTheCacheAndDropsTheEntryOnEveryChange() {
        RedisAvailabilityCache cache = RedisAvailabilityCache.builder(jedis).keyPrefix(prefix).build();
        assertThat(cache.ttl()).isEqualTo(Duration.ofSeconds(30));
        try (Inventory inventory = Inventory.builder()
                .store(RedisInventoryStore.builder(jedis).keyPrefix(prefix).build())
                .availabilityCache(cache).withoutSweeper().build()) {
            Sku sku = Sku.of("MUG");
            inventory.stock().receive(sku, WH1, 10);
            assertThat(inventory.availability(sku).available()).isEqualTo(10);
            assertThat(cache.get(sku)).hasValueSatisfying(a -> assertThat(a.available()).isEqualTo(10));

            // a change the inventory did not make (another process) is not seen until the entry goes
            jedis.hset(prefix + "inv:{MUG}:lvl:WH1", "oh", "11");
            assertThat(inventory.availability(sku).available()).as("served from the cache").isEqualTo(10);

            // a change through the inventory drops the entry
            inventory.reservations().reserve(ReservationRequest.builder("r1").line(sku, WH1, 4).build());
            assertThat(cache.get(sku)).isEmpty();
            assertThat(inventory.availability(sku).available()).isEqualTo(11 - 4);
        }
    }

    @Test
    void aCacheThatCannotReachRedisStaysOutOfTheWay() {
        try (UnifiedJedis nowhere = new UnifiedJedis(new redis.clients.jedis.HostAndPort("127.0.0.1",
                TestRedis.freePort()))) {
            RedisAvailabilityCache cache = RedisAvailabilityCache.builder(nowhere).build();
            Sku sku = Sku.of("X");
            assertThat(cache.get(sku)).isEmpty();
            cache.put(new ProductAvailability(sku, 1, Map.of(), Map.of(), 0, AvailabilityStatus.LOW_STOCK, "Only 1 left"));
            cache.invalidate(sku);
        }
    }

    @Test
    void builderNamesTheBadValue() {
        assertThatThrownBy(() -> RedisAvailabilityCache.builder(jedis).ttl(Duration.ZERO))
                .hasMessageContaining("ttl").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RedisAvailabilityCache.builder(jedis).keyPrefix("x y"))
                .hasMessageContaining("keyPrefix").hasMessageContaining("x y");
        assertThatThrownBy(() -> RedisAvailabilityCache.builder(null)).hasMessageContaining("jedis");
    }
}
