package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.contract.MutableClock;
import dev.inventory.core.spi.OutboxSource.OutboxRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;

/** Two namespaces on one server share nothing: not stock, not hold ids, not sweeps, not journals. */
class NamespaceIsolationTest {
    private static final LocationId WH = LocationId.of("WH1");
    private final String shopA = TestRedis.newPrefix();
    private final String shopB = TestRedis.newPrefix();

    @AfterEach
    void tearDown() {
        TestRedis.single().deleteKeys(shopA);
        TestRedis.single().deleteKeys(shopB);
    }

    @Test
    void twoNamespacesOnOneServerDoNotSeeEachOther() throws Exception {
        var jedis = TestRedis.single().client;
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (Inventory a = inventory(jedis, shopA, clock); Inventory b = inventory(jedis, shopB, clock)) {
            Sku tee = Sku.of("TEE");
            a.stock().receive(tee, WH, 10);
            b.stock().receive(tee, WH, 3);

            // the same hold id in both shops: two different holds
            assertThat(a.reservations().reserve(ReservationRequest.builder("r1").line(tee, WH, 5).build()))
                    .isInstanceOf(ReservationResult.Success.class);
            var inB = b.reservations().reserve(ReservationRequest.builder("r1").line(tee, WH, 5).build());
            assertThat(inB).isInstanceOf(ReservationResult.InsufficientStock.class);
            assertThat(((ReservationResult.InsufficientStock) inB).available()).isEqualTo(3);
            assertThat(b.reservations().find(ReservationId.of("r1"))).isEmpty();
            assertThat(b.reservations().reserve(ReservationRequest.builder("r1").line(tee, WH, 2).build()))
                    .isInstanceOf(ReservationResult.Success.class);

            assertThat(a.level(tee, WH).orElseThrow().reserved()).isEqualTo(5);
            assertThat(b.level(tee, WH).orElseThrow().reserved()).isEqualTo(2);

            // A's sweeper expires A's holds only
            clock.advance(Duration.ofMinutes(15));
            assertThat(a.sweeper().sweepOnce()).isEqualTo(1);
            assertThat(b.reservations().find(ReservationId.of("r1")).orElseThrow().status())
                    .isEqualTo(ReservationStatus.ACTIVE);
            assertThat(b.sweeper().sweepOnce()).isEqualTo(1);

            // each journal relays its own shop's events
            List<OutboxRecord> fromA = new ArrayList<>();
            RedisOutboxSource.builder(jedis).keyPrefix(shopA).build().relay(100, records -> {
                fromA.addAll(records);
                Set<java.util.UUID> ids = new HashSet<>();
                records.forEach(r -> ids.add(r.id()));
                return ids;
            });
            assertThat(fromA).extracting(OutboxRecord::type)
                    .containsExactly("inventory.restocked", "inventory.reserved", "inventory.expired");
        }
        // every key lives under its namespace
        try (Jedis raw = new Jedis(TestRedis.single().hostAndPort())) {
            List<String> keysA = raw.scan("0", new ScanParams().match(shopA + "*").count(10_000)).getResult();
            assertThat(keysA).isNotEmpty().allMatch(k -> k.startsWith(shopA + "inv:"));
        }
    }

    private static Inventory inventory(redis.clients.jedis.UnifiedJedis jedis, String prefix, MutableClock clock) {
        return Inventory.builder().store(RedisInventoryStore.builder(jedis).keyPrefix(prefix).build()).clock(clock)
                .withoutSweeper().build();
    }
}
