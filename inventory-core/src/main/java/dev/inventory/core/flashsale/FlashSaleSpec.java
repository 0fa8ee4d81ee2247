package dev.inventory.core.flashsale;

import dev.inventory.core.LocationId;
import dev.inventory.core.Quantity;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a flash sale sells, when, and under which limits. Build it with
 * {@link #builder(String, Sku, LocationId)}.
 *
 * @param saleId the sale's id, 1-40 characters of {@code A-Z a-z 0-9 . _ -}; starting the same spec
 *     twice is idempotent
 * @param sku the SKU sold
 * @param locationId where the units are carved out of
 * @param quantity how many units the sale carves out of available stock
 * @param pools how many pools the quantity is split into, 1..min(quantity, {@value #MAX_POOLS})
 * @param startsAt purchases are accepted from this instant on
 * @param endsAt purchases are refused from this instant on; after it the sale is closed and its
 *     unsold units return to normal stock
 * @param perUserLimit the most units one user may hold or have bought in this sale at any moment
 * @param holdDuration how long a buyer's hold lasts (a normal reservation with this duration)
 * @param rateLimit the token bucket of the SKU that throttles purchase attempts, if any
 * @param lottery when present, buyers are admitted only through the {@link Lottery} and purchase
 *     with a token
 */
public record FlashSaleSpec(
        String saleId,
        Sku sku,
        LocationId locationId,
        long quantity,
        int pools,
        Instant startsAt,
        Instant endsAt,
        long perUserLimit,
        Duration holdDuration,
        Optional<RateLimit> rateLimit,
        Optional<LotterySpec> lottery) {

    /** The most pools a sale may have. */
    public static final int MAX_POOLS = 1024;

    /** The reference the sale's own hold carries in events ({@code fs:<saleId>}). */
    public static final String HOLD_PREFIX = "fs:";

    /** Validates every component; the messages name the field and the value. */
    public FlashSaleSpec {
        FlashIds.saleId(saleId);
        FlashIds.notNull("sku", sku);
        FlashIds.notNull("locationId", locationId);
        Quantity.requirePositive("quantity", quantity);
        FlashIds.range("pools", pools, 1, Math.min(quantity, MAX_POOLS));
        FlashIds.notNull("startsAt", startsAt);
        FlashIds.notNull("endsAt", endsAt);
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("endsAt must be after startsAt " + startsAt + ", was " + endsAt);
        }
        Quantity.requirePositive("perUserLimit", perUserLimit);
        FlashIds.positive("holdDuration", holdDuration, ReservationRequest.MAX_HOLD);
        FlashIds.notNull("rateLimit", rateLimit);
        FlashIds.notNull("lottery", lottery);
    }

    /** Starts a spec; {@link Builder#quantity}, {@link Builder#startsAt} and {@link Builder#endsAt} are required. */
    public static Builder builder(String saleId, Sku sku, LocationId locationId) {
        return new Builder(saleId, sku, locationId);
    }

    /** The id of the sale's own hold, as events show it: {@code fs:<saleId>}. */
    public ReservationId saleHoldId() {
        return ReservationId.of(HOLD_PREFIX + saleId);
    }

    /**
     * The id of a buyer's {@code sequence}-th purchase when the caller gives none:
     * {@code fs:<saleId>:<userId>:<sequence>}.
     */
    public ReservationId purchaseId(String userId, long sequence) {
        return ReservationId.of(HOLD_PREFIX + saleId + ":" + FlashIds.userId(userId) + ":" + sequence);
    }

    /** The starting size of every pool: {@code quantity / pools}, the first {@code quantity % pools} pools one more. */
    public List<Long> initialPools() {
        List<Long> out = new ArrayList<>(pools);
        for (int i = 0; i < pools; i++) {
            out.add(quantity / pools + (i < quantity % pools ? 1 : 0));
        }
        return List.copyOf(out);
    }

    /** Whether purchases are accepted at {@code now} by the calendar (the sale may still have been closed early). */
    public boolean isWithinWindow(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    /** Builds a {@link FlashSaleSpec}; every setter validates its argument. */
    public static final class Builder {
        private final String saleId;
        private final Sku sku;
        private final LocationId locationId;
        private long quantity;
        private int pools = 1;
        private Instant startsAt;
        private Instant endsAt;
        private long perUserLimit = 1;
        private Duration holdDuration = Duration.ofMinutes(5);
        private Optional<RateLimit> rateLimit = Optional.empty();
        private Optional<LotterySpec> lottery = Optional.empty();

        private Builder(String saleId, Sku sku, LocationId locationId) {
            this.saleId = FlashIds.saleId(saleId);
            this.sku = FlashIds.notNull("sku", sku);
            this.locationId = FlashIds.notNull("locationId", locationId);
        }

        /** How many units to carve out (required). */
        public Builder quantity(long quantity) {
            this.quantity = Quantity.requirePositive("quantity", quantity);
            return this;
        }

        /** How many pools (default 1). */
        public Builder pools(int pools) {
            this.pools = (int) FlashIds.range("pools", pools, 1, MAX_POOLS);
            return this;
        }

        /** When purchases open (required). */
        public Builder startsAt(Instant startsAt) {
            this.startsAt = FlashIds.notNull("startsAt", startsAt);
            return this;
        }

        /** When purchases close (required). */
        public Builder endsAt(Instant endsAt) {
            this.endsAt = FlashIds.notNull("endsAt", endsAt);
            return this;
        }

        /** The most units one user may have in this sale (default 1). */
        public Builder perUserLimit(long perUserLimit) {
            this.perUserLimit = Quantity.requirePositive("perUserLimit", perUserLimit);
            return this;
        }

        /** How long a buyer's hold lasts (default 5 minutes). */
        public Builder holdDuration(Duration holdDuration) {
            this.holdDuration = FlashIds.positive("holdDuration", holdDuration, ReservationRequest.MAX_HOLD);
            return this;
        }

        /** Throttles purchase attempts with the SKU's token bucket. */
        public Builder rateLimit(RateLimit rateLimit) {
            this.rateLimit = Optional.of(FlashIds.notNull("rateLimit", rateLimit));
            return this;
        }

        /** Admits buyers only through a lottery. */
        public Builder lottery(LotterySpec lottery) {
            this.lottery = Optional.of(FlashIds.notNull("lottery", lottery));
            return this;
        }

        /** @throws IllegalArgumentException naming the field when one is missing or inconsistent */
        public FlashSaleSpec build() {
            if (quantity == 0) {
                throw new IllegalArgumentException("quantity must be set, was not");
            }
            return new FlashSaleSpec(saleId, sku, locationId, quantity, pools, startsAt, endsAt, perUserLimit,
                    holdDuration, rateLimit, lottery);
        }
    }
}
