package dev.inventory.examples.bench;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.flashsale.FlashSaleSpec;
import dev.inventory.core.flashsale.FlashSaleState;
import dev.inventory.core.flashsale.FlashSales;
import dev.inventory.jdbc.PostgresFlashSaleStore;
import dev.inventory.jdbc.PostgresInventoryStore;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Scenario {@code hotsale} (PostgreSQL only, issue 9): one hot SKU bought one unit at a time by
 * {@code threads} closed-loop buyers on at most {@value #CONNECTIONS} connections each, three ways in
 * the same run:
 *
 * <ul>
 *   <li>{@code ours}: a flash sale on {@link PostgresFlashSaleStore}, {@value #POOLS} pools (each buyer
 *       a new user id, so every call is a real purchase with its limit check and its hold);
 *   <li>{@code hot-row}: our plain store's reserve of one unit on the same kind of single level;
 *   <li>{@code baseline}: the raw single-row transaction (conditional {@code UPDATE}, hold, ledger and
 *       outbox {@code INSERT}s) of {@link RawTargets.PostgresBaseline}.
 * </ul>
 *
 * The contenders take turns ({@value #ROUNDS} rounds each, the measured time split between them), so a
 * drift of the machine's load hits all three alike. The report's ratio is ours / baseline; the line
 * printed here adds ours / hot-row.
 */
final class PostgresHotSale {
    static final int POOLS = 32;
    static final long UNITS = 50_000_000L;
    static final int ROUNDS = 3;
    static final int CONNECTIONS = 16;
    private static final LocationId LOCATION = MemoryTargets.LOCATION;

    private PostgresHotSale() {
    }

    /** One contender, set up and ready: its operation, its oversell check and its clean-up. */
    private record Contender(String name, Runner.Op op, OversoldCheck oversold, AutoCloseable cleanup) {
    }

    private interface OversoldCheck {
        long units() throws Exception;
    }

    static List<Result> run(Runner runner, PrintStream out, int threads, Duration warmup, Duration duration)
            throws Exception {
        BenchServers.Postgres server = BenchServers.Postgres.fromEnvironment();
        List<Contender> contenders = new ArrayList<>();
        try {
            // every contender gets the same connections (at most CONNECTIONS, so the three fit next to each other)
            // and the same number of closed-loop buyers
            int connections = Math.min(threads, CONNECTIONS);
            contenders.add(pooled(server, connections, out));
            contenders.add(hotRow(server, connections));
            contenders.add(raw(server, connections));
            // the machine's load drifts: the contenders take turns, ROUNDS times, and their totals are compared
            long[] operations = new long[contenders.size()];
            long[] successes = new long[contenders.size()];
            double[] seconds = new double[contenders.size()];
            List<Histogram> latencies = new ArrayList<>();
            for (int i = 0; i < contenders.size(); i++) {
                latencies.add(new Histogram(3));
            }
            Duration slice = duration.dividedBy(ROUNDS);
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < contenders.size(); i++) {
                    Contender c = contenders.get(i);
                    Runner.Measured m = runner.closedLoop("hotsale postgres " + c.name() + " round " + (round + 1),
                            threads, round == 0 ? warmup : Duration.ofSeconds(1), slice, c.op());
                    operations[i] += m.operations();
                    successes[i] += m.successes();
                    seconds[i] += m.seconds();
                    latencies.get(i).add(m.latency());
                }
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < contenders.size(); i++) {
                Histogram h = latencies.get(i);
                results.add(new Result("hotsale", "postgres", contenders.get(i).name(), threads, operations[i],
                        successes[i], seconds[i], operations[i] / seconds[i], h.getValueAtPercentile(50) / 1000.0,
                        h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
                        contenders.get(i).oversold().units()));
            }
            for (Result r : results) {
                out.printf("%-10s %-9s %-8s %,12.0f ops/s  p50 %8.1f µs  p99 %8.1f µs  p99.9 %8.1f µs  oversold %d%n",
                        r.scenario(), r.store(), r.contender(), r.throughput(), r.p50Micros(), r.p99Micros(),
                        r.p999Micros(), r.oversold());
            }
            out.printf("hotsale   postgres  %d pools: %.2fx the raw single-row transaction, %.2fx our plain store's"
                    + " hot-row reserve (%d buyer threads on %d connections, %d alternating rounds)%n", POOLS,
                    results.get(0).throughput() / results.get(2).throughput(),
                    results.get(0).throughput() / results.get(1).throughput(), threads, Math.min(threads, CONNECTIONS),
                    ROUNDS);
            return results;
        } finally {
            for (Contender c : contenders) {
                c.cleanup().close();
            }
        }
    }

    private static Contender pooled(BenchServers.Postgres server, int connections, PrintStream out) {
        String schema = "bench_sale_" + Long.toString(System.nanoTime(), 36);
        PostgresInventoryStore store = PostgresInventoryStore.builder().jdbcUrl(server.jdbcUrl())
                .username(server.user()).maxPoolSize(connections).schema(schema).build();
        Inventory inventory = Inventory.builder().store(store).withoutSweeper().build();
        Sku sku = Sku.of("SALE" + Long.toString(System.nanoTime(), 36));
        inventory.stock().receive(sku, LOCATION, UNITS);
        FlashSales sales = FlashSales.builder(inventory).store(PostgresFlashSaleStore.on(store))
                .signingKey("bench-hot-sale-signing-key-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();
        Instant now = inventory.clock().instant();
        String saleId = "hot-" + Long.toString(System.nanoTime(), 36);
        sales.start(FlashSaleSpec.builder(saleId, sku, LOCATION).quantity(UNITS).pools(POOLS).perUserLimit(1)
                .holdDuration(Duration.ofMinutes(15)).startsAt(now).endsAt(now.plus(Duration.ofHours(2))).build());
        AtomicLong buyer = new AtomicLong(); // the runner's sequence restarts every round: ids from here
        return new Contender("ours", (thread, seq) -> sales.purchase(saleId, "b" + buyer.incrementAndGet(), 1)
                .isPurchased(), () -> {
            FlashSaleState state = sales.sale(saleId).orElseThrow();
            StockLevel level = inventory.level(sku, LOCATION).orElseThrow();
            return Math.max(0, level.reserved() + level.allocated() - level.onHand())
                    + Math.abs(state.held() + state.sold() - UNITS) + Math.max(0, state.sold() - state.purchases());
        }, () -> {
            try {
                batches(server, schema, out);
                sales.end(saleId);
                inventory.close();
                store.close();
            } finally {
                drop(server, schema);
            }
        });
    }

    private static Contender hotRow(BenchServers.Postgres server, int connections) {
        String schema = "bench_row_" + Long.toString(System.nanoTime(), 36);
        PostgresInventoryStore store = PostgresInventoryStore.builder().jdbcUrl(server.jdbcUrl())
                .username(server.user()).maxPoolSize(connections).schema(schema).build();
        Inventory inventory = Inventory.builder().store(store).withoutSweeper().build();
        Sku sku = Sku.of("ROW" + Long.toString(System.nanoTime(), 36));
        inventory.stock().receive(sku, LOCATION, UNITS);
        String run = Long.toString(System.nanoTime(), 36);
        AtomicLong next = new AtomicLong();
        return new Contender("hot-row", (thread, seq) -> {
            long n = next.incrementAndGet();
            return inventory.reservations().reserve(ReservationRequest.builder(run + "-" + n).line(sku, LOCATION, 1)
                    .userId("b" + n).build()).isSuccess();
        },
                () -> Math.max(0, inventory.level(sku, LOCATION).orElseThrow().reserved() - UNITS), () -> {
                    try {
                        inventory.close();
                        store.close();
                    } finally {
                        drop(server, schema);
                    }
                });
    }

    private static Contender raw(BenchServers.Postgres server, int connections) throws Exception {
        RawTargets.PostgresBaseline raw = new RawTargets.PostgresBaseline(server, connections);
        List<String> skus = List.of("RAW" + Long.toString(System.nanoTime(), 36));
        raw.seed(skus, UNITS);
        String run = Long.toString(System.nanoTime(), 36);
        AtomicLong next = new AtomicLong();
        return new Contender("baseline", (thread, seq) -> raw.reserve(run + "-" + next.incrementAndGet(), skus, 1),
                () -> Math.max(0, raw.promised(skus.get(0)) - UNITS), raw::close);
    }

    /** Prints how many purchase transactions the sale's holds came in (the rows one transaction inserts share its xmin). */
    private static void batches(BenchServers.Postgres server, String schema, PrintStream out) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT xmin::text) FROM " + schema
                        + ".flash_purchases")) {
            rs.next();
            out.printf("hotsale   postgres  ours: %,d purchases in %,d transactions (%.1f per transaction)%n", rs.getLong(1),
                    rs.getLong(2), rs.getLong(1) / (double) Math.max(1, rs.getLong(2)));
        } catch (java.sql.SQLException e) {
            out.println("hotsale   postgres  ours: batch sizes unknown (" + e.getMessage() + ")");
        }
    }

    private static void drop(BenchServers.Postgres server, String schema) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not drop bench schema " + schema, e);
        }
    }
}
