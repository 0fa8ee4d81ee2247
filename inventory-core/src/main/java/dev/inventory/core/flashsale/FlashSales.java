package dev.inventory.core.flashsale;

import dev.inventory.core.Inventory;
import dev.inventory.core.Quantity;
import dev.inventory.core.ReservationId;
import dev.inventory.core.Sku;
import dev.inventory.core.memory.InMemoryFlashSaleStore;
import dev.inventory.core.memory.InMemoryInventoryStore;
import dev.inventory.core.spi.StoreResult;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flash sales over an {@link Inventory} (DESIGN section 7).
 *
 * <pre>{@code
 * FlashSales sales = FlashSales.builder(inventory).signingKey(key32Bytes).build();
 * sales.start(FlashSaleSpec.builder("drop-42", Sku.of("SNEAKER-9"), LocationId.of("WH-1"))
 *         .quantity(100).pools(8).perUserLimit(2).holdDuration(Duration.ofMinutes(3))
 *         .startsAt(opening).endsAt(opening.plus(Duration.ofHours(1)))
 *         .rateLimit(RateLimit.perSecond(500, 1000)).build());
 * if (sales.purchase("drop-42", "user-7", 1) instanceof PurchaseResult.Purchased p) {
 *     inventory.reservations().confirm(p.hold().id());      // a normal hold from here on
 * }
 * }</pre>
 *
 * <p>Starting a sale carves its quantity out of available stock into pools; the sale holds those
 * units in the level's {@code reserved} (see the package documentation). A buyer's pool is chosen
 * by a hash of the user id ({@link #preferredPool}); when it is empty the neighbours are tried. The
 * per-user limit is enforced in the same atomic step as the purchase. A purchase is a normal
 * reservation with the sale's hold duration: if it expires or is released while the sale is open,
 * its units return to the pool. When the sale ends or is cancelled, every unsold unit returns to
 * normal stock; call {@link #endDue()} on a schedule so that sales close at their end time even
 * when nobody calls them (any purchase, entry or draw after the end also closes the sale).
 *
 * <p>Thread-safe; several instances may share one store.
 */
public final class FlashSales {
    private static final Logger log = LoggerFactory.getLogger(FlashSales.class);
    private static final int DROP_BATCH = 1_000;

    private final Inventory inventory;
    private final FlashSaleStore store;
    private final Clock clock;
    private final PurchaseTokens tokens;
    private final FlashSaleNotifier notifier;
    private final RandomGenerator random;
    private final ConcurrentHashMap<String, FlashSaleSpec> specs = new ConcurrentHashMap<>();

    private FlashSales(Builder b, FlashSaleStore store) {
        this.inventory = b.inventory;
        this.store = store;
        this.clock = b.inventory.clock();
        this.tokens = PurchaseTokens.hmacSha256(b.signingKey);
        this.notifier = b.notifier;
        this.random = b.random;
    }

    /** A builder over {@code inventory}; a signing key is required. */
    public static Builder builder(Inventory inventory) {
        return new Builder(inventory);
    }

    /**
     * The pool a user tries first: the CRC-32 of the UTF-8 user id, modulo {@code pools}. Stable
     * across JVMs and versions.
     */
    public static int preferredPool(String userId, int pools) {
        FlashIds.userId(userId);
        FlashIds.range("pools", pools, 1, FlashSaleSpec.MAX_POOLS);
        CRC32 crc = new CRC32();
        crc.update(userId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % pools);
    }

    // ------------------------------------------------------------------ sales

    /**
     * Starts a sale: carves {@code spec.quantity()} units out of available stock, now, even when the
     * sale opens later. Idempotent by sale id.
     *
     * @throws IllegalArgumentException when the sale's end has already passed
     */
    public SaleStart start(FlashSaleSpec spec) {
        FlashIds.notNull("spec", spec);
        Instant now = clock.instant();
        if (!now.isBefore(spec.endsAt())) {
            throw new IllegalArgumentException("endsAt must be in the future (now " + now + "), was " + spec.endsAt());
        }
        SaleStart result = publish(store.open(spec, now));
        if (result instanceof SaleStart.Started || result instanceof SaleStart.Replayed) {
            specs.putIfAbsent(spec.saleId(), spec);
        }
        return result;
    }

    /**
     * Buys {@code quantity} units for {@code userId}; the hold's id is derived
     * ({@code fs:<saleId>:<userId>:<n>}). Refused with {@link TokenProblem#MISSING} when the sale
     * admits buyers through a lottery ({@link Lottery#redeem}).
     */
    public PurchaseResult purchase(String saleId, String userId, long quantity) {
        return purchase(saleId, userId, quantity, Optional.empty());
    }

    /**
     * Buys {@code quantity} units for {@code userId} with the caller's idempotency key: repeating
     * the call answers {@link PurchaseResult.Purchased} with {@code replayed} and takes nothing
     * more (a repeat may still meet the rate limit first).
     */
    public PurchaseResult purchase(String saleId, String userId, long quantity, ReservationId reservationId) {
        return purchase(saleId, userId, quantity, Optional.of(FlashIds.notNull("reservationId", reservationId)));
    }

    private PurchaseResult purchase(String saleId, String userId, long quantity, Optional<ReservationId> id) {
        FlashIds.saleId(saleId);
        FlashIds.userId(userId);
        Quantity.requirePositive("quantity", quantity);
        Optional<FlashSaleSpec> spec = spec(saleId);
        if (spec.isEmpty()) {
            return new PurchaseResult.UnknownSale(saleId);
        }
        if (spec.get().lottery().isPresent()) {
            return new PurchaseResult.TokenRejected(TokenProblem.MISSING);
        }
        return buy(spec.get(), userId, quantity, id, Optional.empty());
    }

    /** The purchase steps shared by direct purchases and token redemption. */
    PurchaseResult buy(FlashSaleSpec spec, String userId, long quantity, Optional<ReservationId> id,
            Optional<String> tokenId) {
        Instant now = clock.instant();
        PurchaseCommand command = new PurchaseCommand(spec.saleId(), userId, quantity,
                preferredPool(userId, spec.pools()), id, tokenId);
        if (now.isBefore(spec.startsAt())) {
            return new PurchaseResult.NotActive(spec.saleId(), SaleStatus.SCHEDULED);
        }
        if (!now.isBefore(spec.endsAt())) {
            close(spec.saleId(), SaleStatus.ENDED, now);
            return publish(store.purchase(command, now)); // NotActive, or the replay of an earlier purchase
        }
        if (spec.rateLimit().isPresent() && tokenId.isEmpty()) {
            Duration wait = store.acquire(spec.sku(), spec.rateLimit().get(), 1, now);
            if (!wait.isZero()) {
                return new PurchaseResult.RateLimited(wait);
            }
        }
        return publish(store.purchase(command, now));
    }

    /**
     * Ends the sale now (even before its end time): its unsold units return to normal stock, its
     * lottery's waiting entrants are told they lost. Buyers' holds stay; when they expire or are
     * released later their units go to normal stock. Idempotent.
     *
     * @return the units returned to normal stock now (0 when the sale had already been closed)
     * @throws IllegalArgumentException when no sale has this id
     */
    public long end(String saleId) {
        return close(FlashIds.saleId(saleId), SaleStatus.ENDED, clock.instant()).returned();
    }

    /** Like {@link #end}, recorded as CANCELLED. */
    public long cancel(String saleId) {
        return close(FlashIds.saleId(saleId), SaleStatus.CANCELLED, clock.instant()).returned();
    }

    /**
     * Ends every open sale whose end time has passed, as {@link #end} does; call it on a schedule.
     *
     * @return how many sales it closed
     */
    public int endDue() {
        int closed = 0;
        for (int round = 0; round < 1_000; round++) {
            Instant now = clock.instant();
            List<String> due = store.dueSales(now, 100);
            for (String saleId : due) {
                close(saleId, SaleStatus.ENDED, now);
                closed++;
            }
            if (due.size() < 100) {
                break;
            }
        }
        return closed;
    }

    /** A consistent snapshot of the sale. */
    public Optional<FlashSaleState> sale(String saleId) {
        return store.sale(FlashIds.saleId(saleId));
    }

    /** The units {@code userId} holds or has bought in the sale (what the per-user limit counts). */
    public long bought(String saleId, String userId) {
        return store.bought(FlashIds.saleId(saleId), FlashIds.userId(userId));
    }

    /**
     * The lottery of a sale started with a {@link LotterySpec}.
     *
     * @throws IllegalArgumentException when no sale has this id or it has no lottery
     */
    public Lottery lottery(String saleId) {
        FlashSaleSpec spec = spec(FlashIds.saleId(saleId))
                .orElseThrow(() -> new IllegalArgumentException("saleId must name a started sale, was " + saleId));
        LotterySpec lottery = spec.lottery().orElseThrow(() -> new IllegalArgumentException(
                "saleId must name a sale started with a lottery, was " + saleId));
        return new Lottery(this, spec, lottery);
    }

    /** The token bucket of {@code sku} with {@code limit} (the one a sale with that rate limit uses). */
    public TokenBucket bucket(Sku sku, RateLimit limit) {
        return new TokenBucket(store, sku, limit, clock);
    }

    /** The token signer and verifier. */
    public PurchaseTokens tokens() {
        return tokens;
    }

    // ------------------------------------------------------------------ internals

    Optional<FlashSaleSpec> spec(String saleId) {
        FlashSaleSpec known = specs.get(saleId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<FlashSaleSpec> loaded = store.sale(saleId).map(FlashSaleState::spec);
        loaded.ifPresent(s -> specs.putIfAbsent(saleId, s));
        return loaded;
    }

    /** Closes the sale (if open), then tells the lottery's waiting entrants they lost. */
    Closing close(String saleId, SaleStatus as, Instant now) {
        Optional<SaleClosed> closed = publish(store.close(saleId, as, now));
        if (closed.isEmpty()) {
            throw new IllegalArgumentException("saleId must name a started sale, was " + saleId);
        }
        List<String> losers = new ArrayList<>();
        if (closed.get().sale().spec().lottery().isPresent()) {
            for (int round = 0; round < 100_000; round++) {
                List<String> batch = store.dropWaiting(saleId, DROP_BATCH);
                for (String user : batch) {
                    losers.add(user);
                    notifyLost(saleId, user);
                }
                if (batch.size() < DROP_BATCH) {
                    break;
                }
            }
        }
        return new Closing(closed.get(), losers);
    }

    record Closing(SaleClosed closed, List<String> losers) {
        long returned() {
            return closed.returned();
        }
    }

    FlashSaleStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    RandomGenerator random() {
        return random;
    }

    void notifyWon(PurchaseToken token) {
        try {
            notifier.won(token);
        } catch (RuntimeException e) {
            log.warn("notifier failed to tell {} they won sale {}; the token stands", token.userId(),
                    token.saleId(), e);
        }
    }

    void notifyLost(String saleId, String userId) {
        try {
            notifier.lost(saleId, userId);
        } catch (RuntimeException e) {
            log.warn("notifier failed to tell {} they lost sale {}", userId, saleId, e);
        }
    }

    private <T> T publish(StoreResult<T> result) {
        inventory.publish(result.events());
        return result.value();
    }

    /** Builds {@link FlashSales}; every setter validates its argument and names it in the error. */
    public static final class Builder {
        private final Inventory inventory;
        private FlashSaleStore store;
        private byte[] signingKey;
        private FlashSaleNotifier notifier = FlashSaleNotifier.none();
        private RandomGenerator random = new SecureRandom();

        private Builder(Inventory inventory) {
            this.inventory = FlashIds.notNull("inventory", inventory);
        }

        /**
         * The flash-sale store; it must work on the inventory's own store. Default for the in-memory
         * store: {@link InMemoryFlashSaleStore#on(InMemoryInventoryStore)}; required for any other.
         */
        public Builder store(FlashSaleStore store) {
            this.store = FlashIds.notNull("store", store);
            return this;
        }

        /** The HMAC-SHA256 key of purchase tokens, at least 32 bytes (required; copied). */
        public Builder signingKey(byte[] key) {
            PurchaseTokens.hmacSha256(key); // validates
            this.signingKey = key.clone();
            return this;
        }

        /** Where lottery outcomes go (default: nowhere). */
        public Builder notifier(FlashSaleNotifier notifier) {
            this.notifier = FlashIds.notNull("notifier", notifier);
            return this;
        }

        /** The source of lottery scores (default: a {@link SecureRandom}). */
        public Builder random(RandomGenerator random) {
            this.random = FlashIds.notNull("random", random);
            return this;
        }

        /** @throws IllegalArgumentException when the key is missing, or the store is missing for a non-memory store */
        public FlashSales build() {
            if (signingKey == null) {
                throw new IllegalArgumentException("signingKey must be set, was not");
            }
            FlashSaleStore chosen = store;
            if (chosen == null) {
                if (!(inventory.store() instanceof InMemoryInventoryStore memory)) {
                    throw new IllegalArgumentException("store must be set for an inventory store other than the "
                            + "in-memory one, was not (inventory store: " + inventory.store().getClass().getName() + ")");
                }
                chosen = InMemoryFlashSaleStore.on(memory);
            }
            return new FlashSales(this, chosen);
        }
    }
}
