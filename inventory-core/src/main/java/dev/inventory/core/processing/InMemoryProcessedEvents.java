package dev.inventory.core.processing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The last {@code capacity} event ids, in insertion order; the oldest go first. */
final class InMemoryProcessedEvents implements ProcessedEvents {
    private final int capacity;
    private final LinkedHashMap<String, Instant> ids;

    InMemoryProcessedEvents(int capacity) {
        if (capacity < 1 || capacity > 100_000_000) {
            throw new IllegalArgumentException("capacity must be between 1 and 100000000, was " + capacity);
        }
        this.capacity = capacity;
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > InMemoryProcessedEvents.this.capacity;
            }
        };
    }

    @Override
    public synchronized boolean contains(String eventId) {
        return ids.containsKey(eventId);
    }

    @Override
    public synchronized boolean record(String eventId, Instant at) {
        Fields.notNull("eventId", eventId);
        Fields.notNull("at", at);
        return ids.putIfAbsent(eventId, at) == null;
    }
}
