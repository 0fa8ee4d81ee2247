package dev.inventory.examples.jmh;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.memory.InMemoryInventoryStore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH microbenchmarks of the core on the in-memory store. Run with
 * {@code mvn -B -q -pl examples -am package -DskipTests exec:exec -Ddemo=jmh -Ddemo.args="-t 2"}
 * (any JMH options after {@code -Ddemo.args}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreBenchmarks {
    static final int SKUS = 10_000;
    static final LocationId WH = LocationId.of("WH1");

    Inventory inventory;
    Sku[] skus;
    Sku hot;
    final AtomicLong threads = new AtomicLong();

    /**
     * Per benchmark thread: a prefix and a plain counter for reservation ids, so threads share no
     * counter (a shared AtomicLong would put one contended cache line into every measured call).
     */
    @State(Scope.Thread)
    public static class Ids {
        String prefix;
        long next;

        @Setup(Level.Iteration)
        public void setUp(CoreBenchmarks b) {
            prefix = "t" + b.threads.incrementAndGet() + "-";
        }

        String next(String kind) {
            return kind + prefix + next++;
        }
    }

    @Setup(Level.Iteration)
    public void setUp() {
        inventory = Inventory.builder().store(InMemoryInventoryStore.create()).withoutSweeper().build();
        skus = new Sku[SKUS];
        for (int i = 0; i < SKUS; i++) {
            skus[i] = Sku.of("S" + i);
            inventory.stock().receive(skus[i], WH, 1_000_000_000L);
        }
        hot = Sku.of("HOT");
        inventory.stock().receive(hot, WH, 1_000_000_000L);
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        inventory.close();
    }

    /** One single-line reserve on a random SKU of 10,000. */
    @Benchmark
    public boolean reserveSpread(Ids ids) {
        Sku sku = skus[ThreadLocalRandom.current().nextInt(SKUS)];
        return inventory.reservations()
                .reserve(ReservationRequest.builder(ReservationId.of(ids.next("r"))).line(sku, WH, 1).build())
                .isSuccess();
    }

    /** Reserve then confirm on a random SKU. */
    @Benchmark
    public boolean reserveConfirmSpread(Ids ids) {
        Sku sku = skus[ThreadLocalRandom.current().nextInt(SKUS)];
        ReservationId id = ReservationId.of(ids.next("c"));
        inventory.reservations().reserve(ReservationRequest.builder(id).line(sku, WH, 1).build());
        return inventory.reservations().confirm(id).isSuccess();
    }

    /** One single-line reserve on the one hot SKU. */
    @Benchmark
    public boolean reserveHot(Ids ids) {
        return inventory.reservations()
                .reserve(ReservationRequest.builder(ReservationId.of(ids.next("h"))).line(hot, WH, 1).build())
                .isSuccess();
    }

    /** Availability of a random SKU. */
    @Benchmark
    public long availability() {
        return inventory.availability(skus[ThreadLocalRandom.current().nextInt(SKUS)]).available();
    }
}
