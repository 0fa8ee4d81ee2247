package dev.inventory.redis;

import dev.inventory.core.event.InventoryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A script's reply: {@code {code, data, events, report}}, where every event is a journal entry's
 * field list and every report line is {@code kind|rid|sku} (work the caller must finish in other
 * slots).
 */
record Reply(String code, Object data, List<InventoryEvent> events, List<String> report) {

    static Reply of(Object raw) {
        List<Object> r = Codec.list(raw);
        // (transition.lua leaves out an empty report: one table less for Redis to convert per result)
        return new Reply(Codec.str(r.get(0)), r.get(1), events(r.get(2)), r.size() > 3 ? Codec.strings(r.get(3))
                : List.of());
    }

    /**
     * A script's list of events: journal entries' field lists, or (the fast scripts) each packed into one
     * string whose fields and values are joined by newlines.
     */
    static List<InventoryEvent> events(Object raw) {
        List<Object> rawEvents = Codec.list(raw);
        if (rawEvents.isEmpty()) {
            return List.of();
        }
        List<InventoryEvent> events = new ArrayList<>(rawEvents.size());
        for (Object e : rawEvents) {
            events.add(Codec.event(e instanceof List<?> ? Codec.fields(e) : Codec.packedFields(Codec.str(e))));
        }
        return events;
    }

    /** The data as a hold part ({@code [field, value, ...]}, its packed field {@code h} expanded). */
    Map<String, String> part() {
        return Codec.part(Codec.fields(data));
    }

    List<String> strings() {
        return Codec.strings(data);
    }

    boolean is(String expected) {
        return code.equals(expected);
    }
}
