package dev.inventory.kafka;

import java.time.Duration;
import java.util.regex.Pattern;

/** Argument checks whose messages name the field and the bad value. */
final class Settings {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private Settings() {
    }

    static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-blank text, was " + quoted(value));
        }
        return value;
    }

    static String topic(String field, String value) {
        if (value == null || !TOPIC.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(field + " must be a Kafka topic name (1-249 characters of"
                    + " A-Z a-z 0-9 . _ -), was " + quoted(value));
        }
        return value;
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static Duration duration(String field, Duration value, Duration min, Duration max) {
        notNull(field, value);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
