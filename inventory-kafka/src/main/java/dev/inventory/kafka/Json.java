package dev.inventory.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** Reading JSON documents field by field with Jackson; every error names the field. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private Json() {
    }

    /** A required identifier: 1-128 characters of {@code A-Z a-z 0-9 . _ - :} (what an event id or order id may be). */
    static String token(JsonNode n, String field) throws InvalidMessageException {
        String v = text(n, field);
        if (!TOKEN.matcher(v).matches()) {
            throw new InvalidMessageException(field + " must be 1-128 characters of A-Z a-z 0-9 . _ - :, was \""
                    + (v.length() > 80 ? v.substring(0, 80) + "..." : v) + "\"");
        }
        return v;
    }

    static Optional<String> optionalToken(JsonNode n, String field) throws InvalidMessageException {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(token(n, field));
    }

    /** Parses one JSON object. */
    static JsonNode object(byte[] bytes) throws InvalidMessageException {
        if (bytes == null) {
            throw new InvalidMessageException("the record has no value (a tombstone), expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("the value is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidMessageException("the value cannot be read: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidMessageException("the value must be a JSON object, was "
                    + (node == null || node.isMissingNode() ? "empty" : node.getNodeType().toString().toLowerCase()));
        }
        return node;
    }

    static String text(JsonNode n, String field) throws InvalidMessageException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidMessageException(field + " is required");
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw new InvalidMessageException(field + " must be a non-blank string, was " + v);
        }
        return v.textValue();
    }

    static Optional<String> optionalText(JsonNode n, String field) throws InvalidMessageException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        return Optional.of(text(n, field));
    }

    static long integer(JsonNode n, String field) throws InvalidMessageException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidMessageException(field + " is required");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidMessageException(field + " must be an integer, was " + v);
        }
        return v.longValue();
    }

    static OptionalLong optionalInteger(JsonNode n, String field) throws InvalidMessageException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(integer(n, field));
    }

    /** An instant as ISO-8601 text ({@code 2026-03-01T10:00:00Z}) or epoch milliseconds. */
    static Instant instant(JsonNode n, String field) throws InvalidMessageException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidMessageException(field + " is required");
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Instant.ofEpochMilli(v.longValue());
        }
        if (v.isTextual()) {
            try {
                return Instant.parse(v.textValue());
            } catch (DateTimeParseException e) {
                throw new InvalidMessageException(field + " must be an ISO-8601 instant or epoch milliseconds, was "
                        + v, e);
            }
        }
        throw new InvalidMessageException(field + " must be an ISO-8601 instant or epoch milliseconds, was " + v);
    }

    static UUID uuid(JsonNode n, String field) throws InvalidMessageException {
        String s = text(n, field);
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(field + " must be a UUID, was \"" + s + "\"", e);
        }
    }

    static JsonNode object(JsonNode n, String field) throws InvalidMessageException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidMessageException(field + " is required");
        }
        if (!v.isObject()) {
            throw new InvalidMessageException(field + " must be an object, was " + v);
        }
        return v;
    }

    /** The elements of an array field; empty when the field is absent. */
    static List<JsonNode> array(JsonNode n, String field) throws InvalidMessageException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new InvalidMessageException(field + " must be an array, was " + v);
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        for (Iterator<JsonNode> it = v.elements(); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }

    /** Reads one part of a document; may throw {@link IllegalArgumentException} from value-type checks. */
    @FunctionalInterface
    interface Reader<T> {
        T read(JsonNode n) throws InvalidMessageException;
    }

    /** The UTF-8 bytes of a document given as text. */
    static byte[] utf8(String json) {
        return Settings.notNull("json", json).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses one JSON object and reads it; an {@link IllegalArgumentException} from a value type's
     * validation becomes an {@link InvalidMessageException} with the same message.
     */
    static <T> T read(byte[] json, Reader<T> reader) throws InvalidMessageException {
        JsonNode n = object(json);
        try {
            return reader.read(n);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(e.getMessage(), e);
        }
    }

    /** The optional, non-negative {@code version} field of an inbound event. */
    static OptionalLong optionalVersion(JsonNode n) throws InvalidMessageException {
        OptionalLong version = optionalInteger(n, "version");
        if (version.isPresent() && version.getAsLong() < 0) {
            throw new InvalidMessageException("version must not be negative, was " + version.getAsLong());
        }
        return version;
    }

    /**
     * The {@code items} array, each element an object read by {@code line}; an error in an element is
     * prefixed with its path ({@code items[2].}).
     */
    static <T> List<T> items(JsonNode n, Reader<T> line) throws InvalidMessageException {
        List<JsonNode> nodes = array(n, "items");
        List<T> lines = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode item = nodes.get(i);
            String at = "items[" + i + "].";
            if (!item.isObject()) {
                throw new InvalidMessageException(at.substring(0, at.length() - 1) + " must be an object, was " + item);
            }
            try {
                lines.add(line.read(item));
            } catch (InvalidMessageException | IllegalArgumentException e) {
                throw new InvalidMessageException(at + e.getMessage(), e);
            }
        }
        return lines;
    }

    /** An object as an unmodifiable map of plain Java values (strings, numbers, booleans, lists, maps). */
    static Map<String, Object> plain(JsonNode object) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = MAPPER.convertValue(object, LinkedHashMap.class);
        return Collections.unmodifiableMap(map);
    }
}
