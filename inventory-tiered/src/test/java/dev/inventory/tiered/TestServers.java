package dev.inventory.tiered;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Real servers for the tiered tests. PostgreSQL: {@value #PG_ENV} or an embedded one (as in
 * inventory-jdbc). Redis: {@value #REDIS_ENV} for the shared server, or a {@code redis-server} from the
 * PATH that the tests start on a free loopback port with nothing on disk; fault tests always start their
 * own process so they can kill it.
 */
final class TestServers {
    static final String PG_ENV = "INVENTORY_TEST_PG_URL";
    static final String REDIS_ENV = "INVENTORY_TEST_REDIS_URL";
    static final String SCHEMA_PREFIX = "inv_tiered_";

    private static HikariDataSource pool;
    private static JedisPooled sharedRedis;
    private static String sharedRedisUrl;

    private TestServers() {
    }

    static synchronized DataSource pg() {
        if (pool == null) {
            String url = System.getenv(PG_ENV);
            if (url != null && !url.isBlank()) {
                Properties props = new Properties();
                props.setProperty("connectTimeout", "5");
                try (Connection c = DriverManager.getConnection(url, props)) {
                    c.isValid(5);
                } catch (SQLException e) {
                    throw new IllegalStateException(PG_ENV + " is set to " + url + " but PostgreSQL cannot be"
                            + " reached (" + e.getMessage() + "). Start it, e.g. `pg_ctlcluster"
                            + " --skip-systemctl-redirect 15 main start`, or unset " + PG_ENV, e);
                }
            } else {
                try {
                    EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            embedded.close();
                        } catch (IOException e) {
                            // exiting
                        }
                    }));
                    url = embedded.getJdbcUrl("postgres", "postgres");
                } catch (IOException e) {
                    throw new IllegalStateException("could not start an embedded PostgreSQL; set " + PG_ENV, e);
                }
            }
            pool = newPool(url, 16);
        }
        return pool;
    }

    static HikariDataSource newPool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(3000);
        return new HikariDataSource(config);
    }

    static String pgUrl() {
        pg();
        return pool.getJdbcUrl();
    }

    static String newSchema() {
        return SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static void dropSchema(String schema) {
        if (!schema.startsWith(SCHEMA_PREFIX) || !schema.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("refusing to drop " + schema);
        }
        try (Connection c = pg().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop " + schema, e);
        }
    }

    static long queryLong(String sql, Object... params) {
        try (Connection c = pg().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static int update(String sql, Object... params) {
        try (Connection c = pg().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The Redis the tests share ({@value #REDIS_ENV}, or a process started once for this JVM). */
    static synchronized JedisPooled redis() {
        if (sharedRedis == null) {
            String url = System.getenv(REDIS_ENV);
            if (url != null && !url.isBlank()) {
                sharedRedis = new JedisPooled(java.net.URI.create(url));
                sharedRedisUrl = url;
                try {
                    sharedRedis.ping();
                } catch (RuntimeException e) {
                    throw new IllegalStateException(REDIS_ENV + " is set to " + url + " but nothing answers."
                            + " Start it (e.g. `redis-server --daemonize yes`) or unset " + REDIS_ENV, e);
                }
            } else {
                RedisProcess p = RedisProcess.start();
                Runtime.getRuntime().addShutdownHook(new Thread(p::stop));
                sharedRedis = p.client();
                sharedRedisUrl = "redis://127.0.0.1:" + p.port;
            }
        }
        return sharedRedis;
    }

    /** The URL of {@link #redis()} (for a child process). */
    static synchronized String redisUrl() {
        redis();
        return sharedRedisUrl;
    }

    static String newPrefix() {
        return "tt" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** Deletes the keys under {@code prefix} (and only those). */
    static void deleteKeys(JedisPooled jedis, String prefix) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(500));
            if (!page.getResult().isEmpty()) {
                jedis.unlink(page.getResult().toArray(new String[0]));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code redis-server} process this test started: nothing on disk, killable, restartable empty. */
    static final class RedisProcess {
        final int port;
        private final Path dir;
        private Process process;
        private JedisPooled client;

        private RedisProcess(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }

        static RedisProcess start() {
            try {
                RedisProcess p = new RedisProcess(freePort(), Files.createTempDirectory("tiered-redis"));
                p.launch();
                return p;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void launch() {
            List<String> cmd = new ArrayList<>(List.of(binary(), "--port", String.valueOf(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
            try {
                process = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start redis-server (install it: apt-get install"
                        + " redis-server, or put it on the PATH)", e);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    j.ping();
                    return;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        throw new IllegalStateException("redis-server did not start on port " + port, e);
                    }
                    Thread.onSpinWait();
                    try {
                        process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(ie);
                    }
                }
            }
        }

        synchronized JedisPooled client() {
            if (client == null) {
                client = new JedisPooled("127.0.0.1", port);
            }
            return client;
        }

        /** SIGKILLs the server: everything in memory is gone (nothing is on disk). */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Kills the server and starts an empty one on the same port. */
        void restartEmpty() {
            kill();
            launch();
        }

        /**
         * Kills the server, starts an empty one, and lets the client drop its broken connections, so the
         * next command runs on the empty server (as a client whose pool opened a fresh connection would).
         */
        void restartEmptyAndReconnect() {
            restartEmpty();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try {
                    client().ping();
                    return;
                } catch (redis.clients.jedis.exceptions.JedisException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
        }

        void stop() {
            kill();
            if (client != null) {
                client.close();
            }
            File[] files = dir.toFile().listFiles();
            if (files != null) {
                for (File f : files) {
                    f.delete();
                }
            }
            dir.toFile().delete();
        }

        private static String binary() {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                File f = new File(d, "redis-server");
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
            throw new IllegalStateException("no redis-server on the PATH: install it (apt-get install"
                    + " redis-server) or set " + REDIS_ENV + " for the shared tests");
        }
    }
}
