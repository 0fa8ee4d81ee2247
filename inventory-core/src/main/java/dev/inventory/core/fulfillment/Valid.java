package dev.inventory.core.fulfillment;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Argument checks whose messages name the field and the bad value. */
final class Valid {
    private static final Pattern POSTAL = Pattern.compile("[A-Za-z0-9 -]{1,16}");

    private Valid() {
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
                    + abbreviate(value) + "\"");
        }
        return value;
    }

    /** A postal code or a postal-code prefix: 1-16 of letters, digits, space and hyphen, not blank. */
    static String postal(String field, String value) {
        notNull(field, value);
        if (!POSTAL.matcher(value).matches() || normalizePostal(value).isEmpty()) {
            throw new IllegalArgumentException(field + " must be 1-16 characters of A-Z a-z 0-9 space and -, was \""
                    + abbreviate(value) + "\"");
        }
        return value;
    }

    /** Upper case, without spaces and hyphens: "sw1a 1aa" and "SW1A1AA" match alike. */
    static String normalizePostal(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '-') {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    static double range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static <E extends Enum<E>> Set<E> enumSet(String field, Class<E> type, Collection<E> values) {
        notNull(field, values);
        EnumSet<E> set = EnumSet.noneOf(type);
        for (E e : values) {
            set.add(notNull(field + " element", e));
        }
        return Collections.unmodifiableSet(set);
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...(" + value.length() + " chars)";
    }
}
