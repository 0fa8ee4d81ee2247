package dev.inventory.core;

/** The outcome of a {@link StockCommand}; expected refusals are values, never exceptions. */
public sealed interface StockResult {

    /** Whether the command changed stock now. */
    default boolean isApplied() {
        return this instanceof Applied;
    }

    /**
     * The command was applied.
     *
     * @param level the level after the change (for transfers: the source level for a transfer out,
     *     the destination level for a transfer in)
     * @param onHandDelta how much onHand changed at that level (for a cycle count, the variance
     *     between the count and what the books said at the count's timestamp)
     */
    record Applied(StockLevel level, long onHandDelta) implements StockResult {
    }

    /**
     * The command was refused; nothing changed.
     *
     * @param reason why
     * @param message a sentence for a person
     */
    record Rejected(Reason reason, String message) implements StockResult {
    }

    /**
     * A command with this event id was applied before; nothing changed.
     *
     * @param eventId the repeated event id
     */
    record Duplicate(String eventId) implements StockResult {
    }

    /** Why a stock command was refused. */
    enum Reason {
        /** Receiving is blocked at the location. */
        RECEIVING_BLOCKED,
        /** Fewer unpromised units than asked (damage, negative adjustment, transfer out). */
        INSUFFICIENT_STOCK,
        /** A transfer in for more than is in transit. */
        NOTHING_IN_TRANSIT,
        /** A count or adjustment would put onHand below allocated + reserved + damaged. */
        BELOW_COMMITTED,
        /** No such SKU x location. */
        UNKNOWN_LEVEL
    }
}
