package dev.inventory.core.flashsale;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a sale, read atomically. At every instant
 * {@code spec.quantity() == held + sold + returned}.
 *
 * @param spec what the sale was started with
 * @param status OPEN while not closed (see {@link #statusAt}), else ENDED or CANCELLED
 * @param pools the units left in each pool; all 0 once closed
 * @param held the sum of {@code pools}: what the sale holds in the level's {@code reserved}
 * @param sold units in buyers' holds that have not come back (ACTIVE, PENDING, CONFIRMED, FULFILLED,
 *     CANCELLED purchases)
 * @param returned units given back to normal stock: the pools at closing, and purchase holds that
 *     expired or were released after closing
 * @param purchases how many purchases succeeded (returned ones included)
 */
public record FlashSaleState(FlashSaleSpec spec, SaleStatus status, List<Long> pools, long held, long sold,
        long returned, long purchases) {

    /** Copies the pools. */
    public FlashSaleState {
        FlashIds.notNull("spec", spec);
        FlashIds.notNull("status", status);
        pools = List.copyOf(FlashIds.notNull("pools", pools));
    }

    /** The sale's id. */
    public String saleId() {
        return spec.saleId();
    }

    /**
     * The status as the calendar sees it at {@code now}: SCHEDULED before the start, ENDED at or
     * after the end even if nobody has closed it yet, else the stored status.
     */
    public SaleStatus statusAt(Instant now) {
        if (status.isClosed()) {
            return status;
        }
        if (now.isBefore(spec.startsAt())) {
            return SaleStatus.SCHEDULED;
        }
        return now.isBefore(spec.endsAt()) ? SaleStatus.OPEN : SaleStatus.ENDED;
    }
}
