package dev.inventory.examples.bench;

import java.util.List;
import java.util.function.Supplier;

/** The contenders of each store: ours first, then its raw-driver baseline. */
final class Targets {
    interface Factory {
        BenchTarget create() throws Exception;
    }

    static BenchTarget unchecked(Factory f) {
        try {
            return f.create();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start bench target: " + e.getMessage(), e);
        }
    }

    private Targets() {
    }

    static List<Supplier<BenchTarget>> of(String store, int threads) {
        return switch (store) {
            case "memory" -> List.of(MemoryTargets.Ours::new, MemoryTargets.Baseline::new);
            case "postgres" -> {
                var server = BenchServers.Postgres.fromEnvironment();
                yield List.of(() -> StoreTargets.postgres(server, threads),
                        () -> unchecked(() -> new RawTargets.PostgresBaseline(server, threads)));
            }
            case "redis" -> {
                var server = BenchServers.Redis.fromEnvironment();
                yield List.of(() -> StoreTargets.redis(server, threads), () -> new RawTargets.RedisBaseline(server, threads));
            }
            case "tiered" -> { // Redis decides, so the raw Redis script is the baseline (TieredTargets)
                var redis = BenchServers.Redis.fromEnvironment();
                var postgres = BenchServers.Postgres.fromEnvironment();
                yield List.of(() -> TieredTargets.ours(redis, postgres, threads),
                        () -> TieredTargets.baseline(redis, threads));
            }
            default -> throw new IllegalArgumentException("store must be one of [memory, postgres, redis, tiered], was "
                    + store);
        };
    }
}
