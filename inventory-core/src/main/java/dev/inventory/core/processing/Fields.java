package dev.inventory.core.processing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Validation of inbound event fields; every message names the field and the bad value. */
final class Fields {
    /** Event ids leave room for a {@code :<item>} suffix inside the stores' 128-character limit. */
    static final int MAX_EVENT_ID = 100;
    /** The most items one warehouse event may carry. */
    static final int MAX_ITEMS = 100;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]+");

    private Fields() {
    }

    static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static String eventId(String value) {
        return token("eventId", value, MAX_EVENT_ID);
    }

    static String token(String field, String value, int maxLength) {
        notNull(field, value);
        if (value.isEmpty() || value.length() > maxLength || !TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-" + maxLength
                    + " characters of A-Z a-z 0-9 . _ - :, was \"" + abbreviate(value) + "\"");
        }
        return value;
    }

    static String text(String field, String value, int maxLength) {
        notNull(field, value);
        if (value.isBlank() || value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be 1-" + maxLength + " non-blank characters, was \""
                    + abbreviate(value) + "\"");
        }
        return value;
    }

    static Optional<String> optionalText(String field, Optional<String> value, int maxLength) {
        notNull(field, value).ifPresent(v -> text(field, v, maxLength));
        return value;
    }

    /** Copies {@code values}, checking 1..{@link #MAX_ITEMS} non-null elements with no repeated key. */
    static <T, K> List<T> items(String field, List<T> values, Function<T, K> key) {
        notNull(field, values);
        if (values.isEmpty() || values.size() > MAX_ITEMS) {
            throw new IllegalArgumentException(field + " must hold 1-" + MAX_ITEMS + " entries, was " + values.size());
        }
        var seen = new HashSet<K>();
        var copy = new ArrayList<T>(values.size());
        for (T value : values) {
            notNull(field + " entry", value);
            if (!seen.add(key.apply(value))) {
                throw new IllegalArgumentException(field + " must not repeat " + key.apply(value));
            }
            copy.add(value);
        }
        return List.copyOf(copy);
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...(" + value.length() + " chars)";
    }
}
