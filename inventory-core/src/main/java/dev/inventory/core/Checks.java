package dev.inventory.core;

import java.util.Objects;

/** Null checks whose message names the field. */
final class Checks {
    private Checks() {
    }

    static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static String text(String field, String value, int maxLength) {
        notNull(field, value);
        if (value.isBlank() || value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be 1-" + maxLength + " non-blank characters, was \""
                    + Ids.abbreviate(value) + "\"");
        }
        return Objects.requireNonNull(value);
    }
}
