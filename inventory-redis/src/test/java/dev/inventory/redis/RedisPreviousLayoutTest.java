package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Hold parts written in the previous layout (every field of a part on its own, before the packed field
 * {@code h}) still read, transition and expire, and a change rewrites them packed.
 */
class RedisPreviousLayoutTest {
    private static final LocationId WH = LocationId.of("WH1");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Sku A = Sku.of("A");
    private final String prefix = TestRedis.newPrefix();
    private final UnifiedJedis jedis = TestRedis.single().client;
    private final Keys keys = new Keys(prefix);
    private final RedisInventoryStore store = RedisInventoryStore.builder(jedis).keyPrefix(prefix).build();

    @AfterEach
    void tearDown() {
        TestRedis.single().deleteKeys(prefix);
    }

    private static Reservation hold(String id, int q) {
        return new Reservation(ReservationId.of(id), List.of(new ReservationLine(A, WH, q)), Optional.of("cart-" + id),
                Optional.empty(), Optional.empty(), ReservationStatus.ACTIVE, T0, T0.plus(Duration.ofMinutes(15)), T0);
    }

    /** Rewrites a hold's part as the previous layout stored it: each field on its own, no {@code h}. */
    private void toPreviousLayout(ReservationId id) {
        String key = keys.hold(A, id);
        Map<String, String> part = Codec.part(jedis.hgetAll(key));
        assertThat(jedis.hexists(key, "h")).isTrue();
        jedis.del(key);
        for (String f : List.of("L", "G", "c", "u", "o", "ca", "ex", "up", "st", "p", "tk", "sh")) {
            jedis.hset(key, f, part.getOrDefault(f, ""));
        }
    }

    @Test
    void aPartOfThePreviousLayoutReadsConfirmsAndIsRewrittenPacked() {
        store.apply(new StockCommand.Receive(A, WH, 10, Origin.NONE), T0);
        ReservationId id = ReservationId.of("old-1");
        assertThat(store.reserve(hold("old-1", 3), T0).value()).isInstanceOf(ReservationResult.Success.class);
        Reservation before = store.reservation(id).orElseThrow();
        toPreviousLayout(id);

        assertThat(store.reservation(id)).contains(before);
        assertThat(store.transition(id, Transition.CONFIRM, T0.plusSeconds(5), Duration.ZERO).value())
                .isInstanceOf(ReservationResult.Success.class);
        assertThat(store.reservation(id).orElseThrow().status()).isEqualTo(ReservationStatus.CONFIRMED);
        assertThat(store.reservation(id).orElseThrow().cartId()).contains("cart-old-1");
        var level = store.level(A, WH).orElseThrow();
        assertThat(level.allocated()).isEqualTo(3);
        assertThat(level.reserved()).isZero();
        String key = keys.hold(A, id);
        assertThat(jedis.hexists(key, "h")).as("rewritten packed").isTrue();
        assertThat(jedis.hexists(key, "st")).as("no field of the previous layout left").isFalse();

        // and the next transition takes the fast path on the packed part
        assertThat(store.transition(id, Transition.FULFIL, T0.plusSeconds(6), Duration.ZERO).value())
                .isInstanceOf(ReservationResult.Success.class);
        assertThat(store.level(A, WH).orElseThrow().onHand()).isEqualTo(7);
    }

    @Test
    void aPartOfThePreviousLayoutExpires() {
        store.apply(new StockCommand.Receive(A, WH, 10, Origin.NONE), T0);
        ReservationId id = ReservationId.of("old-2");
        assertThat(store.reserve(hold("old-2", 4), T0).value()).isInstanceOf(ReservationResult.Success.class);
        toPreviousLayout(id);

        var swept = store.expireDue(T0.plus(Duration.ofMinutes(16)), 100);
        assertThat(swept.value()).extracting(Reservation::id).containsExactly(id);
        assertThat(store.reservation(id).orElseThrow().status()).isEqualTo(ReservationStatus.EXPIRED);
        assertThat(store.level(A, WH).orElseThrow().reserved()).isZero();
    }
}
