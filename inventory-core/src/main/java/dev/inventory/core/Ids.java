package dev.inventory.core;

import java.util.regex.Pattern;

/** Validation shared by the identifier types. */
final class Ids {
    static final int MAX_LENGTH = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private Ids() {
    }

    static String requireId(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-64 characters of A-Z a-z 0-9 . _ -, was \""
                    + abbreviate(value) + "\"");
        }
        return value;
    }

    static String requireToken(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (!TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-128 characters of A-Z a-z 0-9 . _ - :, was \""
                    + abbreviate(value) + "\"");
        }
        return value;
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...(" + value.length() + " chars)";
    }
}
