package dev.inventory.kafka;

import java.util.concurrent.ConcurrentHashMap;

/** {@link VersionTracker#inMemory()}. */
final class InMemoryVersionTracker implements VersionTracker {
    private final ConcurrentHashMap<String, Long> highest = new ConcurrentHashMap<>();

    @Override
    public boolean isStale(String key, long version) {
        Long known = highest.get(key);
        return known != null && version <= known;
    }

    @Override
    public void applied(String key, long version) {
        highest.merge(key, version, Math::max);
    }
}
