package dev.inventory.core.flashsale;

/**
 * The outcome of closing a sale (ending or cancelling it).
 *
 * @param sale the sale after closing
 * @param returned units that went back to normal stock now: what the pools held; 0 when the sale had
 *     already been closed
 */
public record SaleClosed(FlashSaleState sale, long returned) {
    /** Validates the components. */
    public SaleClosed {
        FlashIds.notNull("sale", sale);
        FlashIds.range("returned", returned, 0, Long.MAX_VALUE);
    }
}
