package dev.inventory.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a schema to the version this library needs, from the versioned scripts in
 * {@code src/main/resources/dev/inventory/jdbc/migration}. All of it runs in one transaction under a
 * transaction-scoped advisory lock on the schema, so it is safe at every start and from several
 * instances at once: the first applies the missing scripts, the others wait and find nothing to do.
 * PostgreSQL's DDL is transactional, so a failed migration leaves the schema as it was.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** The scripts in order; script {@code i} (from 0) brings the schema to version {@code i + 1}. */
    static final List<String> SCRIPTS = List.of("V1__inventory_schema.sql", "V2__flash_sales.sql",
            "V3__lean_writes.sql", "V4__processing.sql", "V5__hold_lines_in_row.sql");

    private Migrations() {
    }

    /** The version this library needs. */
    static int latest() {
        return SCRIPTS.size();
    }

    /**
     * Applies the missing scripts.
     *
     * @return the version before
     * @throws IllegalStateException when the schema is newer than this library
     */
    static int migrate(Connection c, JdbcConfig config, Sql sql) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement(sql.get("migration_lock"))) {
            lock.setLong(1, lockKey(config.schema()));
            lock.execute();
        }
        int current = currentVersion(c, config, sql);
        if (current > latest()) {
            throw new IllegalStateException("schema " + config.schema() + " is at version " + current
                    + " but this library knows only versions up to " + latest() + "; upgrade the library");
        }
        if (current == latest()) {
            return current; // the usual start: no DDL at all, so a role without CREATE rights may run it
        }
        if (!schemaExists(c, config, sql)) {
            try (Statement st = c.createStatement()) {
                st.execute(sql.get("create_schema"));
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute(sql.get("create_version_table"));
        }
        for (int v = current + 1; v <= latest(); v++) {
            String script = SCRIPTS.get(v - 1);
            try (Statement st = c.createStatement()) {
                st.execute(sql.migration(script));
            }
            try (PreparedStatement ps = c.prepareStatement(sql.get("record_version"))) {
                ps.setInt(1, v);
                ps.setString(2, script);
                ps.executeUpdate();
            }
            log.info("migrated schema {} (table prefix \"{}\") to version {} with {}", config.schema(),
                    config.tablePrefix(), v, script);
        }
        return current;
    }

    /** The schema's version: 0 when it has no version table. */
    static int currentVersion(Connection c, JdbcConfig config, Sql sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("version_table_exists"))) {
            ps.setString(1, config.schema());
            ps.setString(2, config.tablePrefix() + "schema_version");
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
            }
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.get("current_version"))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean schemaExists(Connection c, JdbcConfig config, Sql sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("schema_exists"))) {
            ps.setString(1, config.schema());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A stable 64-bit advisory lock key for migrating {@code schema} (FNV-1a of a namespaced name). */
    static long lockKey(String schema) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : ("dev.inventory.jdbc/migrate/" + schema).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
