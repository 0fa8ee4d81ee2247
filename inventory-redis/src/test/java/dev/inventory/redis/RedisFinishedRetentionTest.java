package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * A finished hold (fulfilled, cancelled, released, expired) is kept for its retention, then Redis drops
 * it: its parts and its id key get a TTL of {@link RedisInventoryStore#FINISHED_RETENTION_MS}; keys of
 * live and confirmed holds get none. On one node (fast and full paths) and on the cluster (a hold over
 * SKUs in several slots).
 */
class RedisFinishedRetentionTest {
    private static final LocationId WH1 = LocationId.of("WH1");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration HOLD = Duration.ofMinutes(15);

    @ParameterizedTest
    @ValueSource(strings = {"single", "cluster"})
    void finishedHoldsExpireAndLiveOnesStay(String mode) {
        UnifiedJedis client = mode.equals("single") ? TestRedis.single().client : TestRedis.cluster().client;
        String prefix = TestRedis.newPrefix();
        try (RedisInventoryStore store = RedisInventoryStore.builder(client).keyPrefix(prefix).build()) {
            Keys keys = new Keys(prefix);
            List<Sku> skus = List.of(Sku.of("A"), Sku.of("B"), Sku.of("C"), Sku.of("D"));
            for (Sku sku : skus) {
                store.apply(new StockCommand.Receive(sku, WH1, 100, Origin.NONE), T0);
            }
            hold(store, "fulfilled", skus);
            store.transition(id("fulfilled"), Transition.CONFIRM, T0, Duration.ZERO);
            store.transition(id("fulfilled"), Transition.FULFIL, T0, Duration.ZERO);
            hold(store, "cancelled", skus);
            store.transition(id("cancelled"), Transition.CONFIRM, T0, Duration.ZERO);
            store.transition(id("cancelled"), Transition.CANCEL, T0, Duration.ZERO);
            hold(store, "released", skus.subList(0, 1));
            store.transition(id("released"), Transition.RELEASE, T0, Duration.ZERO);
            hold(store, "expired", skus);
            hold(store, "active", skus);
            hold(store, "confirmed", skus.subList(1, 2));
            store.transition(id("confirmed"), Transition.CONFIRM, T0, Duration.ZERO);
            // the sweeper, after the holds' time: only "expired" and "active" were still due
            Instant later = T0.plus(HOLD).plusSeconds(1);
            store.transition(id("active"), Transition.START_PAYMENT, T0, Duration.ofHours(1));
            assertThat(store.expireDue(later, 100).value()).extracting(Reservation::id).containsExactly(id("expired"));

            for (String name : List.of("fulfilled", "cancelled", "released", "expired")) {
                Reservation r = store.reservation(id(name)).orElseThrow();
                assertThat(r.status().isTerminal()).as(name).isTrue();
                for (ReservationLine line : r.lines()) {
                    assertThat(client.pttl(keys.hold(line.sku(), r.id()))).as("%s part at %s", name, line.sku())
                            .isBetween(1L, RedisInventoryStore.FINISHED_RETENTION_MS);
                }
                assertThat(client.pttl(keys.id(r.id()))).as("%s id key", name)
                        .isBetween(1L, RedisInventoryStore.FINISHED_RETENTION_MS);
            }
            for (String name : List.of("active", "confirmed")) {
                Reservation r = store.reservation(id(name)).orElseThrow();
                assertThat(r.status()).isIn(ReservationStatus.PENDING, ReservationStatus.CONFIRMED);
                for (ReservationLine line : r.lines()) {
                    assertThat(client.pttl(keys.hold(line.sku(), r.id()))).as("%s part", name).isEqualTo(-1L);
                }
                assertThat(client.pttl(keys.id(r.id()))).as("%s id key", name).isEqualTo(-1L);
            }
        } finally {
            if (mode.equals("single")) {
                TestRedis.single().deleteKeys(prefix);
            } else {
                TestRedis.cluster().deleteKeys(prefix);
            }
        }
    }

    private static void hold(RedisInventoryStore store, String name, List<Sku> skus) {
        List<ReservationLine> lines = skus.stream().map(s -> new ReservationLine(s, WH1, 1)).toList();
        assertThat(store.reserve(new Reservation(id(name), lines, Optional.empty(), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, T0, T0.plus(HOLD), T0), T0).value().isSuccess())
                .as("hold %s", name).isTrue();
    }

    private static ReservationId id(String name) {
        return ReservationId.of(name);
    }
}
