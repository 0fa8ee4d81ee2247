package dev.inventory.examples.bench;

import dev.inventory.core.Inventory;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.spi.InventoryStore;
import dev.inventory.jdbc.PostgresInventoryStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/** Our durable stores behind the public {@link Inventory} API, each in its own schema or key prefix. */
final class StoreTargets {
    private StoreTargets() {
    }

    /** Ours over any store: the same calls a host makes. */
    static class Ours implements BenchTarget {
        final String store;
        final InventoryStore backend;
        final Inventory inventory;
        final Runnable cleanup;

        Ours(String store, InventoryStore backend, Runnable cleanup) {
            this.store = store;
            this.backend = backend;
            this.inventory = Inventory.builder().store(backend).withoutSweeper().build();
            this.cleanup = cleanup;
        }

        @Override
        public String store() {
            return store;
        }

        @Override
        public String contender() {
            return "ours";
        }

        @Override
        public void seed(List<String> skus, long stockEach) {
            for (String sku : skus) {
                inventory.stock().receive(Sku.of(sku), MemoryTargets.LOCATION, stockEach);
            }
        }

        @Override
        public boolean reserve(String id, List<String> skus, long quantityEach) {
            var b = ReservationRequest.builder(id);
            for (String sku : skus) {
                b.line(Sku.of(sku), MemoryTargets.LOCATION, quantityEach);
            }
            return inventory.reservations().reserve(b.build()).isSuccess();
        }

        @Override
        public boolean confirm(String id) {
            return inventory.reservations().confirm(ReservationId.of(id)).isSuccess();
        }

        @Override
        public long available(String sku) {
            return inventory.availability(Sku.of(sku)).available();
        }

        @Override
        public long promised(String sku) {
            StockLevel l = inventory.level(Sku.of(sku), MemoryTargets.LOCATION).orElseThrow();
            return l.reserved() + l.allocated();
        }

        @Override
        public void close() {
            try {
                inventory.close();
            } finally {
                cleanup.run();
            }
        }
    }

    /** Ours on Redis, under a key prefix of its own whose keys are deleted afterwards. */
    static BenchTarget redis(BenchServers.Redis server, int connections) {
        String prefix = "bench-ours-" + Long.toString(System.nanoTime(), 36) + ":";
        var poolConfig = new org.apache.commons.pool2.impl.GenericObjectPoolConfig<redis.clients.jedis.Connection>();
        poolConfig.setMaxTotal(connections);
        poolConfig.setMaxIdle(connections);
        poolConfig.setMinIdle(connections);
        var jedis = new redis.clients.jedis.JedisPooled(poolConfig, server.host(), server.port());
        prefill(jedis);
        var store = dev.inventory.redis.RedisInventoryStore.builder(jedis).keyPrefix(prefix).build();
        return new Ours("redis", store, () -> {
            try {
                RawTargets.deleteKeys(jedis, prefix);
            } finally {
                jedis.close();
            }
        });
    }

    /**
     * Opens every pooled connection up front: commons-pool2 wakes every waiting borrower each time it
     * creates one, which thousands of virtual threads turn into seconds of churn.
     */
    static void prefill(redis.clients.jedis.JedisPooled jedis) {
        try {
            jedis.getPool().preparePool();
        } catch (Exception e) {
            throw new IllegalStateException("could not open the Redis connections", e);
        }
    }

    /** Ours on PostgreSQL, in a schema of its own that is dropped afterwards. */
    static BenchTarget postgres(BenchServers.Postgres server, int connections) {
        String schema = "bench_ours_" + Long.toString(System.nanoTime(), 36);
        PostgresInventoryStore store = PostgresInventoryStore.builder().jdbcUrl(server.jdbcUrl())
                .username(server.user()).maxPoolSize(connections).schema(schema).build();
        return new Ours("postgres", store, () -> {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("could not drop bench schema " + schema, e);
            }
        });
    }
}
