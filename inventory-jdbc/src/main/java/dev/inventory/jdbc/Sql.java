package dev.inventory.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's SQL, loaded from {@code statements.sql} and the migration scripts in the resources,
 * with the schema and table prefix substituted ({@code ${schema}}, {@code ${p}}, {@code ${t}}).
 */
final class Sql {
    private static final String STATEMENTS = "statements.sql";
    private static final String NAME_MARKER = "-- name:";
    /** The text the row-count check of a write statement fails with (see {@code write.check}). */
    static final String WRITE_CHECK = "inventory write check failed";

    private final JdbcConfig config;
    private final Map<String, String> statements;
    private final Map<Long, String> writes = new ConcurrentHashMap<>();
    private final Map<Integer, String> levelLocks = new ConcurrentHashMap<>();
    private final Map<Integer, String> holdInserts = new ConcurrentHashMap<>();

    /** The most levels {@link #lockLevels} names with scalar parameters; more go as arrays. */
    static final int MAX_VALUES = 32;

    Sql(JdbcConfig config) {
        this.config = config;
        this.statements = parse(substitute(resource(STATEMENTS)));
    }

    /** The statement called {@code name}. */
    String get(String name) {
        String sql = statements.get(name);
        if (sql == null) {
            throw new IllegalStateException("no statement named " + name + " in " + STATEMENTS);
        }
        return sql;
    }

    /**
     * One write statement made of the fragments {@code write.<fragment>} of {@code parts}, each a
     * data-modifying CTE, ending in the row-count check ({@code write.check}: one expected count per
     * fragment, bound after the fragments' parameters), and with {@code ;COMMIT} when {@code commit}
     * (pgjdbc sends both in one round trip, and the server skips the COMMIT when the write fails);
     * built once per combination, whose {@code key} says it (a bit per fragment, one for commit, and the
     * row counts of the {@code *_values} fragments, whose {@code ${rows}} repeat their {@code .row}).
     */
    String write(long key, List<WriteSet.Part> parts, boolean commit) {
        String cached = writes.get(key);
        if (cached != null) {
            return cached;
        }
        return writes.computeIfAbsent(key, k -> {
            StringJoiner ctes = new StringJoiner(",\n", "WITH ", "\n");
            StringJoiner written = new StringJoiner(", ");
            StringJoiner expected = new StringJoiner(" AND ");
            for (WriteSet.Part part : parts) {
                String fragment = get("write." + part.fragment());
                if (part.fragment().endsWith("_values")) {
                    StringJoiner rows = new StringJoiner(",\n           ");
                    String row = get("write." + part.fragment() + ".row");
                    for (long r = 0; r < part.rows(); r++) {
                        rows.add(row);
                    }
                    fragment = fragment.replace("${rows}", rows.toString());
                }
                ctes.add(fragment);
                written.add("(SELECT count(*) FROM " + part.cte() + ") AS " + part.cte());
                expected.add("n." + part.cte() + " = ?");
            }
            StringJoiner actual = new StringJoiner(" || ' ' || ");
            for (WriteSet.Part part : parts) {
                actual.add("'" + part.fragment() + "=' || n." + part.cte());
            }
            String check = get("write.check").replace("${written}", written.toString())
                    .replace("${expected}", expected.toString()).replace("${actual}", actual.toString());
            return ctes + check + (commit ? ";\nCOMMIT" : "");
        });
    }

    /**
     * The statement locking {@code n} levels in the canonical order: {@code lock_levels_values} with
     * {@code n} pairs of parameters (sku, location) for up to {@link #MAX_VALUES} levels, else
     * {@code lock_levels} with two arrays. Bind it with {@link Rows#setLockKeys(java.sql.Connection,
     * java.sql.PreparedStatement, int, java.util.Collection)}.
     */
    String lockLevels(int n) {
        if (n > MAX_VALUES) {
            return get("lock_levels");
        }
        return levelLocks.computeIfAbsent(n, k -> {
            StringJoiner keys = new StringJoiner(", ");
            for (int i = 0; i < k; i++) {
                keys.add("(?, ?)");
            }
            return get("lock_levels_values").replace("${keys}", keys.toString());
        });
    }

    /**
     * {@code insert_reservation} for a hold of {@code n} lines: the hold's columns, then {@code n} SKUs,
     * {@code n} locations and {@code n} quantities as scalar parameters (bound by
     * {@link Rows#setHoldLines}).
     */
    String insertReservation(int n) {
        return holdInserts.computeIfAbsent(n, k -> {
            String marks = String.join(", ", java.util.Collections.nCopies(k, "?"));
            return get("insert_reservation").replace("${skus}", marks).replace("${locations}", marks)
                    .replace("${quantities}", marks);
        });
    }

    /**
     * The statements {@code names} as one text separated by semicolons: pgjdbc sends them in one round
     * trip and the server runs them in order; the parameters number through all of them.
     */
    String batch(String... names) {
        StringJoiner out = new StringJoiner(";\n");
        for (String name : names) {
            out.add(get(name));
        }
        return out.toString();
    }

    /** Whether {@code e} is the failure of the row-count check of {@link #write}. */
    static boolean isWriteCheckFailure(java.sql.SQLException e) {
        return "22P02".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains(WRITE_CHECK);
    }

    /** The migration script {@code file}, substituted. */
    String migration(String file) {
        return substitute(resource("migration/" + file));
    }

    private String substitute(String text) {
        return text.replace("${t}", config.qualifier())
                .replace("${schema}", config.schema())
                .replace("${p}", config.tablePrefix());
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> out = new HashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith(NAME_MARKER)) {
                put(out, name, body);
                name = trimmed.substring(NAME_MARKER.length()).strip();
                body.setLength(0);
            } else if (name != null && !trimmed.startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        put(out, name, body);
        return Map.copyOf(out);
    }

    private static void put(Map<String, String> out, String name, StringBuilder body) {
        if (name != null && out.put(name, body.toString().strip()) != null) {
            throw new IllegalStateException("statement " + name + " is defined twice in " + STATEMENTS);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Sql.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + Sql.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
