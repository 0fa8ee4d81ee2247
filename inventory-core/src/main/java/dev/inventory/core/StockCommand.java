package dev.inventory.core;

import java.time.Instant;

/**
 * A change of stock that is not a reservation: each one is applied atomically by the store, writes
 * a ledger entry (DESIGN I5) and emits an event.
 */
public sealed interface StockCommand {

    /** The SKU the command is about. */
    Sku sku();

    /** The origin (event id for idempotency, reference for the ledger). */
    Origin origin();

    /**
     * Goods received: {@code onHand += quantity}. Rejected when receiving is blocked.
     *
     * @param sku the SKU
     * @param locationId where
     * @param quantity how many
     * @param origin where the command comes from
     */
    record Receive(Sku sku, LocationId locationId, long quantity, Origin origin) implements StockCommand {
        /** Validates. */
        public Receive {
            receiptLike(sku, locationId, quantity, origin);
        }
    }

    /**
     * A manual correction: {@code onHand += delta}. Rejected when it would take onHand below what is
     * promised or damaged.
     *
     * @param sku the SKU
     * @param locationId where
     * @param delta non-zero change
     * @param reason why, recorded in the event and ledger
     * @param origin where the command comes from
     */
    record Adjust(Sku sku, LocationId locationId, long delta, String reason, Origin origin) implements StockCommand {
        /** Validates. */
        public Adjust {
            level(sku, locationId);
            Quantity.requireDelta("delta", delta);
            Checks.text("reason", reason, 128);
            Checks.notNull("origin", origin);
        }
    }

    /**
     * A physical count taken at {@code countedAt}: onHand becomes {@code counted} plus every ledger
     * movement recorded after {@code countedAt}, so movements between the count and its arrival are
     * kept. A {@code countedAt} in the future counts as now.
     *
     * @param sku the SKU
     * @param locationId where
     * @param counted units counted, 0..MAX
     * @param countedAt when the count was taken
     * @param origin where the command comes from
     */
    record CycleCount(Sku sku, LocationId locationId, long counted, Instant countedAt, Origin origin)
            implements StockCommand {
        /** Validates. */
        public CycleCount {
            level(sku, locationId);
            Quantity.requireNonNegative("counted", counted);
            Checks.notNull("countedAt", countedAt);
            Checks.notNull("origin", origin);
        }
    }

    /**
     * Units found damaged: {@code damaged += quantity}. Only unpromised units can become damaged.
     *
     * @param sku the SKU
     * @param locationId where
     * @param quantity how many
     * @param origin where the command comes from
     */
    record MarkDamaged(Sku sku, LocationId locationId, long quantity, Origin origin) implements StockCommand {
        /** Validates. */
        public MarkDamaged {
            receiptLike(sku, locationId, quantity, origin);
        }
    }

    /**
     * A transfer leaves {@code from}: there {@code onHand -= quantity, inTransitOut += quantity}; at
     * {@code to} {@code inTransitIn += quantity}. Only unpromised units can leave.
     *
     * @param sku the SKU
     * @param from the shipping location
     * @param to the receiving location
     * @param quantity how many
     * @param origin where the command comes from
     */
    record TransferOut(Sku sku, LocationId from, LocationId to, long quantity, Origin origin) implements StockCommand {
        /** Validates. */
        public TransferOut {
            transfer(sku, from, to, quantity, origin);
        }
    }

    /**
     * A transfer arrives at {@code to}: there {@code onHand += quantity, inTransitIn -= quantity}; at
     * {@code from} {@code inTransitOut -= quantity}. Rejected when less is in transit or receiving at
     * {@code to} is blocked.
     *
     * @param sku the SKU
     * @param from the shipping location
     * @param to the receiving location
     * @param quantity how many
     * @param origin where the command comes from
     */
    record TransferIn(Sku sku, LocationId from, LocationId to, long quantity, Origin origin) implements StockCommand {
        /** Validates. */
        public TransferIn {
            transfer(sku, from, to, quantity, origin);
        }
    }

    /**
     * Sets the thresholds of a level (creating it when absent).
     *
     * @param sku the SKU
     * @param locationId where
     * @param reorderPoint available at or below it fires below_threshold; 0 disables
     * @param safetyStock kept back from online sale
     * @param maxStock what replenishment fills up to
     * @param origin where the command comes from
     */
    record SetThresholds(Sku sku, LocationId locationId, long reorderPoint, long safetyStock, long maxStock,
            Origin origin) implements StockCommand {
        /** Validates. */
        public SetThresholds {
            level(sku, locationId);
            Quantity.requireNonNegative("reorderPoint", reorderPoint);
            Quantity.requireNonNegative("safetyStock", safetyStock);
            Quantity.requireNonNegative("maxStock", maxStock);
            Checks.notNull("origin", origin);
        }
    }

    /**
     * Sets the flags of a level (creating it when absent).
     *
     * @param sku the SKU
     * @param locationId where
     * @param sellable false takes the level off sale
     * @param receivingBlocked true rejects receipts and transfers in
     * @param origin where the command comes from
     */
    record SetFlags(Sku sku, LocationId locationId, boolean sellable, boolean receivingBlocked, Origin origin)
            implements StockCommand {
        /** Validates. */
        public SetFlags {
            level(sku, locationId);
            Checks.notNull("origin", origin);
        }
    }

    /** Validates the level a command is about. */
    private static void level(Sku sku, LocationId locationId) {
        Checks.notNull("sku", sku);
        Checks.notNull("locationId", locationId);
    }

    /** Validates a command that moves {@code quantity} (positive) units at one level. */
    private static void receiptLike(Sku sku, LocationId locationId, long quantity, Origin origin) {
        level(sku, locationId);
        Quantity.requirePositive("quantity", quantity);
        Checks.notNull("origin", origin);
    }

    /** Validates a transfer command's fields. */
    private static void transfer(Sku sku, LocationId from, LocationId to, long quantity, Origin origin) {
        Checks.notNull("sku", sku);
        Checks.notNull("from", from);
        Checks.notNull("to", to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("to must differ from from, was " + to);
        }
        Quantity.requirePositive("quantity", quantity);
        Checks.notNull("origin", origin);
    }
}
