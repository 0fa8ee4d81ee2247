package dev.inventory.examples.bench;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.spi.StoreResult;
import dev.inventory.redis.RedisInventoryStore;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Response;

/**
 * The {@code batch} scenario (Redis only): many holds placed at once. Ours: {@link
 * RedisInventoryStore#reserveAll} with {@value #BATCH} one-line holds per call over the 10,000 SKUs of
 * {@code spread}; baseline: the same number of raw {@code EVALSHA}s of the seed-style reserve script
 * sent in one pipeline. Throughput counts reservations (not calls); latency is per call of
 * {@value #BATCH}.
 */
final class BatchScenario {
    static final int BATCH = 100;
    static final int THREADS = 4;

    private BatchScenario() {
    }

    static List<Result> run(Bench.Config config, Runner runner, PrintStream out) throws Exception {
        var server = BenchServers.Redis.fromEnvironment();
        List<Result> results = new ArrayList<>();
        try (BenchTarget ours = StoreTargets.redis(server, THREADS + 2)) {
            results.add(measure(config, runner, out, ours));
        }
        try (BenchTarget baseline = new RawTargets.RedisBaseline(server, THREADS + 2)) {
            results.add(measure(config, runner, out, baseline));
        }
        return results;
    }

    private static Result measure(Bench.Config config, Runner runner, PrintStream out, BenchTarget t)
            throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        List<String> skus = new ArrayList<>(Bench.SPREAD_SKUS);
        for (int i = 0; i < Bench.SPREAD_SKUS; i++) {
            skus.add("B" + run + "-" + i);
        }
        t.seed(skus, Bench.DEEP_STOCK);
        AtomicLong claimed = new AtomicLong();
        Runner.Op op;
        if (t instanceof StoreTargets.Ours ours) {
            RedisInventoryStore store = (RedisInventoryStore) ours.backend;
            op = (thread, seq) -> {
                Instant now = Instant.now();
                List<Reservation> list = new ArrayList<>(BATCH);
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < BATCH; i++) {
                    Sku sku = Sku.of(skus.get(r.nextInt(skus.size())));
                    list.add(new Reservation(ReservationId.of(run + "-" + seq + "-" + i),
                            List.of(new ReservationLine(sku, MemoryTargets.LOCATION, 1)), Optional.empty(),
                            Optional.empty(), Optional.empty(), ReservationStatus.ACTIVE, now,
                            now.plus(Duration.ofMinutes(15)), now));
                }
                long held = 0;
                for (StoreResult<ReservationResult> res : store.reserveAll(list, now)) {
                    if (res.value().isSuccess()) {
                        held++;
                    }
                }
                claimed.addAndGet(held);
                return held == BATCH;
            };
        } else {
            RawTargets.RedisBaseline raw = (RawTargets.RedisBaseline) t;
            op = (thread, seq) -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                String expires = Long.toString(System.currentTimeMillis() + 900_000);
                List<Response<Object>> replies = new ArrayList<>(BATCH);
                try (var pipe = raw.jedis.pipelined()) {
                    for (int i = 0; i < BATCH; i++) {
                        String sku = skus.get(r.nextInt(skus.size()));
                        String id = run + "-" + seq + "-" + i;
                        replies.add(pipe.evalsha(raw.reserveSha, List.of(raw.stock(sku),
                                raw.prefix + "{" + sku + "}:expiry", raw.prefix + "hold:" + id), List.of("1", expires, id)));
                    }
                    pipe.sync();
                }
                long held = 0;
                for (Response<Object> reply : replies) {
                    if (Long.valueOf(1).equals(reply.get())) {
                        held++;
                    }
                }
                claimed.addAndGet(held);
                return held == BATCH;
            };
        }
        String label = "batch " + t.store() + " " + t.contender();
        Runner.Measured m = runner.closedLoop(label, THREADS, config.warmup(), config.duration(), op);
        long promised = 0;
        long oversold = 0;
        for (String sku : skus) {
            long p = t.promised(sku);
            promised += p;
            oversold += Math.max(0, p - Bench.DEEP_STOCK);
        }
        oversold += Math.abs(claimed.get() - promised);
        var h = m.latency();
        long reservations = m.operations() * BATCH;
        Result result = new Result("batch", t.store(), t.contender(), THREADS, reservations, m.successes() * BATCH,
                m.seconds(), reservations / m.seconds(), h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, oversold);
        out.printf("%-10s %-9s %-8s %,12.0f reservations/s (%d per call)  p50 %8.1f µs  p99 %8.1f µs  oversold %d%n",
                result.scenario(), result.store(), result.contender(), result.throughput(), BATCH, result.p50Micros(),
                result.p99Micros(), result.oversold());
        return result;
    }
}
