package dev.inventory.tiered;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.Transition;
import dev.inventory.core.spi.StoreResult;
import dev.inventory.redis.RedisInventoryStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Rebuilds Redis from PostgreSQL when Redis lost its data. Redis carries a marker key
 * ({@code P{:tiered}:loaded}) whose value is the epoch of the current Redis lifetime; when it is missing
 * (a new Redis, or one restarted with nothing on disk), one loader (under a lock key):
 *
 * <ol>
 *   <li>starts a new epoch in PostgreSQL (the fence: no copy read from the lost Redis commits after it);
 *   <li>recomputes each PostgreSQL level's reserved and allocated from the hold rows where they differ
 *       (levels are copied as snapshots, so a level copied after a change whose own copy never landed
 *       carries that lost change);
 *   <li>writes every level with room for any hold (a huge onHand, nothing held);
 *   <li>writes every hold of PostgreSQL back through the hot store's own scripts, with the journal off
 *       (so no event is emitted twice): reserved again with its id, lines, times and expiry, then moved
 *       along its life cycle to its state (PENDING, CONFIRMED, FULFILLED, CANCELLED, RELEASED, EXPIRED),
 *       so replays, idempotent retries and later transitions answer as before the restart;
 *   <li>overwrites every level with PostgreSQL's (whose reserved and allocated already count the holds),
 *       drops the ledger entries the replays appended, and restores the applied inbound event ids;
 *   <li>sets the marker to the new epoch.
 * </ol>
 *
 * <p>Writes of the tiered store run through a hot store that requires the marker inside each script
 * ({@link RedisInventoryStore#requiringKey}), so nothing is written on Redis while it is empty or being
 * loaded. A loader that dies midway leaves no marker; the next one starts over (every step is
 * idempotent).
 */
final class TieredLoader {
    private static final Logger log = LoggerFactory.getLogger(TieredLoader.class);

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

    String markerKey() {
        return marker;
    }

    /** The epoch of the current Redis lifetime, null when Redis is not loaded. */
    String epoch() {
        return jedis.get(marker);
    }

    boolean loaded() {
        return epoch() != null;
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

    /** Waits (up to {@code timeout}) for Redis to be loaded, loading it here when no one else does. */
    boolean awaitLoaded(Instant now, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                loadIfNeeded(now);
                return true;
            } catch (InventoryStoreException e) {
                if (!e.isRetrySafe() || System.nanoTime() > deadline) {
                    return false;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
    }

    private int load(Instant now) throws SQLException {
        TruthWriter w = store.writer();
        String epoch = UUID.randomUUID().toString();
        w.startEpoch(epoch);
        List<String> repaired = w.repairHeldQuantities();
        if (!repaired.isEmpty()) {
            log.warn("PostgreSQL levels carried changes of the lost Redis whose own copies never landed;"
                    + " reserved/allocated recomputed from the holds: {}", repaired);
        }
        List<StockLevel> levels = w.allLevels();
        List<Reservation> holds = w.allHolds();
        String prefix = store.hot().keyPrefix();
        for (StockLevel l : levels) {
            HotWriter.writeRoomyLevel(jedis, prefix, l);
        }
        RedisInventoryStore replay = RedisInventoryStore.builder(jedis).keyPrefix(prefix).journal(false).build();
        int restored = 0;
        for (Reservation r : holds) {
            if (restore(replay, r)) {
                restored++;
            }
        }
        Set<Sku> skus = new LinkedHashSet<>();
        for (StockLevel l : levels) {
            HotWriter.writeLevel(jedis, prefix, l);
            jedis.del(HotWriter.ledgerKey(prefix, l.sku(), l.locationId()));
            skus.add(l.sku());
        }
        Map<String, List<String>> seen = new LinkedHashMap<>();
        for (String[] s : w.seenEventIds()) {
            seen.computeIfAbsent(s[0], k -> new java.util.ArrayList<>()).add(s[1]);
        }
        for (Map.Entry<String, List<String>> e : seen.entrySet()) {
            jedis.sadd(prefix + "inv:{" + e.getKey() + "}:seen", e.getValue().toArray(new String[0]));
        }
        if (!w.epoch().map(epoch::equals).orElse(false)) {
            // a second loader started after this one's lock ran out: its epoch is the one PostgreSQL takes
            throw new InventoryStoreException("rebuilding Redis took longer than the loader's lock; another"
                    + " rebuild started meanwhile and this one stops: retry", null, true);
        }
        jedis.set(marker, epoch);
        log.info("rebuilt Redis ({}) from PostgreSQL: {} levels of {} SKUs, {} of {} holds, epoch {}", prefix,
                levels.size(), skus.size(), restored, holds.size(), epoch);
        return levels.size();
    }

    /** Writes one hold back: reserved again, then moved along its life cycle to its state. */
    private static boolean restore(RedisInventoryStore replay, Reservation r) {
        Reservation active = new Reservation(r.id(), r.lines(), r.cartId(), r.userId(), r.orderId(),
                ReservationStatus.ACTIVE, r.createdAt(), r.expiresAt(), r.createdAt());
        ReservationResult first = replay.reserve(active, r.createdAt()).value();
        if (!(first instanceof ReservationResult.Success || first instanceof ReservationResult.Replayed)) {
            log.error("cannot write hold {} back to Redis: {}", r.id(), first);
            return false;
        }
        // a fresh transition (start payment, confirm, release) at or after the expiry would expire instead
        Instant before = r.updatedAt().isBefore(r.expiresAt()) ? r.updatedAt() : r.expiresAt().minusMillis(1);
        Instant start = r.createdAt();
        switch (r.status()) {
            case ACTIVE:
                break;
            case PENDING:
                step(replay, r.id(), Transition.START_PAYMENT, before);
                break;
            case CONFIRMED:
                step(replay, r.id(), Transition.CONFIRM, before);
                break;
            case FULFILLED:
                step(replay, r.id(), Transition.CONFIRM, start);
                step(replay, r.id(), Transition.FULFIL, r.updatedAt());
                break;
            case CANCELLED:
                step(replay, r.id(), Transition.CONFIRM, start);
                step(replay, r.id(), Transition.CANCEL, r.updatedAt());
                break;
            case RELEASED:
                step(replay, r.id(), Transition.RELEASE, before);
                break;
            case EXPIRED:
                step(replay, r.id(), Transition.EXPIRE,
                        r.updatedAt().isAfter(r.expiresAt()) ? r.updatedAt() : r.expiresAt());
                break;
            default:
                throw new IllegalStateException("unknown status " + r.status());
        }
        Optional<ReservationStatus> now = replay.reservation(r.id()).map(Reservation::status);
        if (!now.equals(Optional.of(r.status()))) {
            log.error("hold {} written back to Redis as {}, PostgreSQL has {}", r.id(), now, r.status());
            return false;
        }
        return true;
    }

    private static void step(RedisInventoryStore replay, ReservationId id, Transition t, Instant at) {
        StoreResult<ReservationResult> result = replay.transition(id, t, at, Duration.ZERO);
        if (!(result.value() instanceof ReservationResult.Success || result.value() instanceof ReservationResult.Replayed)) {
            log.warn("writing hold {} back to Redis: {} answered {}", id, t, result.value());
        }
    }
}
