package dev.inventory.core.processing;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The backorder queue in memory: synchronized, indexed by level. */
final class InMemoryBackorderQueue implements BackorderQueue {

    private record Level(Sku sku, LocationId locationId) {
    }

    private final Map<ReservationId, Backorder> byId = new HashMap<>();
    private final Map<Level, TreeMap<Long, ReservationId>> byLevel = new HashMap<>();
    private final Map<Sku, Long> bySku = new HashMap<>();
    private final Map<Level, Long> byLevelQuantity = new HashMap<>();
    private long nextSequence = 1;

    @Override
    public synchronized Optional<Backorder> add(ReservationRequest request, Instant acceptedAt) {
        Fields.notNull("request", request);
        if (byId.containsKey(request.id())) {
            return Optional.empty();
        }
        Backorder backorder = new Backorder(request, nextSequence++, acceptedAt, false);
        byId.put(request.id(), backorder);
        for (ReservationLine line : request.lines()) {
            Level level = new Level(line.sku(), line.locationId());
            byLevel.computeIfAbsent(level, l -> new TreeMap<>()).put(backorder.sequence(), request.id());
            bySku.merge(line.sku(), line.quantity(), Long::sum);
            byLevelQuantity.merge(level, line.quantity(), Long::sum);
        }
        return Optional.of(backorder);
    }

    @Override
    public synchronized Optional<Backorder> find(ReservationId id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized boolean markConfirmWhenServed(ReservationId id) {
        Backorder backorder = byId.get(id);
        if (backorder == null) {
            return false;
        }
        byId.put(id, backorder.confirmingWhenServed());
        return true;
    }

    @Override
    public synchronized boolean remove(ReservationId id) {
        Backorder backorder = byId.remove(id);
        if (backorder == null) {
            return false;
        }
        for (ReservationLine line : backorder.request().lines()) {
            Level level = new Level(line.sku(), line.locationId());
            TreeMap<Long, ReservationId> queue = byLevel.get(level);
            queue.remove(backorder.sequence());
            if (queue.isEmpty()) {
                byLevel.remove(level);
            }
            bySku.computeIfPresent(line.sku(), (s, q) -> q == line.quantity() ? null : q - line.quantity());
            byLevelQuantity.computeIfPresent(level, (l, q) -> q == line.quantity() ? null : q - line.quantity());
        }
        return true;
    }

    @Override
    public synchronized List<Backorder> waiting(Sku sku, LocationId locationId) {
        TreeMap<Long, ReservationId> queue = byLevel.get(new Level(sku, locationId));
        if (queue == null) {
            return List.of();
        }
        List<Backorder> out = new ArrayList<>(queue.size());
        for (ReservationId id : queue.values()) {
            out.add(byId.get(id));
        }
        return out;
    }

    @Override
    public synchronized long queuedQuantity(Sku sku) {
        return bySku.getOrDefault(sku, 0L);
    }

    @Override
    public synchronized long queuedQuantity(Sku sku, LocationId locationId) {
        return byLevelQuantity.getOrDefault(new Level(sku, locationId), 0L);
    }
}
