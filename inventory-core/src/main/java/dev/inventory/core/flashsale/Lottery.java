package dev.inventory.core.flashsale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lottery (virtual queue) of one sale: buyers {@link #enter} and get a random place within
 * their shuffle window, so there is no advantage in clicking at the precise instant; every
 * {@link LotterySpec#drawInterval()} the host calls {@link #drawBatch()}, which admits the next
 * {@link LotterySpec#batchSize()} entrants (never more than the units the sale still holds) and
 * gives each a signed, expiring, single-use {@link PurchaseToken} bound to the user, the sale and
 * the SKU; winners {@link #redeem} it for a normal hold. Winners and, when the sale closes, those
 * still waiting are told through the {@link FlashSaleNotifier}.
 *
 * <p>Get it with {@link FlashSales#lottery(String)}. Thread-safe; the state lives in the store.
 */
public final class Lottery {
    private final FlashSales sales;
    private final FlashSaleSpec sale;
    private final LotterySpec spec;

    Lottery(FlashSales sales, FlashSaleSpec sale, LotterySpec spec) {
        this.sales = sales;
        this.sale = sale;
        this.spec = spec;
    }

    /** The sale's id. */
    public String saleId() {
        return sale.saleId();
    }

    /** The lottery's settings. */
    public LotterySpec spec() {
        return spec;
    }

    /**
     * Enters {@code userId}. The score is {@code window + u}: {@code window} counts the shuffle
     * windows since the sale's start (0 before it), {@code u} is uniform in [0, 1). Entering again
     * changes nothing and answers the current status.
     */
    public QueueStatus enter(String userId) {
        FlashIds.userId(userId);
        Instant now = sales.clock().instant();
        if (!now.isBefore(sale.endsAt())) {
            sales.close(sale.saleId(), SaleStatus.ENDED, now);
        }
        long window = 0;
        if (now.isAfter(sale.startsAt())) {
            window = Duration.between(sale.startsAt(), now).toNanos() / spec.shuffleWindow().toNanos();
        }
        double score = window + sales.random().nextDouble();
        return toStatus(sales.store().enter(sale.saleId(), userId, score, now), now);
    }

    /** Where {@code userId} stands; a winner gets the token again (the same one). */
    public QueueStatus status(String userId) {
        FlashIds.userId(userId);
        return toStatus(sales.store().entry(sale.saleId(), userId), sales.clock().instant());
    }

    /**
     * Draws the next batch: up to {@link LotterySpec#batchSize()} waiting entrants, never more than
     * the units the sale still holds, become winners with a token valid for
     * {@link LotterySpec#tokenTtl()}, and are notified. Before the sale's start nobody is drawn.
     * At or after its end the sale is closed, and everyone still waiting is told they lost.
     */
    public Draw drawBatch() {
        Instant now = sales.clock().instant();
        if (!now.isBefore(sale.endsAt())) {
            return new Draw(List.of(), sales.close(sale.saleId(), SaleStatus.ENDED, now).losers());
        }
        long held = sales.store().sale(sale.saleId()).map(FlashSaleState::held).orElse(0L);
        int size = (int) Math.min(spec.batchSize(), held); // the store caps again, atomically
        List<String> tokenIds = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            tokenIds.add(sales.tokens().newTokenId());
        }
        Instant expiresAt = Instant.ofEpochMilli(now.plus(spec.tokenTtl()).toEpochMilli());
        LotteryDraw draw = sales.store().draw(sale.saleId(), tokenIds, expiresAt, now);
        if (!draw.open()) {
            Optional<FlashSaleState> state = sales.store().sale(sale.saleId());
            if (state.isPresent() && state.get().status().isClosed()) {
                return new Draw(List.of(), sales.close(sale.saleId(), state.get().status(), now).losers());
            }
            return new Draw(List.of(), List.of());
        }
        List<PurchaseToken> winners = new ArrayList<>(draw.winners().size());
        for (LotteryEntry entry : draw.winners()) {
            PurchaseToken token = tokenOf(entry);
            winners.add(token);
            sales.notifyWon(token);
        }
        return new Draw(winners, List.of());
    }

    /**
     * Redeems a winner's token for a hold of {@code quantity} units. The token must be genuine,
     * unexpired, issued to {@code userId} (the caller's authenticated user) for this sale and SKU,
     * and not used before; it is marked used in the same atomic step as the purchase, and only when
     * the purchase succeeds (a token whose purchase found the sale sold out or the limit reached may
     * be tried again until it expires). Redemptions bypass the SKU's token bucket.
     */
    public PurchaseResult redeem(String token, String userId, long quantity) {
        FlashIds.notNull("token", token);
        FlashIds.userId(userId);
        TokenCheck check = sales.tokens().verify(token, sales.clock().instant());
        if (check instanceof TokenCheck.Invalid invalid) {
            return new PurchaseResult.TokenRejected(invalid.problem());
        }
        PurchaseToken valid = ((TokenCheck.Valid) check).token();
        if (!valid.saleId().equals(sale.saleId()) || !valid.sku().equals(sale.sku())) {
            return new PurchaseResult.TokenRejected(TokenProblem.WRONG_SALE);
        }
        if (!valid.userId().equals(userId)) {
            return new PurchaseResult.TokenRejected(TokenProblem.WRONG_USER);
        }
        return sales.buy(sale, userId, quantity, Optional.empty(), Optional.of(valid.tokenId()));
    }

    private PurchaseToken tokenOf(LotteryEntry entry) {
        return sales.tokens().issue(sale.saleId(), sale.sku(), entry.userId(), entry.tokenId().orElseThrow(),
                entry.tokenExpiresAt().orElseThrow());
    }

    private QueueStatus toStatus(LotteryEntry entry, Instant now) {
        switch (entry.state()) {
            case WAITING:
                long drawsAhead = (entry.position() - 1) / spec.batchSize();
                Duration wait = spec.drawInterval().multipliedBy(drawsAhead + 1);
                if (now.isBefore(sale.startsAt())) {
                    wait = wait.plus(Duration.between(now, sale.startsAt()));
                }
                return new QueueStatus.Waiting(entry.position(), wait);
            case WON:
                return new QueueStatus.Won(tokenOf(entry));
            case LOST:
                return new QueueStatus.Lost();
            case NOT_ENTERED:
                return new QueueStatus.NotEntered();
            default:
                SaleStatus status = sales.store().sale(sale.saleId()).map(s -> s.statusAt(now))
                        .filter(SaleStatus::isClosed).orElse(SaleStatus.ENDED);
                return new QueueStatus.Closed(status);
        }
    }
}
