package dev.inventory.redis;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.EventIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one mapping between the scripts' encodings and the core's types: lines, levels, hold parts,
 * ledger entries and journal entries (events). A journal entry is decoded the same way whether it
 * comes back in a script's reply or from the stream, so the returned event and the journal carry the
 * same id and content.
 */
final class Codec {
    private Codec() {
    }

    /**
     * The first 30 characters of a fresh version 7 UUID: a script appends six hex digits per event it
     * emits, so a script's events share the caller's millisecond and random bits and sort in order.
     */
    static String eventIdBase() {
        return EventIds.next().toString().substring(0, 30);
    }

    // ------------------------------------------------------------------ raw replies

    static String str(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return o.toString();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        return (List<Object>) o;
    }

    static List<String> strings(Object o) {
        List<Object> in = list(o);
        List<String> out = new ArrayList<>(in.size());
        for (Object x : in) {
            out.add(str(x));
        }
        return out;
    }

    /** A flat {@code [field, value, ...]} reply as a map. */
    static Map<String, String> fields(Object o) {
        List<Object> in = list(o);
        Map<String, String> out = new HashMap<>(in.size());
        for (int i = 0; i + 1 < in.size(); i += 2) {
            out.put(str(in.get(i)), str(in.get(i + 1)));
        }
        return out;
    }

    /**
     * A journal entry's fields: an entry is either the event's field list, or (what the scripts write)
     * one field {@code e} whose value is the event packed as {@link #packedFields} reads it (an event has
     * no field {@code e}; an entry of one field is cheaper for Redis to append than one of 6-9 fields).
     */
    static Map<String, String> journalFields(Map<String, String> entry) {
        if (entry.size() == 1) {
            String packed = entry.get("e");
            if (packed != null) {
                return packedFields(packed);
            }
        }
        return entry;
    }

    /** A packed {@code field\nvalue\nfield\nvalue...} string (the fast scripts' events) as a map. */
    static Map<String, String> packedFields(String packed) {
        Map<String, String> out = new HashMap<>(16);
        int len = packed.length();
        int start = 0;
        String field = null;
        for (int i = 0; i <= len; i++) {
            if (i == len || packed.charAt(i) == '\n') {
                String s = packed.substring(start, i);
                if (field == null) {
                    field = s;
                } else {
                    out.put(field, s);
                    field = null;
                }
                start = i + 1;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ lines and groups

    static String lines(List<ReservationLine> lines) {
        StringBuilder b = new StringBuilder(lines.size() * 24);
        for (ReservationLine line : lines) {
            if (b.length() > 0) {
                b.append(';');
            }
            b.append(line.sku().value()).append(',').append(line.locationId().value()).append(',')
                    .append(line.quantity());
        }
        return b.toString();
    }

    static List<ReservationLine> parseLines(String s) {
        List<ReservationLine> out = new ArrayList<>();
        for (String item : s.split(";")) {
            String[] p = item.split(",");
            out.add(new ReservationLine(Sku.of(p[0]), LocationId.of(p[1]), Long.parseLong(p[2])));
        }
        return out;
    }

    static String groups(List<List<Sku>> groups) {
        StringBuilder b = new StringBuilder();
        for (List<Sku> g : groups) {
            if (b.length() > 0) {
                b.append('|');
            }
            for (int i = 0; i < g.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(g.get(i).value());
            }
        }
        return b.toString();
    }

    static List<List<Sku>> parseGroups(String s) {
        List<List<Sku>> out = new ArrayList<>();
        for (String g : s.split("\\|")) {
            List<Sku> skus = new ArrayList<>();
            for (String sku : g.split(",")) {
                skus.add(Sku.of(sku));
            }
            out.add(skus);
        }
        return out;
    }

    static List<Sku> skus(List<ReservationLine> lines) {
        LinkedHashSet<Sku> out = new LinkedHashSet<>();
        for (ReservationLine line : lines) {
            out.add(line.sku());
        }
        return new ArrayList<>(out);
    }

    // ------------------------------------------------------------------ levels

    static StockLevel level(Sku sku, LocationId loc, String csv) {
        long[] n = new long[13];
        int field = 0;
        int start = 0;
        int len = csv.length();
        for (int i = 0; i <= len; i++) {
            if (i == len || csv.charAt(i) == ',') {
                if (field < 13) {
                    n[field] = Long.parseLong(csv, start, i, 10);
                }
                field++;
                start = i + 1;
            }
        }
        if (field < 13) {
            throw new IllegalArgumentException("a level has 13 fields, was: " + csv);
        }
        return level(sku, loc, n);
    }

    /** The level from an {@code HMGET} of the 13 fields in {@code common.lua}'s order, or null when absent. */
    static StockLevel level(Sku sku, LocationId loc, List<String> hmget) {
        if (hmget.get(11) == null) {
            return null;
        }
        long[] n = new long[13];
        for (int i = 0; i < 13; i++) {
            String v = hmget.get(i);
            n[i] = v == null || v.isEmpty() ? 0 : Long.parseLong(v);
        }
        return level(sku, loc, n);
    }

    /**
     * The level at {@code flat[at]} (location) and {@code flat[at+1..at+13]} (the 13 fields, raw bytes or
     * null), as {@code SORT ... GET # GET lvl:*->oh ...} answers it; null when the level is absent.
     */
    static StockLevel level(Sku sku, List<Object> flat, int at) {
        if (flat.get(at + 12) == null) {
            return null;
        }
        long[] n = new long[13];
        for (int i = 0; i < 13; i++) {
            n[i] = number(flat.get(at + 1 + i));
        }
        return level(sku, LocationId.of(str(flat.get(at))), n);
    }

    /** A canonical integer reply (raw bytes, or a string), 0 when absent or empty. */
    private static long number(Object o) {
        if (o instanceof byte[] b) {
            if (b.length == 0) {
                return 0;
            }
            if (b.length > 18) {
                return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            }
            int i = 0;
            boolean negative = b[0] == '-';
            if (negative) {
                i = 1;
            }
            long v = 0;
            for (; i < b.length; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
                }
                v = v * 10 + d;
            }
            return negative ? -v : v;
        }
        String s = str(o);
        return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
    }

    private static StockLevel level(Sku sku, LocationId loc, long[] n) {
        return new StockLevel(sku, loc, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9] == 1, n[10] == 1,
                n[11], Instant.ofEpochMilli(n[12]));
    }

    static final String[] LEVEL_FIELDS = {"oh", "al", "rs", "dm", "ss", "ti", "to", "rp", "mx", "sl", "rb", "v", "u"};

    // ------------------------------------------------------------------ holds

    /** The fields {@code holds.lua} packs into a part's field {@code h}, in their order there. */
    static final String[] PACKED_PART_FIELDS = {"L", "G", "ca", "ex", "up", "st", "p", "tk"};

    /**
     * A hold part's hash as read ({@code HGETALL}) with its packed field {@code h} expanded into {@link
     * #PACKED_PART_FIELDS}; a part of the previous layout (every field on its own) is returned as it is.
     */
    static Map<String, String> part(Map<String, String> raw) {
        String packed = raw.get("h");
        if (packed == null) {
            return raw;
        }
        Map<String, String> out = new HashMap<>(raw);
        out.remove("h");
        String[] v = packed.split("\n", -1);
        if (v.length != PACKED_PART_FIELDS.length) {
            throw new IllegalStateException("malformed hold part: " + v.length + " packed fields");
        }
        for (int i = 0; i < v.length; i++) {
            out.put(PACKED_PART_FIELDS[i], v[i]);
        }
        return out;
    }

    /** The visible state of a part, or empty for a part of a hold that was never committed. */
    static Optional<ReservationStatus> status(String st) {
        if (st == null) {
            return Optional.empty();
        }
        return switch (st) {
            case "A" -> Optional.of(ReservationStatus.ACTIVE);
            case "P" -> Optional.of(ReservationStatus.PENDING);
            case "C" -> Optional.of(ReservationStatus.CONFIRMED);
            case "F" -> Optional.of(ReservationStatus.FULFILLED);
            case "X" -> Optional.of(ReservationStatus.CANCELLED);
            case "R" -> Optional.of(ReservationStatus.RELEASED);
            case "E" -> Optional.of(ReservationStatus.EXPIRED);
            default -> Optional.empty();
        };
    }

    /** The hold a committed part describes. */
    static Optional<Reservation> reservation(ReservationId id, Map<String, String> part) {
        Optional<ReservationStatus> status = status(part.get("st"));
        if (status.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(reservation(id, part, status.get()));
    }

    static Reservation reservation(ReservationId id, Map<String, String> part, ReservationStatus status) {
        return new Reservation(id, parseLines(part.get("L")), optional(part.get("c")), optional(part.get("u")),
                optional(part.get("o")), status, millis(part.get("ca")), millis(part.get("ex")),
                millis(part.get("up")));
    }

    private static Optional<String> optional(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    static Instant millis(String s) {
        return Instant.ofEpochMilli(Long.parseLong(s));
    }

    static String ms(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }

    // ------------------------------------------------------------------ ledger

    static LedgerEntry ledger(Sku sku, LocationId loc, String entry) {
        String[] p = entry.split("\\|", 7);
        return new LedgerEntry(sku, loc, LedgerEntry.Kind.valueOf(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]),
                Long.parseLong(p[3]), optional(p[6]), optional(p[5]), millis(p[4]));
    }

    // ------------------------------------------------------------------ events

    /** A journal entry ({@code [field, value, ...]}, as {@code common.lua}'s {@code emit} writes it) as an event. */
    static InventoryEvent event(Map<String, String> f) {
        UUID id = UUID.fromString(f.get("id"));
        Sku sku = Sku.of(f.get("s"));
        LocationId loc = LocationId.of(f.get("loc"));
        StockLevel level = level(sku, loc, f.get("l"));
        Instant at = millis(f.get("at"));
        Optional<String> ref = optional(f.get("ref"));
        EventType type = EventType.ofWireName(f.get("t"));
        return switch (type) {
            case RESERVED -> new InventoryEvent.Reserved(id, level, at, rid(f), q(f), millis(f.get("x")));
            case RESERVATION_PENDING -> new InventoryEvent.ReservationPending(id, level, at, rid(f), q(f),
                    millis(f.get("x")));
            case CONFIRMED -> new InventoryEvent.Confirmed(id, level, at, rid(f), q(f));
            case RELEASED -> new InventoryEvent.Released(id, level, at, rid(f), q(f));
            case EXPIRED -> new InventoryEvent.Expired(id, level, at, rid(f), q(f));
            case CANCELLED -> new InventoryEvent.Cancelled(id, level, at, rid(f), q(f));
            case FULFILLED -> new InventoryEvent.Fulfilled(id, level, at, rid(f), q(f));
            case RESTOCKED -> new InventoryEvent.Restocked(id, level, at, q(f), ref);
            case ADJUSTED -> new InventoryEvent.Adjusted(id, level, at, Long.parseLong(f.get("d")), f.get("why"), ref);
            case DAMAGED -> new InventoryEvent.Damaged(id, level, at, q(f), ref);
            case TRANSFER_SHIPPED -> new InventoryEvent.TransferShipped(id, level, at, LocationId.of(f.get("f")),
                    LocationId.of(f.get("to")), q(f), ref);
            case TRANSFER_RECEIVED -> new InventoryEvent.TransferReceived(id, level, at, LocationId.of(f.get("f")),
                    LocationId.of(f.get("to")), q(f), ref);
            case BELOW_THRESHOLD -> new InventoryEvent.BelowThreshold(id, level, at, Long.parseLong(f.get("rp")),
                    Long.parseLong(f.get("sq")));
            case OUT_OF_STOCK -> new InventoryEvent.OutOfStock(id, level, at);
            case BACK_IN_STOCK -> new InventoryEvent.BackInStock(id, level, at);
            case CYCLE_COUNT_VARIANCE -> throw new IllegalStateException("the Redis store does not emit " + type);
        };
    }

    private static ReservationId rid(Map<String, String> f) {
        return ReservationId.of(f.get("r"));
    }

    private static long q(Map<String, String> f) {
        return Long.parseLong(f.get("q"));
    }
}
