package dev.inventory.core.memory;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.Transition;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.flashsale.FlashSaleSpec;
import dev.inventory.core.flashsale.FlashSaleState;
import dev.inventory.core.flashsale.FlashSaleStore;
import dev.inventory.core.flashsale.LotteryDraw;
import dev.inventory.core.flashsale.LotteryEntry;
import dev.inventory.core.flashsale.PurchaseCommand;
import dev.inventory.core.flashsale.PurchaseResult;
import dev.inventory.core.flashsale.RateLimit;
import dev.inventory.core.flashsale.SaleClosed;
import dev.inventory.core.flashsale.SaleStart;
import dev.inventory.core.flashsale.SaleStatus;
import dev.inventory.core.flashsale.TokenProblem;
import dev.inventory.core.memory.InMemoryInventoryStore.Cell;
import dev.inventory.core.memory.InMemoryInventoryStore.Due;
import dev.inventory.core.spi.EventIds;
import dev.inventory.core.spi.LevelEvents;
import dev.inventory.core.spi.StoreResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The flash-sale store of an {@link InMemoryInventoryStore}: every sale's state is guarded by the
 * lock of its SKU x location, the same lock every other change of that level takes, so a purchase
 * (limit check, pool choice, buyer's hold, level version) is one atomic step, and the store's own
 * release and expiry of a buyer's hold give its units back to the sale's pool in the same step (see
 * {@link FlashSaleStore}). Token buckets are atomic per SKU. Get it with {@link #on}.
 */
public final class InMemoryFlashSaleStore implements FlashSaleStore {

    private final InMemoryInventoryStore store;
    private final ConcurrentHashMap<String, Sale> sales = new ConcurrentHashMap<>();
    /** Every purchase hold ever made, to its sale. */
    private final ConcurrentHashMap<ReservationId, Sale> purchases = new ConcurrentHashMap<>();
    /** Theoretical arrival time (epoch microseconds) of each SKU's token bucket. */
    private final ConcurrentHashMap<Sku, Long> buckets = new ConcurrentHashMap<>();

    InMemoryFlashSaleStore(InMemoryInventoryStore store) {
        this.store = store;
    }

    /** The flash-sale store of {@code store} (one per store, made on first use). */
    public static InMemoryFlashSaleStore on(InMemoryInventoryStore store) {
        if (store == null) {
            throw new IllegalArgumentException("store must not be null");
        }
        return store.flashSales();
    }

    // ------------------------------------------------------------------ sales

    @Override
    public StoreResult<SaleStart> open(FlashSaleSpec spec, Instant now) {
        var events = new ArrayList<InventoryEvent>();
        Cell cell = store.cell(spec.sku(), spec.locationId());
        for (int attempt = 0; ; attempt++) {
            Sale existing = sales.get(spec.saleId());
            if (existing != null) {
                FlashSaleState state = snapshot(existing);
                return new StoreResult<>(existing.spec.equals(spec)
                        ? new SaleStart.Replayed(state)
                        : new SaleStart.IdConflict(state), events);
            }
            List<ReservationId> due = new ArrayList<>();
            long available;
            cell.lock();
            try {
                if (sales.containsKey(spec.saleId())) {
                    continue; // started concurrently: answer as a replay or conflict
                }
                StockLevel before = cell.level();
                available = before == null ? 0 : before.available();
                if (available >= spec.quantity()) {
                    StockLevel after = InMemoryInventoryStore.checked(before.withQuantities(before.onHand(),
                            before.allocated(), before.reserved() + spec.quantity(), before.damaged(), now));
                    cell.set(after);
                    events.add(new InventoryEvent.Reserved(EventIds.next(), after, now, spec.saleHoldId(),
                            spec.quantity(), spec.endsAt()));
                    LevelEvents.crossings(before, after, now, events);
                    Sale sale = new Sale(spec, cell);
                    sales.put(spec.saleId(), sale);
                    return new StoreResult<>(new SaleStart.Started(sale.snapshot()), events);
                }
                if (attempt == 0) {
                    due.addAll(store.dueTouching(List.of(cell), now));
                }
            } finally {
                cell.unlock();
            }
            if (due.isEmpty()) {
                return new StoreResult<>(new SaleStart.InsufficientStock(available), events);
            }
            // lazy expiry outside the lock: a due hold may span levels locked before this one
            for (ReservationId id : due) {
                events.addAll(store.transition(id, Transition.EXPIRE, now, Duration.ZERO).events());
            }
        }
    }

    @Override
    public Optional<FlashSaleState> sale(String saleId) {
        Sale sale = sales.get(saleId);
        return sale == null ? Optional.empty() : Optional.of(snapshot(sale));
    }

    @Override
    public StoreResult<PurchaseResult> purchase(PurchaseCommand c, Instant now) {
        Sale sale = sales.get(c.saleId());
        if (sale == null) {
            return StoreResult.unchanged(new PurchaseResult.UnknownSale(c.saleId()));
        }
        FlashSaleSpec spec = sale.spec;
        if (c.preferredPool() >= spec.pools()) {
            throw new IllegalArgumentException("preferredPool must be below the sale's " + spec.pools()
                    + " pools, was " + c.preferredPool());
        }
        var events = new ArrayList<InventoryEvent>();
        Cell cell = sale.cell;
        cell.lock();
        try {
            if (c.reservationId().isPresent()) {
                ReservationId id = c.reservationId().get();
                Hold existing = store.live(id);
                if (existing != null) {
                    Purchase made = sale.made.get(id);
                    return StoreResult.unchanged(made != null && made.userId.equals(c.userId())
                            && made.quantity == c.quantity()
                            ? new PurchaseResult.Purchased(existing.toReservation(id), made.pool, true)
                            : new PurchaseResult.IdConflict(id));
                }
            }
            if (sale.status.isClosed()) {
                return StoreResult.unchanged(new PurchaseResult.NotActive(spec.saleId(), sale.status));
            }
            if (!spec.isWithinWindow(now)) {
                return StoreResult.unchanged(new PurchaseResult.NotActive(spec.saleId(),
                        now.isBefore(spec.startsAt()) ? SaleStatus.SCHEDULED : SaleStatus.ENDED));
            }
            if (c.tokenId().isPresent() && sale.usedTokens.contains(c.tokenId().get())) {
                return StoreResult.unchanged(new PurchaseResult.TokenRejected(TokenProblem.USED));
            }
            long[] user = sale.users.get(c.userId());
            long units = user == null ? 0 : user[0];
            if (units + c.quantity() > spec.perUserLimit()) {
                return StoreResult.unchanged(new PurchaseResult.LimitReached(spec.saleId(), c.userId(), units,
                        spec.perUserLimit()));
            }
            if (sale.held < c.quantity()) {
                expireDuePurchases(sale, now, events);
                if (sale.held < c.quantity()) {
                    return new StoreResult<>(new PurchaseResult.SoldOut(spec.saleId()), events);
                }
            }
            long sequence = (user == null ? 0 : user[1]) + 1;
            ReservationId id = c.reservationId().orElseGet(() -> spec.purchaseId(c.userId(), sequence));
            ReservationLine line = new ReservationLine(spec.sku(), spec.locationId(), c.quantity());
            Reservation hold = new Reservation(id, List.of(line), Optional.empty(), Optional.of(c.userId()),
                    Optional.empty(), ReservationStatus.ACTIVE, now, now.plus(spec.holdDuration()), now);
            if (store.reservations.putIfAbsent(id.value(), Hold.of(hold, cell.alone)) != null) {
                return new StoreResult<>(new PurchaseResult.IdConflict(id), events);
            }
            int pool = sale.take(c.preferredPool(), c.quantity());
            Purchase purchase = new Purchase(c.userId(), pool, c.quantity());
            sale.users.computeIfAbsent(c.userId(), u -> new long[2]);
            sale.users.get(c.userId())[0] += c.quantity();
            sale.users.get(c.userId())[1]++;
            sale.sold += c.quantity();
            sale.purchases++;
            sale.made.put(id, purchase);
            sale.live.put(id, purchase);
            c.tokenId().ifPresent(token -> {
                sale.usedTokens.add(token);
                sale.outstanding.remove(token);
            });
            purchases.put(id, sale);

            StockLevel before = cell.level();
            StockLevel after = InMemoryInventoryStore.checked(before.touched(now));
            cell.set(after);
            store.addDue(cell, new Due(hold.expiresAt(), id));
            events.add(LevelEvents.reserved(after, now, hold, line));
            return new StoreResult<>(new PurchaseResult.Purchased(hold, pool, false), events);
        } finally {
            cell.unlock();
        }
    }

    /** Expires the sale's due purchase holds; each goes back to its pool through {@link #takeBack}. */
    private void expireDuePurchases(Sale sale, Instant now, List<InventoryEvent> events) {
        List<ReservationId> due = new ArrayList<>();
        due.addAll(store.dueTouching(List.of(sale.cell), now));
        for (ReservationId id : due) {
            if (sale.live.containsKey(id)) {
                // single-line holds on this very level: the store takes the lock this thread holds
                events.addAll(store.transition(id, Transition.EXPIRE, now, Duration.ZERO).events());
            }
        }
    }

    /**
     * Called by the store, under the lock of the hold's level, when an ACTIVE or PENDING hold is
     * released or expires: if it is a purchase of an open sale, its units go back to the pool that
     * served it and the answer is true (the level's reserved must then stay); after the sale closed
     * they are counted as returned and the answer is false (the hold ends normally).
     */
    boolean takeBack(ReservationId id) {
        Sale sale = purchases.get(id);
        if (sale == null) {
            return false;
        }
        if (!sale.cell.isHeldByCurrentThread()) {
            throw new IllegalStateException("takeBack of " + id + " without the lock of its level");
        }
        Purchase p = sale.live.remove(id);
        if (p == null) {
            return false;
        }
        sale.users.get(p.userId)[0] -= p.quantity;
        sale.sold -= p.quantity;
        if (sale.status.isClosed()) {
            sale.returned += p.quantity;
            return false;
        }
        sale.pools[p.pool] += p.quantity;
        sale.held += p.quantity;
        return true;
    }

    @Override
    public StoreResult<Optional<SaleClosed>> close(String saleId, SaleStatus closedAs, Instant now) {
        if (closedAs == null || !closedAs.isClosed()) {
            throw new IllegalArgumentException("closedAs must be ENDED or CANCELLED, was " + closedAs);
        }
        Sale sale = sales.get(saleId);
        if (sale == null) {
            return StoreResult.unchanged(Optional.empty());
        }
        Cell cell = sale.cell;
        cell.lock();
        try {
            if (sale.status.isClosed()) {
                return StoreResult.unchanged(Optional.of(new SaleClosed(sale.snapshot(), 0)));
            }
            long returned = sale.held;
            sale.status = closedAs;
            Arrays.fill(sale.pools, 0);
            sale.held = 0;
            sale.returned += returned;
            var events = new ArrayList<InventoryEvent>();
            if (returned > 0) {
                StockLevel before = cell.level();
                StockLevel after = InMemoryInventoryStore.checked(before.withQuantities(before.onHand(),
                        before.allocated(), before.reserved() - returned, before.damaged(), now));
                cell.set(after);
                events.add(new InventoryEvent.Released(EventIds.next(), after, now, sale.spec.saleHoldId(), returned));
                LevelEvents.crossings(before, after, now, events);
            }
            return new StoreResult<>(Optional.of(new SaleClosed(sale.snapshot(), returned)), events);
        } finally {
            cell.unlock();
        }
    }

    @Override
    public List<String> dueSales(Instant now, int limit) {
        return sales.values().stream()
                .filter(s -> !s.status.isClosed() && !s.spec.endsAt().isAfter(now))
                .sorted(Comparator.comparing((Sale s) -> s.spec.endsAt()).thenComparing(s -> s.spec.saleId()))
                .limit(Math.max(0, limit))
                .map(s -> s.spec.saleId())
                .toList();
    }

    @Override
    public long bought(String saleId, String userId) {
        Sale sale = sales.get(saleId);
        if (sale == null) {
            return 0;
        }
        sale.cell.lock();
        try {
            long[] user = sale.users.get(userId);
            return user == null ? 0 : user[0];
        } finally {
            sale.cell.unlock();
        }
    }

    // ------------------------------------------------------------------ token bucket

    @Override
    public Duration acquire(Sku sku, RateLimit limit, long permits, Instant now) {
        if (permits < 1 || permits > limit.burst()) {
            throw new IllegalArgumentException("permits must be between 1 and " + limit.burst() + ", was " + permits);
        }
        long interval = limit.emissionIntervalMicros();
        long tolerance = limit.burst() * interval;
        long nowMicros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        long[] wait = {0};
        buckets.compute(sku, (k, tat) -> {
            long next = Math.max(tat == null ? nowMicros : tat, nowMicros) + permits * interval;
            if (next - nowMicros > tolerance) {
                wait[0] = next - tolerance - nowMicros;
                return tat;
            }
            return next;
        });
        return Duration.ofNanos(wait[0] * 1_000);
    }

    // ------------------------------------------------------------------ lottery

    @Override
    public LotteryEntry enter(String saleId, String userId, double score, Instant now) {
        Sale sale = sales.get(saleId);
        if (sale == null) {
            return LotteryEntry.of(userId, LotteryEntry.State.CLOSED);
        }
        sale.cell.lock();
        try {
            Entry entry = sale.entries.get(userId);
            if (entry == null) {
                if (sale.status.isClosed() || !now.isBefore(sale.spec.endsAt())) {
                    return LotteryEntry.of(userId, LotteryEntry.State.CLOSED);
                }
                entry = new Entry(score);
                sale.entries.put(userId, entry);
                sale.waiting.add(new Ticket(score, userId));
            }
            return sale.entryOf(userId, entry);
        } finally {
            sale.cell.unlock();
        }
    }

    @Override
    public LotteryEntry entry(String saleId, String userId) {
        Sale sale = sales.get(saleId);
        if (sale == null) {
            return LotteryEntry.of(userId, LotteryEntry.State.CLOSED);
        }
        sale.cell.lock();
        try {
            Entry entry = sale.entries.get(userId);
            if (entry == null) {
                return LotteryEntry.of(userId, sale.status.isClosed()
                        ? LotteryEntry.State.CLOSED
                        : LotteryEntry.State.NOT_ENTERED);
            }
            return sale.entryOf(userId, entry);
        } finally {
            sale.cell.unlock();
        }
    }

    @Override
    public LotteryDraw draw(String saleId, List<String> tokenIds, Instant tokenExpiresAt, Instant now) {
        Sale sale = sales.get(saleId);
        if (sale == null) {
            return new LotteryDraw(List.of(), false);
        }
        sale.cell.lock();
        try {
            if (sale.status.isClosed() || !sale.spec.isWithinWindow(now)) {
                return new LotteryDraw(List.of(), false);
            }
            sale.outstanding.values().removeIf(expiresAt -> !now.isBefore(expiresAt));
            long unpromised = Math.max(0, sale.held - sale.outstanding.size());
            long n = Math.min(tokenIds.size(), Math.min(unpromised, sale.waiting.size()));
            List<LotteryEntry> winners = new ArrayList<>((int) n);
            for (int i = 0; i < n; i++) {
                Ticket ticket = sale.waiting.pollFirst();
                Entry entry = sale.entries.get(ticket.userId);
                entry.state = LotteryEntry.State.WON;
                entry.tokenId = tokenIds.get(i);
                entry.tokenExpiresAt = tokenExpiresAt;
                sale.outstanding.put(entry.tokenId, tokenExpiresAt);
                winners.add(sale.entryOf(ticket.userId, entry));
            }
            return new LotteryDraw(winners, true);
        } finally {
            sale.cell.unlock();
        }
    }

    @Override
    public List<String> dropWaiting(String saleId, int limit) {
        Sale sale = sales.get(saleId);
        if (sale == null) {
            return List.of();
        }
        sale.cell.lock();
        try {
            if (!sale.status.isClosed()) {
                return List.of();
            }
            List<String> losers = new ArrayList<>();
            while (losers.size() < limit && !sale.waiting.isEmpty()) {
                Ticket ticket = sale.waiting.pollFirst();
                sale.entries.get(ticket.userId).state = LotteryEntry.State.LOST;
                losers.add(ticket.userId);
            }
            return losers;
        } finally {
            sale.cell.unlock();
        }
    }

    // ------------------------------------------------------------------ internals

    private static FlashSaleState snapshot(Sale sale) {
        sale.cell.lock();
        try {
            return sale.snapshot();
        } finally {
            sale.cell.unlock();
        }
    }

    /** One sale; every field but {@link #status} is guarded by the lock of {@link #cell}. */
    private static final class Sale {
        final FlashSaleSpec spec;
        final Cell cell;
        volatile SaleStatus status = SaleStatus.OPEN;
        final long[] pools;
        long held;
        long sold;
        long returned;
        long purchases;
        /** userId to {units held or bought, purchases made}. */
        final HashMap<String, long[]> users = new HashMap<>();
        /** Every purchase of the sale, by hold id. */
        final HashMap<ReservationId, Purchase> made = new HashMap<>();
        /** Purchases whose units may still come back (not yet released or expired). */
        final HashMap<ReservationId, Purchase> live = new HashMap<>();
        final HashSet<String> usedTokens = new HashSet<>();
        /** Tokens drawn, not redeemed yet, to their expiry. */
        final HashMap<String, Instant> outstanding = new HashMap<>();
        final TreeSet<Ticket> waiting = new TreeSet<>();
        final HashMap<String, Entry> entries = new HashMap<>();

        Sale(FlashSaleSpec spec, Cell cell) {
            this.spec = spec;
            this.cell = cell;
            this.pools = spec.initialPools().stream().mapToLong(Long::longValue).toArray();
            this.held = spec.quantity();
        }

        /**
         * Takes {@code quantity} (at most {@link #held}) from the first pool that has it, in the
         * order preferred, +1, -1, +2, -2, ...; greedily in that order when none has it alone.
         *
         * @return the first pool that gave units
         */
        int take(int preferred, long quantity) {
            int n = pools.length;
            for (int k = 0; k < n; k++) {
                int pool = neighbour(preferred, k, n);
                if (pools[pool] >= quantity) {
                    pools[pool] -= quantity;
                    held -= quantity;
                    return pool;
                }
            }
            int first = -1;
            long left = quantity;
            for (int k = 0; k < n && left > 0; k++) {
                int pool = neighbour(preferred, k, n);
                long taken = Math.min(pools[pool], left);
                if (taken > 0) {
                    first = first < 0 ? pool : first;
                    pools[pool] -= taken;
                    left -= taken;
                }
            }
            if (left > 0) {
                throw new IllegalStateException("take of " + quantity + " beyond held " + held);
            }
            held -= quantity;
            return first;
        }

        static int neighbour(int preferred, int k, int n) {
            int offset = k % 2 == 1 ? (k + 1) / 2 : -(k / 2);
            return Math.floorMod(preferred + offset, n);
        }

        FlashSaleState snapshot() {
            return new FlashSaleState(spec, status, Arrays.stream(pools).boxed().toList(), held, sold, returned,
                    purchases);
        }

        LotteryEntry entryOf(String userId, Entry entry) {
            switch (entry.state) {
                case WAITING:
                    return LotteryEntry.waiting(userId, waiting.headSet(new Ticket(entry.score, userId)).size() + 1);
                case WON:
                    return LotteryEntry.won(userId, entry.tokenId, entry.tokenExpiresAt);
                default:
                    return LotteryEntry.of(userId, entry.state);
            }
        }
    }

    private record Purchase(String userId, int pool, long quantity) {
    }

    /** A lottery entry; guarded by its sale's lock. */
    private static final class Entry {
        final double score;
        LotteryEntry.State state = LotteryEntry.State.WAITING;
        String tokenId;
        Instant tokenExpiresAt;

        Entry(double score) {
            this.score = score;
        }
    }

    private record Ticket(double score, String userId) implements Comparable<Ticket> {
        @Override
        public int compareTo(Ticket o) {
            int c = Double.compare(score, o.score);
            return c != 0 ? c : userId.compareTo(o.userId);
        }
    }
}
