package dev.inventory.examples.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end benchmark: every scenario on every selected store, ours and the raw-driver baseline
 * behind the same {@link BenchTarget}, measured in one run and reported as a ratio.
 *
 * <pre>
 * bench [--quick] [--stores memory,postgres,redis,tiered]
 *       [--scenarios spread,hot,multiline,reads,flash,planning,hotsale,batch]
 *       [--threads N] [--warmup S] [--duration S] [--rounds N] [--out DIR]
 * </pre>
 *
 * <p>The closed-loop scenarios seed both contenders, warm both up ({@code --warmup}), and then measure
 * them taking turns, round by round ({@code --rounds}, default 3, 2 with {@code --quick}), each round a
 * share of {@code --duration}: so neither is measured in a colder JVM, a fuller heap or a busier
 * database than the other.
 */
public final class Bench {
    static final List<String> ALL_SCENARIOS = List.of("spread", "hot", "multiline", "reads", "flash", "planning",
            "hotsale", "batch");
    static final int SPREAD_SKUS = 10_000;
    static final long DEEP_STOCK = 100_000_000L;
    static final int FLASH_BUYERS = 10_000;
    static final long FLASH_UNITS = 100;

    record Config(List<String> stores, List<String> scenarios, Map<String, Integer> threads, Duration warmup,
            Duration duration, int rounds, Path out, boolean quick) {
    }

    /** The warm-up of every measured round (the JIT is warm by then; the threads are new). */
    static final Duration ROUND_WARMUP = Duration.ofMillis(200);
    /** Sequences per pass of a contender: far more operations than any pass runs. */
    static final long ROUND_SEQUENCES = 1L << 40;

    private final Config config;
    private final PrintStream out;
    private final Runner runner;

    Bench(Config config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.runner = new Runner(out);
    }

    static Config parse(String[] args) {
        boolean quick = false;
        List<String> stores = List.of("memory");
        List<String> scenarios = ALL_SCENARIOS;
        // in memory nothing blocks: one thread a core (more only adds preempted lock holders)
        Map<String, Integer> threads = new LinkedHashMap<>(Map.of("memory",
                Runtime.getRuntime().availableProcessors(), "postgres", 16, "redis", 50, "tiered", 16));
        Duration warmup = null;
        Duration duration = null;
        Integer rounds = null;
        Path outDir = Path.of("bench-results");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--stores" -> stores = Arrays.asList(value(args, ++i, a).split(","));
                case "--scenarios" -> scenarios = Arrays.asList(value(args, ++i, a).split(","));
                case "--threads" -> {
                    int n = Integer.parseInt(value(args, ++i, a));
                    threads.replaceAll((k, v) -> n);
                }
                case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                case "--rounds" -> {
                    rounds = Integer.parseInt(value(args, ++i, a));
                    if (rounds < 1 || rounds > 20) {
                        throw new IllegalArgumentException("--rounds must be between 1 and 20, was " + rounds);
                    }
                }
                case "--out" -> outDir = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a
                        + "; usage: bench [--quick] [--stores memory,postgres,redis,tiered] [--scenarios "
                        + String.join(",", ALL_SCENARIOS) + "] [--threads N] [--warmup S] [--duration S] [--rounds N]"
                        + " [--out DIR]");
            }
        }
        for (String s : scenarios) {
            if (!ALL_SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("scenario must be one of " + ALL_SCENARIOS + ", was " + s);
            }
        }
        if (warmup == null) {
            warmup = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
        }
        if (duration == null) {
            duration = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
        }
        if (rounds == null) {
            rounds = quick ? 2 : 3;
        }
        return new Config(stores, scenarios, threads, warmup, duration, rounds, outDir, quick);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Entry point of the {@code bench} demo. */
    public static void run(String[] args, PrintStream out) throws Exception {
        Config config = parse(args);
        List<Result> results = new Bench(config, out).runAll();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("date", Instant.now().toString());
        meta.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version"));
        meta.put("command", "bench " + String.join(" ", args));
        meta.put("warm-up / measured", config.warmup().toSeconds() + " s / " + config.duration().toSeconds()
                + " s each; measured in " + config.rounds() + " alternating rounds (ours, baseline, ours, ...) after both"
                + " warmed up");
        if (config.stores().contains("tiered")) {
            meta.put("baseline of tiered", TieredTargets.BASELINE_NOTE);
        }
        Report.write(config.out(), results, meta);
        out.println();
        out.println(Report.markdown(results, meta));
        out.println("written: " + config.out().resolve("results.json") + ", results.md, throughput.png");
        long oversold = results.stream().mapToLong(Result::oversold).sum();
        if (oversold != 0) {
            throw new IllegalStateException("OVERSOLD " + oversold + " units: a correctness bug, not a speed issue");
        }
    }

    List<Result> runAll() throws Exception {
        List<Result> results = new ArrayList<>();
        for (String store : config.stores()) {
            if (store.equals("tiered")) {
                out.println("tiered: baseline = " + TieredTargets.BASELINE_NOTE);
            }
            for (String scenario : config.scenarios()) {
                if (scenario.equals("hotsale")) { // PostgreSQL only: pooled flash sale vs one hot row
                    if (store.equals("postgres")) {
                        results.addAll(PostgresHotSale.run(runner, out, config.threads().getOrDefault(store, 16),
                                config.warmup(), config.duration()));
                    }
                    continue;
                }
                if (scenario.equals("batch")) { // Redis only: reserveAll vs pipelined raw EVALSHA
                    if (store.equals("redis")) {
                        results.addAll(BatchScenario.run(config, runner, out));
                    }
                    continue;
                }
                if (scenario.equals("planning")) {
                    if (store.equals("memory")) {
                        results.add(planning());
                    }
                    continue;
                }
                List<Supplier<BenchTarget>> factories = Targets.of(store, config.threads().getOrDefault(store, 8));
                if (scenario.equals("flash")) { // one burst each: nothing to take turns in
                    for (Supplier<BenchTarget> factory : factories) {
                        try (BenchTarget target = factory.get()) {
                            results.add(print(flash(target)));
                        }
                    }
                    continue;
                }
                List<BenchTarget> open = new ArrayList<>();
                try {
                    List<Prepared> prepared = new ArrayList<>();
                    for (Supplier<BenchTarget> factory : factories) {
                        BenchTarget target = factory.get();
                        open.add(target);
                        prepared.add(prepare(scenario, target));
                    }
                    // every contender warms up before any is measured, then they take turns; each pass
                    // (the warm-up is pass 0) runs its own range of sequences, so hold ids never repeat
                    for (int round = 0; round <= config.rounds(); round++) {
                        for (Prepared p : prepared) {
                            long offset = round * ROUND_SEQUENCES;
                            Runner.Op op = (thread, seq) -> p.op.run(thread, offset + seq);
                            if (round == 0) {
                                runner.closedLoop(p.label, p.threads, config.warmup(), Duration.ZERO, op);
                                continue;
                            }
                            String label = config.rounds() == 1 ? p.label
                                    : p.label + " (round " + round + "/" + config.rounds() + ")";
                            p.add(runner.closedLoop(label, p.threads, ROUND_WARMUP,
                                    config.duration().dividedBy(config.rounds()), op));
                        }
                    }
                    for (Prepared p : prepared) {
                        results.add(print(finish(p)));
                    }
                } finally {
                    for (BenchTarget target : open) {
                        target.close();
                    }
                }
            }
        }
        return results;
    }

    /** Fulfillment planning, 20 lines over 200 centers, on the in-memory store; no raw-driver baseline exists. */
    Result planning() throws Exception {
        var scenario = dev.inventory.core.fulfillment.FulfillmentScenarios.large(42);
        try {
            Runner.Measured m = runner.closedLoop("planning memory ours", 1, config.warmup(), config.duration(),
                    (thread, seq) -> scenario.plan() instanceof dev.inventory.core.fulfillment.PlanResult.Planned);
            var h = m.latency();
            Result r = new Result("planning", "memory", "ours", 1, m.operations(), m.successes(), m.seconds(),
                    m.operations() / m.seconds(), h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, 0);
            out.printf("%-10s %-9s %-8s %,12.0f plans/s  p50 %8.1f µs  p99 %8.1f µs  p99.9 %8.1f µs%n", r.scenario(),
                    r.store(), r.contender(), r.throughput(), r.p50Micros(), r.p99Micros(), r.p999Micros());
            return r;
        } finally {
            scenario.close();
        }
    }

    private Result print(Result r) {
        out.printf("%-10s %-9s %-8s %,12.0f ops/s  p50 %8.1f µs  p99 %8.1f µs  p99.9 %8.1f µs  oversold %d%n",
                r.scenario(), r.store(), r.contender(), r.throughput(), r.p50Micros(), r.p99Micros(), r.p999Micros(),
                r.oversold());
        return r;
    }

    /** A closed-loop scenario seeded on one contender, measured in one or more rounds. */
    static final class Prepared {
        final String scenario;
        final BenchTarget target;
        final String label;
        final int threads;
        final List<String> skus;
        final long stock;
        final LongAdder claimedUnits;
        final Runner.Op op;
        private final Histogram latency = new Histogram(3);
        private long operations;
        private long successes;
        private double seconds;

        Prepared(String scenario, BenchTarget target, String label, int threads, List<String> skus, long stock,
                LongAdder claimedUnits, Runner.Op op) {
            this.scenario = scenario;
            this.target = target;
            this.label = label;
            this.threads = threads;
            this.skus = skus;
            this.stock = stock;
            this.claimedUnits = claimedUnits;
            this.op = op;
        }

        void add(Runner.Measured m) {
            latency.add(m.latency());
            operations += m.operations();
            successes += m.successes();
            seconds += m.seconds();
        }

        Runner.Measured measured() {
            return new Runner.Measured(operations, successes, seconds, latency);
        }
    }

    /** Seeds {@code scenario} (spread, multiline, reads, hot) on {@code t} and builds its operation. */
    Prepared prepare(String scenario, BenchTarget t) throws Exception {
        String label = scenario + " " + t.store() + " " + t.contender();
        int threads = config.threads().getOrDefault(t.store(), 8);
        String run = Long.toString(System.nanoTime(), 36);
        LongAdder claimedUnits = new LongAdder(); // striped: no shared counter per operation
        switch (scenario) {
            case "spread", "multiline", "reads" -> {
                List<String> skus = new ArrayList<>(SPREAD_SKUS);
                for (int i = 0; i < SPREAD_SKUS; i++) {
                    skus.add("S" + run + "-" + i);
                }
                t.seed(skus, DEEP_STOCK);
                Runner.Op op = switch (scenario) {
                    case "spread" -> (thread, seq) -> {
                        String id = run + "-" + seq;
                        String sku = skus.get(ThreadLocalRandom.current().nextInt(SPREAD_SKUS));
                        if (t.reserve(id, List.of(sku), 1)) {
                            claimedUnits.increment();
                            return t.confirm(id);
                        }
                        return false;
                    };
                    case "multiline" -> (thread, seq) -> {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        int a = r.nextInt(SPREAD_SKUS);
                        int b = (a + 1 + r.nextInt(SPREAD_SKUS - 1)) % SPREAD_SKUS;
                        int c = b;
                        while (c == a || c == b) {
                            c = r.nextInt(SPREAD_SKUS);
                        }
                        if (t.reserve(run + "-" + seq, List.of(skus.get(a), skus.get(b), skus.get(c)), 1)) {
                            claimedUnits.add(3);
                            return true;
                        }
                        return false;
                    };
                    default -> (thread, seq) -> t.available(skus.get(ThreadLocalRandom.current().nextInt(SPREAD_SKUS))) > 0;
                };
                return new Prepared(scenario, t, label, threads, skus, DEEP_STOCK, claimedUnits, op);
            }
            case "hot" -> {
                List<String> skus = List.of("HOT" + run);
                t.seed(skus, 1_000_000_000L);
                return new Prepared(scenario, t, label, threads, skus, 1_000_000_000L, claimedUnits, (thread, seq) -> {
                    if (t.reserve(run + "-" + seq, skus, 1)) {
                        claimedUnits.increment();
                        return true;
                    }
                    return false;
                });
            }
            default -> throw new IllegalArgumentException("scenario " + scenario);
        }
    }

    /** The flash burst on {@code t}: 10,000 buyers at once for 100 units. */
    Result flash(BenchTarget t) throws Exception {
        String scenario = "flash";
        String label = scenario + " " + t.store() + " " + t.contender();
        String run = Long.toString(System.nanoTime(), 36);
        LongAdder claimedUnits = new LongAdder();
        List<String> skus = List.of("FLASH" + run);
        t.seed(skus, FLASH_UNITS);
        Prepared p = new Prepared(scenario, t, label, FLASH_BUYERS, skus, FLASH_UNITS, claimedUnits, null);
        p.add(runner.burst(label, FLASH_BUYERS, (n, seq) -> {
            if (t.reserve(run + "-buyer-" + n, skus, 1)) {
                claimedUnits.increment();
                return true;
            }
            return false;
        }));
        if (p.successes != FLASH_UNITS) {
            throw new IllegalStateException(label + ": " + FLASH_BUYERS + " buyers for " + FLASH_UNITS + " units sold "
                    + p.successes);
        }
        return finish(p);
    }

    /** The result of a measured scenario, with its oversell check: promised units against stock and claims. */
    Result finish(Prepared p) throws Exception {
        long oversold = 0;
        long promisedTotal = 0;
        if (!p.scenario.equals("reads")) {
            for (String sku : p.skus) {
                long promised = p.target.promised(sku);
                promisedTotal += promised;
                oversold += Math.max(0, promised - p.stock);
            }
            oversold += Math.abs(p.claimedUnits.sum() - promisedTotal);
        }
        Runner.Measured m = p.measured();
        var h = m.latency();
        double seconds = m.seconds();
        return new Result(p.scenario, p.target.store(), p.target.contender(), p.threads, m.operations(),
                m.successes(), seconds, m.operations() / seconds, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, oversold);
    }
}
