package dev.inventory.examples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The raw-driver baselines: what a host would hand-write with the driver alone, measured in the same
 * run as our stores. Each works in its own schema or key prefix and removes only what it created.
 */
final class RawTargets {
    private RawTargets() {
    }

    static String resource(String name) {
        try (InputStream in = RawTargets.class.getResourceAsStream("/bench/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing resource /bench/" + name, e);
        }
    }

    /** Deletes the keys under {@code prefix} (and only those). */
    static void deleteKeys(redis.clients.jedis.UnifiedJedis jedis, String prefix) {
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(prefix + "*").count(1000);
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            if (!page.getResult().isEmpty()) {
                jedis.unlink(page.getResult().toArray(new String[0]));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    /** PostgreSQL: one transaction per call with a conditional UPDATE, a ledger INSERT and an outbox INSERT. */
    static final class PostgresBaseline implements BenchTarget {
        final String schema = "bench_raw_" + Long.toString(System.nanoTime(), 36);
        final HikariDataSource pool;

        PostgresBaseline(BenchServers.Postgres server, int connections) throws SQLException {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(server.jdbcUrl());
            config.setUsername(server.user());
            config.setMaximumPoolSize(connections);
            config.setAutoCommit(false);
            config.addDataSourceProperty("currentSchema", schema);
            try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            pool = new HikariDataSource(config);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute(resource("raw-schema.sql"));
                c.commit();
            }
        }

        @Override
        public String store() {
            return "postgres";
        }

        @Override
        public String contender() {
            return "baseline";
        }

        @Override
        public void seed(List<String> skus, long stockEach) throws SQLException {
            try (Connection c = pool.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO raw_level (sku, location_id, on_hand) VALUES (?, 'BENCH', ?)")) {
                for (String sku : skus) {
                    ps.setString(1, sku);
                    ps.setLong(2, stockEach);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            }
        }

        @Override
        public boolean reserve(String id, List<String> skus, long quantityEach) throws SQLException {
            List<String> sorted = new ArrayList<>(skus);
            sorted.sort(null);
            try (Connection c = pool.getConnection()) {
                try {
                    try (PreparedStatement up = c.prepareStatement("UPDATE raw_level SET reserved = reserved + ?, "
                            + "version = version + 1 WHERE sku = ? AND location_id = 'BENCH' "
                            + "AND on_hand - allocated - reserved - damaged - safety_stock >= ?")) {
                        for (String sku : sorted) {
                            up.setLong(1, quantityEach);
                            up.setString(2, sku);
                            up.setLong(3, quantityEach);
                            if (up.executeUpdate() == 0) {
                                c.rollback();
                                return false;
                            }
                        }
                    }
                    try (PreparedStatement hold = c.prepareStatement(
                            "INSERT INTO raw_hold (id, skus, quantity, status, expires_at) VALUES (?, ?, ?, 'ACTIVE', ?)")) {
                        hold.setString(1, id);
                        hold.setArray(2, c.createArrayOf("text", sorted.toArray()));
                        hold.setLong(3, quantityEach);
                        hold.setTimestamp(4, new Timestamp(System.currentTimeMillis() + 900_000));
                        hold.executeUpdate();
                    }
                    ledgerAndOutbox(c, sorted, "reserved", id);
                    c.commit();
                    return true;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
            }
        }

        private static void ledgerAndOutbox(Connection c, List<String> skus, String type, String id)
                throws SQLException {
            try (PreparedStatement ledger = c.prepareStatement("INSERT INTO raw_ledger (sku, location_id, kind, delta, "
                    + "reference, occurred_at) VALUES (?, 'BENCH', ?, 0, ?, now())");
                    PreparedStatement outbox = c.prepareStatement("INSERT INTO raw_outbox (id, aggregatetype, "
                            + "aggregateid, type, payload) VALUES (?, 'inventory', ?, ?, ?::jsonb)")) {
                for (String sku : skus) {
                    ledger.setString(1, sku);
                    ledger.setString(2, type);
                    ledger.setString(3, id);
                    ledger.addBatch();
                    outbox.setObject(1, UUID.randomUUID());
                    outbox.setString(2, sku + ":BENCH");
                    outbox.setString(3, "inventory." + type);
                    outbox.setString(4, "{\"sku\":\"" + sku + "\",\"reservationId\":\"" + id + "\"}");
                    outbox.addBatch();
                }
                ledger.executeBatch();
                outbox.executeBatch();
            }
        }

        @Override
        public boolean confirm(String id) throws SQLException {
            try (Connection c = pool.getConnection()) {
                try {
                    String[] skus;
                    long q;
                    try (PreparedStatement ps = c.prepareStatement("UPDATE raw_hold SET status = 'CONFIRMED' "
                            + "WHERE id = ? AND status = 'ACTIVE' RETURNING skus, quantity")) {
                        ps.setString(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                c.rollback();
                                return false;
                            }
                            skus = (String[]) rs.getArray(1).getArray();
                            q = rs.getLong(2);
                        }
                    }
                    try (PreparedStatement up = c.prepareStatement("UPDATE raw_level SET reserved = reserved - ?, "
                            + "allocated = allocated + ?, version = version + 1 WHERE sku = ? AND location_id = 'BENCH'")) {
                        for (String sku : skus) {
                            up.setLong(1, q);
                            up.setLong(2, q);
                            up.setString(3, sku);
                            up.addBatch();
                        }
                        up.executeBatch();
                    }
                    ledgerAndOutbox(c, List.of(skus), "confirmed", id);
                    c.commit();
                    return true;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
            }
        }

        private long query(String sql, String sku) throws SQLException {
            try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, sku);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    c.commit();
                    return v;
                }
            }
        }

        @Override
        public long available(String sku) throws SQLException {
            return query("SELECT greatest(0, on_hand - damaged - allocated - reserved - safety_stock) FROM raw_level "
                    + "WHERE sku = ? AND location_id = 'BENCH'", sku);
        }

        @Override
        public long promised(String sku) throws SQLException {
            return query("SELECT reserved + allocated FROM raw_level WHERE sku = ? AND location_id = 'BENCH'", sku);
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
                c.commit();
            } finally {
                pool.close();
            }
        }
    }

    /** Redis: EVALSHA of the seed-style reserve script (stock check + HINCRBY + reservation hash + ZADD). */
    static final class RedisBaseline implements BenchTarget {
        final String prefix = "bench-raw-" + Long.toString(System.nanoTime(), 36) + ":";
        final JedisPooled jedis;
        final String reserveSha;
        final String confirmSha;
        final java.util.concurrent.ConcurrentHashMap<String, List<String>> holds = new java.util.concurrent.ConcurrentHashMap<>();

        RedisBaseline(BenchServers.Redis server, int connections) {
            var poolConfig = new org.apache.commons.pool2.impl.GenericObjectPoolConfig<redis.clients.jedis.Connection>();
            poolConfig.setMaxTotal(connections);
            poolConfig.setMaxIdle(connections);
            poolConfig.setMinIdle(connections);
            jedis = new JedisPooled(poolConfig, server.host(), server.port());
            StoreTargets.prefill(jedis);
            reserveSha = jedis.scriptLoad(resource("raw-reserve.lua"));
            confirmSha = jedis.scriptLoad(resource("raw-confirm.lua"));
        }

        String stock(String sku) {
            return prefix + "{" + sku + "}:stock";
        }

        @Override
        public String store() {
            return "redis";
        }

        @Override
        public String contender() {
            return "baseline";
        }

        @Override
        public void seed(List<String> skus, long stockEach) {
            try (var pipe = jedis.pipelined()) {
                for (String sku : skus) {
                    pipe.hset(stock(sku), java.util.Map.of("available", Long.toString(stockEach), "reserved", "0",
                            "allocated", "0"));
                }
            }
        }

        @Override
        public boolean reserve(String id, List<String> skus, long quantityEach) {
            List<String> keys = new ArrayList<>(skus.size() * 2 + 1);
            for (String sku : skus) {
                keys.add(stock(sku));
                keys.add(prefix + "{" + sku + "}:expiry");
            }
            keys.add(prefix + "hold:" + id);
            Object r = jedis.evalsha(reserveSha, keys, List.of(Long.toString(quantityEach),
                    Long.toString(System.currentTimeMillis() + 900_000), id));
            boolean ok = Long.valueOf(1).equals(r);
            if (ok) {
                holds.put(id, skus);
            }
            return ok;
        }

        @Override
        public boolean confirm(String id) {
            List<String> skus = holds.get(id);
            List<String> keys = new ArrayList<>();
            keys.add(prefix + "hold:" + id);
            for (String sku : skus) {
                keys.add(stock(sku));
            }
            return Long.valueOf(1).equals(jedis.evalsha(confirmSha, keys, List.of("1")));
        }

        @Override
        public long available(String sku) {
            String v = jedis.hget(stock(sku), "available");
            return v == null ? 0 : Long.parseLong(v);
        }

        @Override
        public long promised(String sku) {
            var v = jedis.hmget(stock(sku), "reserved", "allocated");
            return Long.parseLong(v.get(0)) + Long.parseLong(v.get(1));
        }

        @Override
        public void close() {
            try {
                deleteKeys(jedis, prefix);
            } finally {
                jedis.close();
            }
        }
    }
}
