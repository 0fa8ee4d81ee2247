package dev.inventory.core.flashsale;

import java.util.regex.Pattern;

/** Validation of the identifiers flash sales add; messages name the field and the value. */
final class FlashIds {
    private static final Pattern SALE = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private FlashIds() {
    }

    static String saleId(String value) {
        return match("saleId", value, SALE, "1-40 characters of A-Z a-z 0-9 . _ -");
    }

    static String userId(String value) {
        return match("userId", value, USER, "1-64 characters of A-Z a-z 0-9 . _ -");
    }

    static String tokenId(String value) {
        return match("tokenId", value, TOKEN, "1-64 characters of A-Z a-z 0-9 _ -");
    }

    static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static java.time.Duration positive(String field, java.time.Duration value, java.time.Duration max) {
        notNull(field, value);
        if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be positive and at most " + max + ", was " + value);
        }
        return value;
    }

    private static String match(String field, String value, Pattern pattern, String rule) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (!pattern.matcher(value).matches()) {
            String shown = value.length() <= 80 ? value : value.substring(0, 80) + "...(" + value.length() + " chars)";
            throw new IllegalArgumentException(field + " must be " + rule + ", was \"" + shown + "\"");
        }
        return value;
    }
}
