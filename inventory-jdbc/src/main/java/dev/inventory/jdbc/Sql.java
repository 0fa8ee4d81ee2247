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
import java.util.stream.Collectors;

/**
 * The store's SQL, loaded from {@code statements.sql} and the migration scripts in the resources,
 * with the schema and table prefix substituted ({@code ${schema}}, {@code ${p}}, {@code ${t}}).
 */
final class Sql {
    private static final String STATEMENTS = "statements.sql";
    private static final String NAME_MARKER = "-- name:";

    private final JdbcConfig config;
    private final Map<String, String> statements;
    private final Map<String, String> writes = new ConcurrentHashMap<>();

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
     * data-modifying CTE, followed by one row count per fragment; built once per combination.
     */
    String write(List<WriteSet.Part> parts) {
        String key = parts.stream().map(WriteSet.Part::fragment).collect(Collectors.joining(","));
        return writes.computeIfAbsent(key, k -> {
            StringJoiner ctes = new StringJoiner(",\n", "WITH ", "\n");
            StringJoiner counts = new StringJoiner(", ", "SELECT ", "");
            for (WriteSet.Part part : parts) {
                ctes.add(get("write." + part.fragment()));
                counts.add("(SELECT count(*) FROM " + part.cte() + ")");
            }
            return ctes + counts.toString();
        });
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
