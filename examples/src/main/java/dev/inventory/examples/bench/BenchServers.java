package dev.inventory.examples.bench;

/**
 * The servers the benchmark measures against: this machine's PostgreSQL and Redis unless the
 * environment names others ({@code INVENTORY_BENCH_PG_URL}, {@code INVENTORY_BENCH_PG_USER},
 * {@code INVENTORY_BENCH_REDIS_HOST}, {@code INVENTORY_BENCH_REDIS_PORT}).
 */
final class BenchServers {
    private BenchServers() {
    }

    record Postgres(String jdbcUrl, String user) {
        static Postgres fromEnvironment() {
            return new Postgres(env("INVENTORY_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
                    env("INVENTORY_BENCH_PG_USER", "postgres"));
        }
    }

    record Redis(String host, int port) {
        static Redis fromEnvironment() {
            return new Redis(env("INVENTORY_BENCH_REDIS_HOST", "127.0.0.1"),
                    Integer.parseInt(env("INVENTORY_BENCH_REDIS_PORT", "6379")));
        }
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
