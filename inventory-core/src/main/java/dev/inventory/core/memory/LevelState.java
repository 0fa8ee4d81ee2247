package dev.inventory.core.memory;

import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import java.time.Instant;

/**
 * One version of a level as {@link InMemoryInventoryStore} publishes it: what a hold changes (on
 * hand, allocated, reserved, the version and its instant) in 56 bytes, the rest of the level in a
 * {@link Settings} shared by every version until a stock command changes it. The public
 * {@link StockLevel} (120 bytes) is built from it only when read, once: a reserve and a confirm
 * each make a version, and on a large catalogue most versions are never read.
 *
 * <p>Immutable but for the cached {@link StockLevel}, which every reader builds equal (racing
 * readers may each build one; a record's final fields make either safe to share).
 */
final class LevelState {
    final Settings settings;
    final long onHand;
    final long allocated;
    final long reserved;
    final long version;
    final Instant updatedAt;
    /** The level, once built; set when the state is made from one. */
    private StockLevel level;

    LevelState(Settings settings, long onHand, long allocated, long reserved, long version, Instant updatedAt) {
        this.settings = settings;
        this.onHand = onHand;
        this.allocated = allocated;
        this.reserved = reserved;
        this.version = version;
        this.updatedAt = updatedAt;
    }

    /** The state of {@code level}, whose settings are {@code settings}. */
    LevelState(Settings settings, StockLevel level) {
        this(settings, level.onHand(), level.allocated(), level.reserved(), level.version(), level.updatedAt());
        this.level = level;
    }

    /** This version as the public record. */
    StockLevel level() {
        StockLevel built = level;
        if (built == null) {
            Settings s = settings;
            built = new StockLevel(s.sku(), s.locationId(), onHand, allocated, reserved, s.damaged(), s.safetyStock(),
                    s.inTransitIn(), s.inTransitOut(), s.reorderPoint(), s.maxStock(), s.sellable(),
                    s.receivingBlocked(), version, updatedAt);
            level = built;
        }
        return built;
    }

    /** The fields of a level that no hold changes. */
    record Settings(Sku sku, LocationId locationId, long damaged, long safetyStock, long inTransitIn,
            long inTransitOut, long reorderPoint, long maxStock, boolean sellable, boolean receivingBlocked) {

        static Settings of(StockLevel l) {
            return new Settings(l.sku(), l.locationId(), l.damaged(), l.safetyStock(), l.inTransitIn(),
                    l.inTransitOut(), l.reorderPoint(), l.maxStock(), l.sellable(), l.receivingBlocked());
        }

        /** Whether these are the settings of {@code l} (so a new version can share them). */
        boolean matches(StockLevel l) {
            return sku.equals(l.sku()) && locationId.equals(l.locationId()) && damaged == l.damaged()
                    && safetyStock == l.safetyStock() && inTransitIn == l.inTransitIn()
                    && inTransitOut == l.inTransitOut() && reorderPoint == l.reorderPoint()
                    && maxStock == l.maxStock() && sellable == l.sellable()
                    && receivingBlocked == l.receivingBlocked();
        }
    }
}
