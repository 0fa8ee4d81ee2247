package dev.inventory.examples;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.flashsale.Draw;
import dev.inventory.core.flashsale.FlashSaleSpec;
import dev.inventory.core.flashsale.FlashSaleState;
import dev.inventory.core.flashsale.FlashSales;
import dev.inventory.core.flashsale.Lottery;
import dev.inventory.core.flashsale.LotterySpec;
import dev.inventory.core.flashsale.PurchaseResult;
import dev.inventory.core.flashsale.PurchaseToken;
import dev.inventory.core.flashsale.RateLimit;
import dev.inventory.jdbc.PostgresInventoryStore;
import dev.inventory.redis.RedisInventoryStore;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * A flash sale: {@code --buyers} (default 10,000) virtual-thread buyers for 100 units. With
 * {@code --store memory} (default) it runs two sales through {@link FlashSales}: a direct one (8 pools,
 * a token-bucket rate limit, one unit per user; some buyers click twice) and a lottery one (everyone
 * enters, batches are drawn, winners redeem their tokens). With {@code --store postgres|redis} the same
 * two sales run on that backend's flash-sale store ({@code PostgresFlashSaleStore},
 * {@code RedisFlashSaleStore}). Every run prints sold, rejected by reason, oversold (must be 0) and
 * latency percentiles.
 */
final class FlashSaleDemo {
    static final long UNITS = 100;
    private static final LocationId WH = LocationId.of("WH-1");

    private final PrintStream out;

    FlashSaleDemo(PrintStream out) {
        this.out = out;
    }

    /** What one round measured. */
    record Round(String name, long units, long sold, Map<String, Long> rejected, long oversold,
            StockLevel level) {
    }

    static void main(String[] args, PrintStream out) throws Exception {
        String store = "memory";
        int buyers = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> store = args[++i];
                case "--buyers" -> buyers = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --store memory|postgres|redis --buyers N");
            }
        }
        new FlashSaleDemo(out).run(store, buyers);
    }

    /** The flash-sale store of the backend, or null for the in-memory default. */
    private dev.inventory.core.flashsale.FlashSaleStore flashStore;

    private FlashSales.Builder salesBuilder(Inventory inventory) {
        FlashSales.Builder b = FlashSales.builder(inventory).signingKey(key());
        return flashStore == null ? b : b.store(flashStore);
    }

    List<Round> run(String store, int buyers) throws Exception {
        if (buyers < 1) {
            throw new IllegalArgumentException("buyers must be at least 1, was " + buyers);
        }
        switch (store) {
            case "memory":
                try (Inventory inventory = Inventory.builder().withoutSweeper().build()) {
                    return List.of(direct(inventory, buyers), lottery(inventory, buyers));
                }
            case "redis":
                try (DemoServers servers = new DemoServers(out)) {
                    RedisInventoryStore backend = redis(servers);
                    flashStore = dev.inventory.redis.RedisFlashSaleStore.on(backend);
                    try (Inventory inventory = Inventory.builder().store(backend).withoutSweeper().build()) {
                        return List.of(direct(inventory, buyers), lottery(inventory, buyers));
                    }
                }
            case "postgres":
                try (DemoServers servers = new DemoServers(out)) {
                    PostgresInventoryStore backend = postgres(servers);
                    flashStore = dev.inventory.jdbc.PostgresFlashSaleStore.on(backend);
                    try (Inventory inventory = Inventory.builder().store(backend).withoutSweeper().build()) {
                        return List.of(direct(inventory, buyers), lottery(inventory, buyers));
                    }
                }
            default:
                throw new IllegalArgumentException("store must be memory, postgres or redis, was " + store);
        }
    }

    private static PostgresInventoryStore postgres(DemoServers servers) {
        String schema = "demo_flash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return PostgresInventoryStore.builder().jdbcUrl(servers.postgres()).schema(schema).maxPoolSize(16)
                .connectionTimeout(Duration.ofMinutes(2)).build();
    }

    private static RedisInventoryStore redis(DemoServers servers) {
        URI uri = servers.redis();
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(32);
        pool.setMaxIdle(32);
        pool.setMinIdle(32);
        JedisPooled jedis = new JedisPooled(pool, new HostAndPort(uri.getHost(), uri.getPort()),
                DefaultJedisClientConfig.builder().build());
        try {
            // open the connections up front: commons-pool2 wakes every waiting borrower each time it
            // finishes creating one, which thousands of virtual threads turn into seconds of churn
            jedis.getPool().preparePool();
        } catch (Exception e) {
            jedis.close();
            throw new IllegalStateException("could not open 32 connections to " + uri, e);
        }
        return RedisInventoryStore.builder(jedis).keyPrefix("demo-flash-" + UUID.randomUUID().toString()
                .substring(0, 8) + ":").closeClient(true).build();
    }

    // ------------------------------------------------------------------ direct sale

    private Round direct(Inventory inventory, int buyers) throws InterruptedException {
        Sku sku = Sku.of("SNEAKER-9");
        inventory.stock().receive(sku, WH, UNITS);
        FlashSales sales = salesBuilder(inventory).build();
        Instant now = inventory.clock().instant();
        RateLimit limit = RateLimit.perSecond(20_000, 500);
        FlashSaleSpec spec = FlashSaleSpec.builder("drop-direct", sku, WH).quantity(UNITS).pools(8).perUserLimit(1)
                .holdDuration(Duration.ofMinutes(5)).startsAt(now).endsAt(now.plus(Duration.ofHours(1)))
                .rateLimit(limit).build();
        sales.start(spec);
        title("direct sale: " + buyers + " buyers, " + UNITS + " units, 8 pools, 1 per user, rate limit "
                + limit.permits() + "/s burst " + limit.burst() + "; every 25th buyer clicks twice");

        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        AtomicLong rateLimitedAnswers = new AtomicLong();
        Histogram latency = new ConcurrentHistogram(3);
        runBuyers(buyers, i -> {
            String user = "user-" + i;
            int clicks = i % 25 == 0 ? 2 : 1;
            for (int click = 0; click < clicks; click++) {
                PurchaseResult result = null;
                for (int attempt = 0; attempt < 5; attempt++) {
                    long t0 = System.nanoTime();
                    result = sales.purchase("drop-direct", user, 1);
                    latency.recordValue((System.nanoTime() - t0) / 1_000);
                    if (!(result instanceof PurchaseResult.RateLimited wait)) {
                        break;
                    }
                    rateLimitedAnswers.incrementAndGet();
                    sleep(wait.retryAfter());
                }
                outcomes.computeIfAbsent(result.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
            }
        });
        FlashSaleState state = sales.sale("drop-direct").orElseThrow();
        out.println("  answers RateLimited along the way (buyers retried after retryAfter, up to 5 times): "
                + rateLimitedAnswers.get());
        return report("direct", inventory, sku, state.sold(), outcomes, "Purchased", latency);
    }

    // ------------------------------------------------------------------ lottery sale

    private Round lottery(Inventory inventory, int buyers) throws InterruptedException {
        Sku sku = Sku.of("SNEAKER-10");
        inventory.stock().receive(sku, WH, UNITS);
        AtomicLong lostNotices = new AtomicLong();
        FlashSales sales = salesBuilder(inventory)
                .notifier(new dev.inventory.core.flashsale.FlashSaleNotifier() {
                    @Override
                    public void won(PurchaseToken token) {
                    }

                    @Override
                    public void lost(String saleId, String userId) {
                        lostNotices.incrementAndGet();
                    }
                }).build();
        Instant now = inventory.clock().instant();
        LotterySpec lotterySpec = LotterySpec.builder().batchSize(25).drawInterval(Duration.ofMillis(20))
                .tokenTtl(Duration.ofMinutes(1)).shuffleWindow(Duration.ofMinutes(1)).build();
        sales.start(FlashSaleSpec.builder("drop-lottery", sku, WH).quantity(UNITS).pools(8).perUserLimit(1)
                .holdDuration(Duration.ofMinutes(5)).startsAt(now).endsAt(now.plus(Duration.ofHours(1)))
                .lottery(lotterySpec).build());
        title("lottery sale: " + buyers + " buyers enter the queue for " + UNITS + " units; batches of "
                + lotterySpec.batchSize() + " are drawn, winners redeem their signed tokens");
        Lottery lottery = sales.lottery("drop-lottery");
        Histogram latency = new ConcurrentHistogram(3);
        runBuyers(buyers, i -> {
            long t0 = System.nanoTime();
            lottery.enter("fan-" + i);
            latency.recordValue((System.nanoTime() - t0) / 1_000);
        });
        out.printf("  entered: %d (enter latency p50 %.3f ms, p99 %.3f ms)%n", latency.getTotalCount(),
                latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0);

        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        Histogram redeem = new ConcurrentHistogram(3);
        int draws = 0;
        while (sales.sale("drop-lottery").orElseThrow().held() > 0 && draws < 10_000) {
            Draw draw = lottery.drawBatch();
            draws++;
            if (draw.winners().isEmpty()) {
                break;
            }
            List<PurchaseToken> winners = draw.winners();
            runBuyers(winners.size(), i -> {
                PurchaseToken token = winners.get(i);
                long t0 = System.nanoTime();
                PurchaseResult result = lottery.redeem(token.value(), token.userId(), 1);
                redeem.recordValue((System.nanoTime() - t0) / 1_000);
                outcomes.computeIfAbsent(result.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
            });
        }
        sales.end("drop-lottery");
        FlashSaleState state = sales.sale("drop-lottery").orElseThrow();
        outcomes.computeIfAbsent("LostLottery", k -> new AtomicLong()).addAndGet(lostNotices.get());
        out.println("  draws: " + draws + ", losers notified when the sale ended: " + lostNotices.get());
        return report("lottery", inventory, sku, state.sold(), outcomes, "Purchased", redeem);
    }

    // ------------------------------------------------------------------ shared

    private Round report(String name, Inventory inventory, Sku sku, long sold, Map<String, AtomicLong> outcomes,
            String success, Histogram latency) {
        StockLevel level = inventory.level(sku, WH).orElseThrow();
        long succeeded = outcomes.getOrDefault(success, new AtomicLong()).get();
        Map<String, Long> rejected = new TreeMap<>();
        outcomes.forEach((k, v) -> {
            if (!k.equals(success)) {
                rejected.put(k, v.get());
            }
        });
        // oversold: more successful buyers than units, or the books holding more than there is
        long oversold = Math.max(0, succeeded - UNITS) + Math.max(0,
                level.reserved() + level.allocated() + level.damaged() - level.onHand());
        out.println("  sold: " + succeeded + " of " + UNITS + " (store says " + sold + ")");
        out.println("  rejected: " + rejected.values().stream().mapToLong(Long::longValue).sum() + " " + rejected);
        out.println("  oversold: " + oversold);
        out.printf("  level: onHand=%d reserved=%d allocated=%d available=%d%n", level.onHand(), level.reserved(),
                level.allocated(), level.available());
        out.printf("  latency (%d calls): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                latency.getTotalCount(), latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(90) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
                latency.getValueAtPercentile(99.9) / 1000.0, latency.getMaxValue() / 1000.0);
        return new Round(name, UNITS, succeeded, rejected, oversold, level);
    }

    interface Buyer {
        void buy(int index) throws Exception;
    }

    /** Starts {@code count} virtual threads at once (behind a gate) and waits for all of them. */
    private static void runBuyers(int count, Buyer buyer) throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().name("buyer-" + i).start(() -> {
                try {
                    gate.await();
                    buyer.buy(index);
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            }));
        }
        gate.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException(failures.size() + " buyers failed");
            e.initCause(failures.get(0));
            throw e;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private void title(String s) {
        out.println();
        out.println("== " + s);
    }
}
