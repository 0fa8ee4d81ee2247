package dev.inventory.core;

import java.time.Instant;

/**
 * Stock changes other than holds. Each is atomic, writes a ledger entry and emits an event; expected
 * refusals come back as {@link StockResult.Rejected}.
 */
public interface StockOperations {

    /** Applies any command; give it an {@link Origin} with an event id to make it idempotent. */
    StockResult apply(StockCommand command);

    /** Goods received: onHand += quantity. */
    default StockResult receive(Sku sku, LocationId locationId, long quantity) {
        return apply(new StockCommand.Receive(sku, locationId, quantity, Origin.NONE));
    }

    /** A correction: onHand += delta, for {@code reason}. */
    default StockResult adjust(Sku sku, LocationId locationId, long delta, String reason) {
        return apply(new StockCommand.Adjust(sku, locationId, delta, reason, Origin.NONE));
    }

    /** A count taken at {@code countedAt}; movements recorded after it are kept. */
    default StockResult cycleCount(Sku sku, LocationId locationId, long counted, Instant countedAt) {
        return apply(new StockCommand.CycleCount(sku, locationId, counted, countedAt, Origin.NONE));
    }

    /** Units found damaged: damaged += quantity. */
    default StockResult markDamaged(Sku sku, LocationId locationId, long quantity) {
        return apply(new StockCommand.MarkDamaged(sku, locationId, quantity, Origin.NONE));
    }

    /** A transfer leaves {@code from} for {@code to}. */
    default StockResult transferOut(Sku sku, LocationId from, LocationId to, long quantity) {
        return apply(new StockCommand.TransferOut(sku, from, to, quantity, Origin.NONE));
    }

    /** A transfer from {@code from} arrives at {@code to}. */
    default StockResult transferIn(Sku sku, LocationId from, LocationId to, long quantity) {
        return apply(new StockCommand.TransferIn(sku, from, to, quantity, Origin.NONE));
    }

    /** Sets reorder point, safety stock and max stock. */
    default StockResult setThresholds(Sku sku, LocationId locationId, long reorderPoint, long safetyStock,
            long maxStock) {
        return apply(new StockCommand.SetThresholds(sku, locationId, reorderPoint, safetyStock, maxStock, Origin.NONE));
    }

    /** Sets the sellable and receiving-blocked flags. */
    default StockResult setFlags(Sku sku, LocationId locationId, boolean sellable, boolean receivingBlocked) {
        return apply(new StockCommand.SetFlags(sku, locationId, sellable, receivingBlocked, Origin.NONE));
    }
}
