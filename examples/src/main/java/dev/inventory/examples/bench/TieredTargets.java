package dev.inventory.examples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.inventory.redis.RedisInventoryStore;
import dev.inventory.tiered.TieredInventoryStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/**
 * The tiered store (Redis decides, PostgreSQL is the source of truth, written through before each call
 * returns) behind the public API, and its baseline. Redis makes every decision, so the baseline is the
 * raw Redis one ({@link RawTargets.RedisBaseline}: EVALSHA of a hand-written reserve script), run in the
 * same run with the same thread count and reported under the store name {@code tiered}; the ratio shows
 * what the PostgreSQL copy and the library's checks cost on top of the bare Redis decision.
 */
final class TieredTargets {
    /** Said in the bench output and docs: which baseline the {@code tiered} rows compare against. */
    static final String BASELINE_NOTE = "the raw Redis EVALSHA script (the redis baseline), "
            + "since Redis decides; ours also copies each change to PostgreSQL before returning";

    private TieredTargets() {
    }

    /** Ours on the tiered store: its own key prefix and PostgreSQL schema, both removed afterwards. */
    static BenchTarget ours(BenchServers.Redis redis, BenchServers.Postgres postgres, int connections) {
        String id = Long.toString(System.nanoTime(), 36);
        String prefix = "bench-tiered-" + id + ":";
        String schema = "bench_tiered_" + id;
        var poolConfig = new org.apache.commons.pool2.impl.GenericObjectPoolConfig<redis.clients.jedis.Connection>();
        poolConfig.setMaxTotal(connections);
        poolConfig.setMaxIdle(connections);
        poolConfig.setMinIdle(connections);
        var jedis = new redis.clients.jedis.JedisPooled(poolConfig, redis.host(), redis.port());
        HikariDataSource pool = null;
        try {
            StoreTargets.prefill(jedis);
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(postgres.jdbcUrl());
            config.setUsername(postgres.user());
            config.setMaximumPoolSize(connections);
            config.setMinimumIdle(connections);
            pool = new HikariDataSource(config);
            RedisInventoryStore hot = RedisInventoryStore.builder(jedis).keyPrefix(prefix).build();
            TieredInventoryStore store = TieredInventoryStore.builder().hot(hot).redis(jedis).dataSource(pool)
                    .schema(schema).build();
            HikariDataSource ownedPool = pool;
            return new StoreTargets.Ours("tiered", store, () -> cleanup(jedis, prefix, ownedPool, postgres, schema));
        } catch (RuntimeException e) {
            cleanup(jedis, prefix, pool, postgres, schema);
            throw e;
        }
    }

    private static void cleanup(redis.clients.jedis.JedisPooled jedis, String prefix, HikariDataSource pool,
            BenchServers.Postgres postgres, String schema) {
        try {
            RawTargets.deleteKeys(jedis, prefix);
        } finally {
            jedis.close();
            if (pool != null) {
                pool.close();
            }
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("could not drop bench schema " + schema, e);
            }
        }
    }

    /** The raw Redis baseline, reported as the {@code tiered} store's baseline. */
    static BenchTarget baseline(BenchServers.Redis redis, int connections) {
        return new Renamed("tiered", new RawTargets.RedisBaseline(redis, connections));
    }

    /** A target measured under another store name (same calls, same cleanup). */
    record Renamed(String store, BenchTarget target) implements BenchTarget {
        @Override
        public String contender() {
            return target.contender();
        }

        @Override
        public void seed(List<String> skus, long stockEach) throws Exception {
            target.seed(skus, stockEach);
        }

        @Override
        public boolean reserve(String id, List<String> skus, long quantityEach) throws Exception {
            return target.reserve(id, skus, quantityEach);
        }

        @Override
        public boolean confirm(String id) throws Exception {
            return target.confirm(id);
        }

        @Override
        public long available(String sku) throws Exception {
            return target.available(sku);
        }

        @Override
        public long promised(String sku) throws Exception {
            return target.promised(sku);
        }

        @Override
        public void close() throws Exception {
            target.close();
        }
    }
}
