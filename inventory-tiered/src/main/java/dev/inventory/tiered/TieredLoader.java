package dev.inventory.tiered;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.StockLevel;
import dev.inventory.core.Transition;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Rebuilds Redis from PostgreSQL when Redis lost its data. Redis carries a marker key
 * ({@code P{:tiered}:loaded}); when it is missing (a new Redis, or one restarted with nothing on disk),
 * one loader (under a lock key) writes every level with its live holds' stock taken out, the applied
 * inbound event ids (so a redelivered stock event stays a duplicate), then reserves the live holds again
 * on Redis (same ids, lines and expiry; PENDING ones moved to PENDING again), copies the result back to
 * PostgreSQL, and sets the marker. The tiered store refuses writes while the marker is missing.
 */
final class TieredLoader {

    private final TieredInventoryStore store;
    private final UnifiedJedis jedis;
    private final String marker;
    private final String lock;

    TieredLoader(TieredInventoryStore store, UnifiedJedis jedis) {
        this.store = store;
        this.jedis = jedis;
        String p = store.hot().keyPrefix() + "inv:";
        this.marker = p + "{:tiered}:loaded";
        this.lock = p + "{:tiered}:loading";
    }

    boolean loaded() {
        return jedis.exists(marker);
    }

    /**
     * Loads Redis if the marker is missing; returns how many levels were loaded (0 when nothing to do).
     *
     * @throws InventoryStoreException (retry-safe) when another instance is loading right now
     */
    int loadIfNeeded(Instant now) {
        if (loaded()) {
            return 0;
        }
        String token = UUID.randomUUID().toString();
        if (!"OK".equals(jedis.set(lock, token, SetParams.setParams().nx().px(120_000)))) {
            throw new InventoryStoreException("Redis is being rebuilt from PostgreSQL by another instance;"
                    + " retry shortly", null, true);
        }
        try {
            if (loaded()) {
                return 0;
            }
            return load(now);
        } catch (SQLException e) {
            throw new InventoryStoreException("cannot rebuild Redis: PostgreSQL failed: " + e.getMessage(), e, true);
        } finally {
            if (token.equals(jedis.get(lock))) {
                jedis.del(lock);
            }
        }
    }

    private int load(Instant now) throws SQLException {
        TruthWriter w = store.writer();
        List<Reservation> live = new ArrayList<>();
        Map<String, Long> held = new HashMap<>();
        for (String id : w.liveHolds()) {
            Optional<Reservation> r = store.truth().reservation(ReservationId.of(id));
            if (r.isPresent()) {
                live.add(r.get());
                for (ReservationLine l : r.get().lines()) {
                    held.merge(l.sku().value() + "\u0000" + l.locationId().value(), l.quantity(), Long::sum);
                }
            }
        }
        List<StockLevel> levels = w.allLevels();
        for (StockLevel l : levels) {
            long minus = held.getOrDefault(l.sku().value() + "\u0000" + l.locationId().value(), 0L);
            HotWriter.writeLevel(jedis, store.hot().keyPrefix(), new StockLevel(l.sku(), l.locationId(),
                    l.onHand(), l.allocated(), l.reserved() - minus, l.damaged(), l.safetyStock(), l.inTransitIn(),
                    l.inTransitOut(), l.reorderPoint(), l.maxStock(), l.sellable(), l.receivingBlocked(),
                    l.version(), l.updatedAt()));
        }
        String p = store.hot().keyPrefix() + "inv:";
        for (String[] seen : w.seenEventIds()) {
            jedis.sadd(p + "{" + seen[0] + "}:seen", seen[1]);
        }
        for (Reservation r : live) {
            Reservation active = new Reservation(r.id(), r.lines(), r.cartId(), r.userId(), r.orderId(),
                    ReservationStatus.ACTIVE, r.createdAt(), r.expiresAt(), r.updatedAt());
            store.hot().reserve(active, r.createdAt());
            if (r.status() == ReservationStatus.PENDING) {
                store.hot().transition(r.id(), Transition.START_PAYMENT, r.updatedAt(), Duration.ZERO);
            }
            List<TieredInventoryStore.Key> keys = new ArrayList<>();
            for (ReservationLine l : r.lines()) {
                keys.add(new TieredInventoryStore.Key(l.sku(), l.locationId()));
            }
            store.copy(new java.util.LinkedHashSet<>(keys), new java.util.LinkedHashSet<>(List.of(r.id())), now);
        }
        jedis.set(marker, now.toString());
        return levels.size();
    }
}
