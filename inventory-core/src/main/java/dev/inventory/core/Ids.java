package dev.inventory.core;

/**
 * Validation shared by the identifier types. A plain character loop, not a regular expression: ids
 * are checked on every call (a reservation id per reserve and confirm), and a regex match costs a
 * matcher allocation and a backtracking engine per check.
 */
final class Ids {
    static final int MAX_LENGTH = 64;
    private static final int MAX_TOKEN_LENGTH = 128;

    private Ids() {
    }

    static String requireId(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (!matches(value, MAX_LENGTH, false)) {
            throw new IllegalArgumentException(field + " must be 1-64 characters of A-Z a-z 0-9 . _ -, was \""
                    + abbreviate(value) + "\"");
        }
        return value;
    }

    static String requireToken(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (!matches(value, MAX_TOKEN_LENGTH, true)) {
            throw new IllegalArgumentException(field + " must be 1-128 characters of A-Z a-z 0-9 . _ - :, was \""
                    + abbreviate(value) + "\"");
        }
        return value;
    }

    /** Whether {@code value} is 1-{@code max} characters of {@code A-Z a-z 0-9 . _ -} (and {@code :} if allowed). */
    private static boolean matches(String value, int max, boolean colon) {
        int n = value.length();
        if (n == 0 || n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || c == '.' || (colon && c == ':');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...(" + value.length() + " chars)";
    }
}
