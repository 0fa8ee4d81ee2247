package dev.inventory.core.flashsale;

import java.time.Duration;

/**
 * How a sale's lottery (virtual queue) admits buyers. Build it with {@link #builder()}.
 *
 * <p>Everyone who enters within the same {@code shuffleWindow} (counted from the sale's start;
 * everyone who enters before the start is in the first window) gets a uniformly random place among
 * that window's entrants, so clicking at the precise instant brings nothing; later windows queue
 * behind earlier ones. Every {@code drawInterval} the host calls {@link Lottery#drawBatch()}, which
 * admits up to {@code batchSize} entrants and gives each a purchase token valid for
 * {@code tokenTtl}.
 *
 * @param batchSize winners per draw, 1..100,000
 * @param drawInterval how often the host draws; used for the estimated wait
 * @param tokenTtl how long a winner's purchase token stays valid
 * @param shuffleWindow entrants within one window are shuffled together
 */
public record LotterySpec(int batchSize, Duration drawInterval, Duration tokenTtl, Duration shuffleWindow) {
    private static final Duration MAX = Duration.ofDays(30);

    /** @throws IllegalArgumentException naming the field and value when one is out of range */
    public LotterySpec {
        FlashIds.range("batchSize", batchSize, 1, 100_000);
        FlashIds.positive("drawInterval", drawInterval, MAX);
        FlashIds.positive("tokenTtl", tokenTtl, MAX);
        FlashIds.positive("shuffleWindow", shuffleWindow, MAX);
        if (tokenTtl.toMillis() < 1_000) {
            throw new IllegalArgumentException("tokenTtl must be at least 1 second, was " + tokenTtl);
        }
    }

    /** A builder with the defaults: batches of 100 every 10 s, tokens valid 5 min, 1 min shuffle windows. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link LotterySpec}; every setter validates its argument. */
    public static final class Builder {
        private int batchSize = 100;
        private Duration drawInterval = Duration.ofSeconds(10);
        private Duration tokenTtl = Duration.ofMinutes(5);
        private Duration shuffleWindow = Duration.ofMinutes(1);

        private Builder() {
        }

        /** Winners per draw (default 100). */
        public Builder batchSize(int batchSize) {
            this.batchSize = (int) FlashIds.range("batchSize", batchSize, 1, 100_000);
            return this;
        }

        /** How often the host draws (default 10 s). */
        public Builder drawInterval(Duration drawInterval) {
            this.drawInterval = FlashIds.positive("drawInterval", drawInterval, MAX);
            return this;
        }

        /** How long a winner's token stays valid (default 5 min, at least 1 s). */
        public Builder tokenTtl(Duration tokenTtl) {
            this.tokenTtl = FlashIds.positive("tokenTtl", tokenTtl, MAX);
            return this;
        }

        /** Entrants within one window are shuffled together (default 1 min). */
        public Builder shuffleWindow(Duration shuffleWindow) {
            this.shuffleWindow = FlashIds.positive("shuffleWindow", shuffleWindow, MAX);
            return this;
        }

        /** Builds the spec. */
        public LotterySpec build() {
            return new LotterySpec(batchSize, drawInterval, tokenTtl, shuffleWindow);
        }
    }
}
