package dev.inventory.jdbc;

import java.util.regex.Pattern;

/**
 * Where and how the PostgreSQL store keeps its tables. Build it through
 * {@link PostgresInventoryStore#builder()}, or directly; every component is validated.
 *
 * @param schema the schema holding the tables: 1-63 characters of {@code a-z 0-9 _}, starting with a
 *     letter or {@code _}; default {@code inventory}
 * @param tablePrefix prepended to every table name (for a schema shared with other tables): 0-20
 *     characters of {@code a-z 0-9 _}, starting with a letter or {@code _} when not empty; default empty
 * @param migrateOnStart whether building the store migrates the schema to the version the library
 *     needs (safe at every start and from several instances at once); default true. When false, the
 *     store checks that the schema is at that version and refuses to start otherwise.
 */
public record JdbcConfig(String schema, String tablePrefix, boolean migrateOnStart) {

    /** The default schema. */
    public static final String DEFAULT_SCHEMA = "inventory";

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern PREFIX = Pattern.compile("([a-z_][a-z0-9_]{0,19})?");

    /**
     * Validates the components, so that no name can break a SQL statement.
     *
     * @throws IllegalArgumentException naming the field and the bad value
     */
    public JdbcConfig {
        if (schema == null || !SCHEMA.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw new IllegalArgumentException("schema must be 1-63 characters of a-z 0-9 _, start with a letter or _"
                    + " and not with pg_, was " + quoted(schema));
        }
        if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("tablePrefix must be 0-20 characters of a-z 0-9 _ and start with a"
                    + " letter or _, was " + quoted(tablePrefix));
        }
    }

    /** The defaults: schema {@code inventory}, no table prefix, migrate on start. */
    public static JdbcConfig defaults() {
        return new JdbcConfig(DEFAULT_SCHEMA, "", true);
    }

    /** {@code schema.prefix}, what every table name in a statement starts with. */
    String qualifier() {
        return schema + "." + tablePrefix;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        return "\"" + (value.length() <= 80 ? value : value.substring(0, 80) + "...") + "\"";
    }
}
