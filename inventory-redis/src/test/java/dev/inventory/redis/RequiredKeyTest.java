package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** A store built with {@code requiringKey} refuses every script, retry-safe and changing nothing, while the key is missing. */
class RequiredKeyTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final LocationId WH = LocationId.of("WH1");

    @Test
    void scriptsRefuseWithoutTheKeyAndRunWithIt() {
        JedisPooled jedis = TestRedis.single().client;
        String prefix = TestRedis.newPrefix();
        String marker = prefix + "loaded";
        RedisInventoryStore plain = RedisInventoryStore.builder(jedis).keyPrefix(prefix).build();
        RedisInventoryStore guarded = plain.requiringKey(marker);
        Sku sku = Sku.of("A");
        try {
            assertThat(plain.apply(new StockCommand.Receive(sku, WH, 5, Origin.NONE), NOW).value().isApplied()).isTrue();
            Reservation hold = new Reservation(ReservationId.of("r1"), List.of(new ReservationLine(sku, WH, 2)),
                    Optional.empty(), Optional.empty(), Optional.empty(), ReservationStatus.ACTIVE, NOW,
                    NOW.plus(Duration.ofMinutes(5)), NOW);

            // no key: refused, retry-safe (even for a command without an event id), nothing changed
            assertThatThrownBy(() -> guarded.apply(new StockCommand.Receive(sku, WH, 5, Origin.NONE), NOW))
                    .isInstanceOfSatisfying(InventoryStoreException.class, e -> {
                        assertThat(e.isRetrySafe()).isTrue();
                        assertThat(RedisInventoryStore.isMissingRequiredKey(e)).isTrue();
                    });
            assertThatThrownBy(() -> guarded.reserve(hold, NOW)).isInstanceOfSatisfying(InventoryStoreException.class,
                    e -> assertThat(RedisInventoryStore.isMissingRequiredKey(e)).isTrue());
            assertThat(plain.level(sku, WH).orElseThrow().onHand()).isEqualTo(5);
            assertThat(plain.level(sku, WH).orElseThrow().reserved()).isZero();
            assertThat(plain.reservation(hold.id())).isEmpty();

            // with the key: the same calls run
            jedis.set(marker, "1");
            assertThat(guarded.reserve(hold, NOW).value()).isInstanceOf(ReservationResult.Success.class);
            assertThat(guarded.transition(hold.id(), Transition.CONFIRM, NOW, Duration.ZERO).value())
                    .isInstanceOf(ReservationResult.Success.class);
            assertThat(guarded.apply(new StockCommand.Receive(sku, WH, 5, Origin.NONE), NOW).value().isApplied()).isTrue();
            assertThat(guarded.level(sku, WH).orElseThrow().onHand()).isEqualTo(10);
            assertThat(guarded.level(sku, WH).orElseThrow().allocated()).isEqualTo(2);
            // a plain store never checks it
            jedis.del(marker);
            assertThat(plain.apply(new StockCommand.Receive(sku, WH, 1, Origin.NONE), NOW).value().isApplied()).isTrue();
            assertThat(guarded.level(sku, WH)).as("a plain read (no script) is not guarded").isPresent();
        } finally {
            try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(TestRedis.single().hostAndPort())) {
                TestRedis.deleteKeys(j, prefix);
            }
        }
    }
}
