package dev.inventory.core.fulfillment;

import java.time.LocalDate;
import java.util.function.LongUnaryOperator;

/** The quote {@link ShippingQuote#of} returns. */
record SimpleQuote(LocalDate shipDate, LocalDate deliveryDate, LongUnaryOperator costByWeight)
        implements ShippingQuote {
    @Override
    public long cost(long weightGrams) {
        return costByWeight.applyAsLong(weightGrams);
    }
}
