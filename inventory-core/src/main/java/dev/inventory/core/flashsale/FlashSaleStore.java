package dev.inventory.core.flashsale;

import dev.inventory.core.Sku;
import dev.inventory.core.spi.StoreResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The storage port of flash sales. It works on the same data as the {@link
 * dev.inventory.core.spi.InventoryStore} it was made for (same levels, same holds), and every write
 * is one atomic step on one SKU x location (one Redis hash slot: key everything of a sale, its
 * level and its buyers' holds under the SKU's hash tag). Time always comes from the caller.
 *
 * <h2>Quantity model</h2>
 * A sale holds its unsold units ({@code held}, the sum of its pools) inside the level's
 * {@code reserved}, like a reservation whose quantity shrinks as buyers take units and grows back
 * when their holds return. For every level, at every instant:
 * <pre>
 *   reserved = sum of ACTIVE and PENDING holds + sum of held over the level's OPEN sales     (I4 with sales)
 *   spec.quantity = held + sold + returned                                                   (per sale)
 *   held = sum of pools, every pool >= 0
 * </pre>
 * So {@code available} excludes the sale's stock for normal shoppers, a buyer can only take units
 * the sale holds, and nothing can be promised twice.
 *
 * <h2>What the inventory store must do for flash sales</h2>
 * A buyer's hold is a normal reservation (one line, the sale's SKU x location). When such a hold is
 * RELEASED or EXPIRED (by the caller, the sweeper or lazy expiry) while its sale is OPEN, the same
 * atomic step must give its units back to the sale instead of to normal stock: add its quantity to
 * the pool that served it and to {@code held}, subtract it from {@code sold} and from the buyer's
 * units, leave the level's {@code reserved} unchanged (the version still goes up by one and the
 * usual {@code inventory.released}/{@code inventory.expired} event carries it). After the sale
 * closed, the hold ends normally ({@code reserved -= q}), and the sale moves its quantity from
 * {@code sold} to {@code returned} and from the buyer's units. CONFIRM, FULFIL and CANCEL are
 * unchanged: confirmed units are sold.
 *
 * <h2>Unknown sales</h2>
 * Reads answer empty, 0 or {@link LotteryEntry.State#CLOSED}; writes answer
 * {@link PurchaseResult.UnknownSale}, empty, or an empty draw; nothing throws.
 *
 * <p>Infrastructure failures throw {@link dev.inventory.core.InventoryStoreException}; a write that
 * throws has changed nothing. The shared suite {@code FlashSaleContract} (core test-jar) is the
 * executable spec.
 */
public interface FlashSaleStore {

    /**
     * Starts a sale, atomically on its level.
     *
     * <ul>
     *   <li>A sale with this id exists: {@link SaleStart.Replayed} when its spec is equal, else
     *       {@link SaleStart.IdConflict}; nothing changes.
     *   <li>If the level's {@code available} is below {@code spec.quantity()}, first expire the
     *       level's due holds (as lazy expiry does); if it is still below,
     *       {@link SaleStart.InsufficientStock} with the available quantity.
     *   <li>Otherwise {@code reserved += quantity} (version + 1), one {@code inventory.reserved} event
     *       with reservation id {@link FlashSaleSpec#saleHoldId()}, the quantity and
     *       {@code expiresAt = endsAt}, plus the threshold crossings; the sale is stored OPEN with
     *       {@link FlashSaleSpec#initialPools()}, {@code held = quantity}, nothing sold.
     * </ul>
     */
    StoreResult<SaleStart> open(FlashSaleSpec spec, Instant now);

    /** A consistent snapshot of the sale. */
    Optional<FlashSaleState> sale(String saleId);

    /**
     * One purchase, decided and applied in one atomic step, in this order:
     * <ol>
     *   <li>unknown sale: {@link PurchaseResult.UnknownSale};
     *   <li>a caller-given reservation id that exists: {@link PurchaseResult.Purchased} with
     *       {@code replayed = true} when it is this sale's purchase by this user of this quantity,
     *       else {@link PurchaseResult.IdConflict} (checked before anything else can refuse);
     *   <li>the sale is closed, or {@code now} is outside {@code [startsAt, endsAt)}:
     *       {@link PurchaseResult.NotActive} with ENDED/CANCELLED/SCHEDULED;
     *   <li>the token id was used in this sale: {@link PurchaseResult.TokenRejected} USED;
     *   <li>the user's units + quantity would exceed the per-user limit:
     *       {@link PurchaseResult.LimitReached} (units = held or bought, returned holds excluded);
     *   <li>if {@code held < quantity}: expire the sale's due purchase holds first (each returns to
     *       its pool as described on the interface, with its event); if still short:
     *       {@link PurchaseResult.SoldOut};
     *   <li>take the units: from the first pool with at least {@code quantity} units, trying
     *       {@code preferredPool}, then its neighbours {@code p+1, p-1, p+2, p-2, ...} (modulo the pool
     *       count, each pool once); if no single pool has enough, take greedily in that same order;
     *       the first pool that gave units is the one recorded on the hold;
     *   <li>create the buyer's hold: ACTIVE, one line (sale SKU, location, quantity), {@code userId},
     *       {@code createdAt = now}, {@code expiresAt = now + holdDuration}, id as in
     *       {@link PurchaseCommand#reservationId()} (a derived id that already exists:
     *       {@link PurchaseResult.IdConflict}); index it for expiry like any hold; {@code held -= q},
     *       {@code sold += q}, the user's units {@code += q} and purchase count {@code += 1}; mark the
     *       token id used and no longer outstanding; the level's quantities do not change but its
     *       version goes up by one with one {@code inventory.reserved} event for the buyer's hold.
     * </ol>
     */
    StoreResult<PurchaseResult> purchase(PurchaseCommand command, Instant now);

    /**
     * Closes an OPEN sale as {@code closedAs} (ENDED or CANCELLED), atomically: its pools go to 0,
     * {@code returned += held}, and if {@code held > 0} the level's {@code reserved -= held}
     * (version + 1) with one {@code inventory.released} event (reservation id
     * {@link FlashSaleSpec#saleHoldId()}, quantity {@code held}) plus threshold crossings. Buyers'
     * holds stay as they are. A sale already closed is left as it is ({@code returned} 0).
     *
     * @return empty when no sale has this id
     */
    StoreResult<Optional<SaleClosed>> close(String saleId, SaleStatus closedAs, Instant now);

    /** Up to {@code limit} ids of OPEN sales whose {@code endsAt} is at or before {@code now}, earliest end first. */
    List<String> dueSales(Instant now, int limit);

    /** The units {@code userId} holds or has bought in the sale (what the per-user limit counts). */
    long bought(String saleId, String userId);

    /**
     * Takes {@code permits} from the token bucket of {@code sku}, atomically (GCRA on one stored
     * instant, the theoretical arrival time {@code tat}, in epoch microseconds; with
     * {@code T = limit.emissionIntervalMicros()} and {@code now} in microseconds):
     * {@code t = max(tat, now); next = t + permits * T}; if {@code next - now > burst * T} refuse
     * and answer {@code next - burst * T - now} microseconds, else store {@code tat = next} and
     * answer zero. A bucket never used is full.
     *
     * @param permits 1..{@code limit.burst()}
     * @return {@link Duration#ZERO} when granted, else how long until the permits would be granted
     */
    Duration acquire(Sku sku, RateLimit limit, long permits, Instant now);

    /**
     * Enters {@code userId} into the sale's lottery with {@code score} (lower is drawn first),
     * atomically. A user who already has an entry keeps it (the score is never drawn again), so
     * entering twice changes nothing. A user without entry of a sale that is closed or at or past
     * its end is not entered ({@link LotteryEntry.State#CLOSED}).
     *
     * @return the user's entry after the call (WAITING with its position, or WON / LOST)
     */
    LotteryEntry enter(String saleId, String userId, double score, Instant now);

    /** The user's entry: WAITING with its current position, WON with its token, LOST, NOT_ENTERED or CLOSED. */
    LotteryEntry entry(String saleId, String userId);

    /**
     * Draws winners, atomically. If the sale is closed, before its start or at or past its end,
     * nobody is drawn ({@code open = false}). Otherwise: forget the outstanding tokens (drawn in
     * this sale, not redeemed yet) that expired at or before {@code now};
     * {@code n = min(tokenIds.size(), waiting, max(0, held - outstanding))}, so a draw never admits
     * more winners than units nobody has a token for; the {@code n} waiting entries with the lowest
     * scores become WON, the i-th of them with {@code tokenIds.get(i)} and {@code tokenExpiresAt},
     * and their tokens are outstanding. A successful purchase with a token makes it no longer
     * outstanding (see {@link #purchase}).
     */
    LotteryDraw draw(String saleId, List<String> tokenIds, Instant tokenExpiresAt, Instant now);

    /**
     * For a closed sale only: up to {@code limit} waiting entries (lowest score first) become LOST,
     * atomically; the answer is their user ids. For a sale not closed: empty, nothing changes.
     */
    List<String> dropWaiting(String saleId, int limit);
}
