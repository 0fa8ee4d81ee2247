package dev.inventory.core.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The bounded in-memory buffer of events waiting for a predecessor, keyed by what they wait for
 * ({@code reservation:<id>}, {@code transfer:<id>}). An entry is either parked or in flight (taken
 * for a retry); a key is watched while it has either, so that a predecessor applied during a retry
 * still wakes the entry when it is parked again. Thread-safe; every method is short.
 */
final class Parking<E> {

    /** One waiting event. */
    static final class Entry<E> {
        final E event;
        final String eventId;
        final String key;
        final String waitingFor;
        final Instant until;
        final long sequence;

        Entry(E event, String eventId, String key, String waitingFor, Instant until, long sequence) {
            this.event = event;
            this.eventId = eventId;
            this.key = key;
            this.waitingFor = waitingFor;
            this.until = until;
            this.sequence = sequence;
        }

        ProcessingResult.Deferred deferred() {
            return new ProcessingResult.Deferred(eventId, waitingFor, until);
        }
    }

    private final int capacity;
    private final Duration maxAge;
    private final TreeMap<Long, Entry<E>> parked = new TreeMap<>();
    private final Map<String, Entry<E>> byId = new HashMap<>();
    private final Map<String, Integer> watched = new HashMap<>();
    private final Set<String> ready = new HashSet<>();
    private final Set<String> readyNextTime = new HashSet<>();
    private long nextSequence;

    Parking(int capacity, Duration maxAge) {
        this.capacity = capacity;
        this.maxAge = maxAge;
    }

    /** The entry of {@code eventId}, parked or in flight. */
    synchronized Optional<Entry<E>> find(String eventId) {
        return Optional.ofNullable(byId.get(eventId));
    }

    /** Parks a new entry, or returns empty when the buffer is full. */
    synchronized Optional<Entry<E>> park(E event, String eventId, String key, String waitingFor, Instant now) {
        if (byId.size() >= capacity) {
            return Optional.empty();
        }
        Entry<E> entry = new Entry<>(event, eventId, key, waitingFor, now.plus(maxAge), nextSequence++);
        parked.put(entry.sequence, entry);
        byId.put(eventId, entry);
        watched.merge(key, 1, Integer::sum);
        return Optional.of(entry);
    }

    /** Puts an entry taken for a retry back, in its original place; it keeps its deadline. */
    synchronized void repark(Entry<E> entry, boolean retryNextTime) {
        parked.put(entry.sequence, entry);
        if (retryNextTime) {
            readyNextTime.add(entry.key);
        }
    }

    /** The entry is settled (applied or rejected): forget it. */
    synchronized void settle(Entry<E> entry) {
        if (byId.remove(entry.eventId) != null) {
            watched.computeIfPresent(entry.key, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** A predecessor of the entries waiting on {@code key} was applied. */
    synchronized void markReady(String key) {
        if (watched.containsKey(key)) {
            ready.add(key);
        }
    }

    /** Marks every watched key starting with {@code prefix} ready. */
    synchronized void markReadyByPrefix(String prefix) {
        for (String key : watched.keySet()) {
            if (key.startsWith(prefix)) {
                ready.add(key);
            }
        }
    }

    /** Takes, in arrival order, the parked entries whose key is ready (they are in flight until reparked or settled). */
    synchronized List<Entry<E>> takeReady() {
        if (!readyNextTime.isEmpty()) {
            ready.addAll(readyNextTime);
            readyNextTime.clear();
        }
        if (ready.isEmpty()) {
            return List.of();
        }
        List<Entry<E>> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Iterator<Entry<E>> it = parked.values().iterator(); it.hasNext(); ) {
            Entry<E> entry = it.next();
            if (ready.contains(entry.key)) {
                out.add(entry);
                taken.add(entry.key);
                it.remove();
            }
        }
        ready.removeAll(taken);
        ready.retainAll(watched.keySet());
        // keys whose entries are all in flight stay ready, so a reparked entry is retried
        return out;
    }

    /**
     * Takes the parked entries whose deadline is at or before {@code now}; they are forgotten.
     * Deadlines grow with arrival (one max age for all), so the scan stops at the first live entry.
     */
    synchronized List<Entry<E>> takeExpired(Instant now) {
        List<Entry<E>> out = new ArrayList<>();
        for (Iterator<Entry<E>> it = parked.values().iterator(); it.hasNext(); ) {
            Entry<E> entry = it.next();
            if (now.isBefore(entry.until)) {
                break;
            }
            out.add(entry);
            it.remove();
        }
        for (Entry<E> entry : out) {
            settle(entry);
        }
        return out;
    }

    /** How many events are parked or in flight. */
    synchronized int size() {
        return byId.size();
    }
}
