package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.flashsale.FlashSaleSpec;
import dev.inventory.core.flashsale.FlashSales;
import dev.inventory.core.flashsale.LotterySpec;
import dev.inventory.core.flashsale.PurchaseResult;
import dev.inventory.core.flashsale.RateLimit;
import dev.inventory.core.flashsale.SaleStart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * What the shared flash-sale suite cannot see of the Redis layout: every key of a sale carries its
 * SKU's hash tag, and a caller's id that another SKU's hold uses (another slot on a cluster) is a
 * conflict that takes nothing.
 */
class RedisFlashSaleKeysTest {
    private static final LocationId WH = LocationId.of("WH1");
    private static final byte[] KEY = "redis-flash-sale-keys-test-signing-key-0123".getBytes(StandardCharsets.UTF_8);

    @Test
    void aCallersIdUsedByAnotherSkusHoldIsAConflictOnOneNodeAndOnTheCluster() {
        conflictAcrossSkus(TestRedis.single().client, false);
        conflictAcrossSkus(TestRedis.cluster().client, true);
    }

    private static void conflictAcrossSkus(UnifiedJedis client, boolean cluster) {
        String prefix = TestRedis.newPrefix();
        RedisInventoryStore store = RedisInventoryStore.builder(client).keyPrefix(prefix).build();
        try (Inventory inventory = Inventory.builder().store(store).withoutSweeper().build()) {
            // two SKUs in different cluster slots
            Sku a = Sku.of("FA");
            Sku b = Sku.of("FB");
            assertThat(Keys.slot(a)).isNotEqualTo(Keys.slot(b));
            inventory.stock().receive(a, WH, 5);
            inventory.stock().receive(b, WH, 5);
            assertThat(inventory.reservations().reserve(ReservationRequest.builder("taken").line("FB", "WH1", 1)
                    .build()).isSuccess()).isTrue();
            FlashSales flash = FlashSales.builder(inventory).store(RedisFlashSaleStore.on(store)).signingKey(KEY)
                    .build();
            Instant now = Instant.now();
            FlashSaleSpec spec = FlashSaleSpec.builder("s1", a, WH).quantity(3).startsAt(now.minusSeconds(1))
                    .endsAt(now.plus(Duration.ofHours(1))).build();
            assertThat(flash.start(spec)).isInstanceOf(SaleStart.Started.class);

            assertThat(flash.purchase("s1", "alice", 1, ReservationId.of("taken")))
                    .as("cluster %s", cluster).isEqualTo(new PurchaseResult.IdConflict(ReservationId.of("taken")));
            assertThat(flash.sale("s1").orElseThrow().sold()).isZero();
            assertThat(flash.bought("s1", "alice")).isZero();
            PurchaseResult.Purchased p = (PurchaseResult.Purchased) flash.purchase("s1", "alice", 1,
                    ReservationId.of("mine"));
            assertThat(inventory.reservations().find(ReservationId.of("mine"))).contains(p.hold());
            assertThat(inventory.reservations().release(ReservationId.of("mine")).isSuccess()).isTrue();
            assertThat(flash.sale("s1").orElseThrow().held()).as("back in the pool").isEqualTo(3);
            assertThat(flash.end("s1")).isEqualTo(3);
            assertThat(inventory.level(a, WH).orElseThrow().available()).isEqualTo(5);
        } finally {
            if (cluster) {
                TestRedis.cluster().deleteKeys(prefix);
            } else {
                TestRedis.single().deleteKeys(prefix);
            }
        }
    }

    @Test
    void everyKeyOfASaleCarriesItsSkuAsHashTag() {
        String prefix = TestRedis.newPrefix();
        RedisInventoryStore store = RedisInventoryStore.builder(TestRedis.single().client).keyPrefix(prefix).build();
        Sku sku = Sku.of("fs.Tag_9-x");
        try (Inventory inventory = Inventory.builder().store(store).withoutSweeper().build()) {
            inventory.stock().receive(sku, WH, 20);
            FlashSales flash = FlashSales.builder(inventory).store(RedisFlashSaleStore.on(store)).signingKey(KEY)
                    .build();
            Instant now = Instant.now();
            flash.start(FlashSaleSpec.builder("plain", sku, WH).quantity(5).pools(2).startsAt(now.minusSeconds(1))
                    .endsAt(now.plus(Duration.ofHours(1))).rateLimit(RateLimit.perSecond(100, 100)).build());
            assertThat(flash.purchase("plain", "u1", 1).isPurchased()).isTrue();
            flash.start(FlashSaleSpec.builder("drawn", sku, WH).quantity(5).startsAt(now.minusSeconds(1))
                    .endsAt(now.plus(Duration.ofHours(1))).lottery(LotterySpec.builder().batchSize(1).build()).build());
            flash.lottery("drawn").enter("u1");
            flash.lottery("drawn").enter("u2");
            assertThat(flash.lottery("drawn").drawBatch().winners()).hasSize(1);
            flash.end("drawn");
        }
        int checked = 0;
        try (Jedis raw = new Jedis(TestRedis.single().hostAndPort())) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = raw.scan(cursor, new ScanParams().match(prefix + "*").count(1000));
                for (String key : page.getResult()) {
                    String tag = key.substring(key.indexOf('{') + 1, key.indexOf('}'));
                    if (!key.startsWith(prefix + "inv:id:") && !tag.equals(":reg") && !tag.equals(":fs")) {
                        assertThat(key).as("key").startsWith(prefix + "inv:{" + sku.value() + "}:");
                    }
                    checked++;
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        } finally {
            TestRedis.single().deleteKeys(prefix);
        }
        assertThat(checked).as("keys written").isGreaterThan(10);
    }
}
