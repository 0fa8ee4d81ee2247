package dev.inventory.core.flashsale;

/** The outcome of starting a sale. */
public sealed interface SaleStart {

    /**
     * The units were carved out of available stock: the level's {@code reserved} went up by the
     * sale's quantity.
     *
     * @param sale the sale as started
     */
    record Started(FlashSaleState sale) implements SaleStart {
    }

    /**
     * A sale with this id and the same spec had already been started; nothing changed.
     *
     * @param sale the sale as it is now
     */
    record Replayed(FlashSaleState sale) implements SaleStart {
    }

    /**
     * Available stock at the level is below the sale's quantity (after expiring the level's due
     * holds); nothing changed.
     *
     * @param available what was available
     */
    record InsufficientStock(long available) implements SaleStart {
    }

    /**
     * The id belongs to a sale with another spec; nothing changed.
     *
     * @param existing that sale
     */
    record IdConflict(FlashSaleState existing) implements SaleStart {
    }
}
