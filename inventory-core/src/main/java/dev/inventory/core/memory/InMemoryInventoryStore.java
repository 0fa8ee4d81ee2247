package dev.inventory.core.memory;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.Transition;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.EventIds;
import dev.inventory.core.spi.InventoryStore;
import dev.inventory.core.spi.LevelEvents;
import dev.inventory.core.spi.StockRules;
import dev.inventory.core.spi.StoreResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded default store: everything in this JVM's memory, lost when it stops.
 *
 * <p>Thread-safe without a global lock: each SKU x location has its own lock, so operations on
 * different levels never contend; an operation on several levels (a multi-line hold, a transfer)
 * takes their locks in one fixed order (SKU, then location), so it cannot deadlock. A hold's state
 * only changes while the locks of all its lines are held.
 *
 * <p>Flash sales on this store ({@link InMemoryFlashSaleStore#on(InMemoryInventoryStore)}) keep
 * each sale's state under the lock of its level, so a purchase, and the return of a buyer's hold to
 * its sale's pool when it is released or expires, are atomic with every other change of the level.
 */
public final class InMemoryInventoryStore implements InventoryStore {

    private final ConcurrentHashMap<Sku, ConcurrentSkipListMap<LocationId, Cell>> cells = new ConcurrentHashMap<>();
    final ConcurrentHashMap<ReservationId, Reservation> reservations = new ConcurrentHashMap<>();
    final ConcurrentSkipListSet<Due> dueIndex = new ConcurrentSkipListSet<>();
    private final ConcurrentHashMap<String, Boolean> processedEvents = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Due> finished = new ConcurrentLinkedQueue<>();
    private final Duration finishedHoldRetention;
    private volatile InMemoryFlashSaleStore flashSales;

    private InMemoryInventoryStore(Duration finishedHoldRetention) {
        this.finishedHoldRetention = finishedHoldRetention;
    }

    /** A new, empty store keeping finished holds for {@link #DEFAULT_FINISHED_HOLD_RETENTION}. */
    public static InMemoryInventoryStore create() {
        return new InMemoryInventoryStore(DEFAULT_FINISHED_HOLD_RETENTION);
    }

    /**
     * A new, empty store that forgets a finished hold (fulfilled, released, expired, cancelled)
     * {@code retention} after it finished, so a long-running process does not grow without bound.
     * Within the retention a repeated call on the hold is answered as a replay; after it, the id is
     * unknown (a repeated reserve would hold again).
     *
     * @throws IllegalArgumentException when {@code retention} is not positive
     */
    public static InMemoryInventoryStore withFinishedHoldRetention(Duration retention) {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("finishedHoldRetention must be positive, was " + retention);
        }
        return new InMemoryInventoryStore(retention);
    }

    /** How long finished holds are kept by default: one day. */
    public static final Duration DEFAULT_FINISHED_HOLD_RETENTION = Duration.ofDays(1);

    /** The flash-sale store of this store, made on first use. */
    synchronized InMemoryFlashSaleStore flashSales() {
        if (flashSales == null) {
            flashSales = new InMemoryFlashSaleStore(this);
        }
        return flashSales;
    }

    // ---------------------------------------------------------------- reservations

    @Override
    public StoreResult<ReservationResult> reserve(Reservation reservation, Instant now) {
        var events = new ArrayList<InventoryEvent>();
        for (int attempt = 0; ; attempt++) {
            Reservation existing = reservations.get(reservation.id());
            if (existing != null) {
                return new StoreResult<>(replayOrConflict(existing, reservation), events);
            }
            List<Cell> locked = cellsOf(reservation.lines());
            List<LevelKey> shortCells = new ArrayList<>(1);
            ReservationResult shortage = null;
            lockAll(locked);
            try {
                existing = reservations.get(reservation.id());
                if (existing != null) {
                    return new StoreResult<>(replayOrConflict(existing, reservation), events);
                }
                for (int i = 0; i < locked.size(); i++) {
                    ReservationLine line = reservation.lines().get(i);
                    Cell cell = locked.get(i);
                    long available = cell.level == null ? 0 : cell.level.available();
                    if (line.quantity() > available) {
                        if (shortage == null) {
                            shortage = new ReservationResult.InsufficientStock(reservation.id(), line, available);
                        }
                        shortCells.add(cell.key);
                    }
                }
                if (shortage == null) {
                    Reservation winner = reservations.putIfAbsent(reservation.id(), reservation);
                    if (winner != null) {
                        return new StoreResult<>(replayOrConflict(winner, reservation), events);
                    }
                    Due due = new Due(reservation.expiresAt(), reservation.id());
                    for (int i = 0; i < locked.size(); i++) {
                        ReservationLine line = reservation.lines().get(i);
                        Cell cell = locked.get(i);
                        StockLevel before = cell.level;
                        StockLevel after = checked(before.withQuantities(before.onHand(), before.allocated(),
                                before.reserved() + line.quantity(), before.damaged(), now));
                        cell.level = after;
                        events.add(LevelEvents.reserved(after, now, reservation, line));
                        LevelEvents.crossings(before, after, now, events);
                    }
                    dueIndex.add(due);
                    return new StoreResult<>(new ReservationResult.Success(reservation), events);
                }
            } finally {
                unlockAll(locked);
            }
            List<ReservationId> dueOnShortLevels = attempt > 0 ? List.of() : dueTouching(shortCells, now);
            if (dueOnShortLevels.isEmpty()) {
                return new StoreResult<>(shortage, events);
            }
            // lazy expiry: free the due holds on the short levels, then try once more
            for (ReservationId due : dueOnShortLevels) {
                events.addAll(transition(due, Transition.EXPIRE, now, Duration.ZERO).events());
            }
        }
    }

    private static ReservationResult replayOrConflict(Reservation existing, Reservation asked) {
        return existing.lines().equals(asked.lines())
                ? new ReservationResult.Replayed(existing)
                : new ReservationResult.IdConflict(existing);
    }

    @Override
    public StoreResult<ReservationResult> transition(ReservationId id, Transition transition, Instant now,
            Duration paymentExtension) {
        Reservation current = reservations.get(id);
        if (current == null) {
            return StoreResult.unchanged(new ReservationResult.NotFound(id));
        }
        List<Cell> locked = cellsOf(current.lines());
        lockAll(locked);
        try {
            current = reservations.get(id);
            ReservationStatus status = current.status();
            if (transition.isReplayFrom(status)) {
                return StoreResult.unchanged(new ReservationResult.Replayed(current));
            }
            if (status == ReservationStatus.EXPIRED) {
                return StoreResult.unchanged(new ReservationResult.Expired(current));
            }
            if (!transition.allowedFrom(status)) {
                return StoreResult.unchanged(new ReservationResult.IllegalTransition(current, transition));
            }
            boolean due = current.isDue(now);
            if (transition == Transition.EXPIRE && !due) {
                return StoreResult.unchanged(new ReservationResult.IllegalTransition(current, transition));
            }
            Transition applied = transition.requiresUnexpired() && due ? Transition.EXPIRE : transition;
            // a flash-sale buyer's hold ending while its sale is open goes back to the sale's pool:
            // reserved stays, the sale holds the units again
            InMemoryFlashSaleStore sales = flashSales;
            boolean backToSale = (applied == Transition.RELEASE || applied == Transition.EXPIRE) && sales != null
                    && sales.takeBack(current, now);
            Instant expiresAt = applied == Transition.START_PAYMENT
                    ? current.expiresAt().plus(paymentExtension)
                    : current.expiresAt();
            Reservation next = current.withStatus(applied.target(), expiresAt, now);
            var events = new ArrayList<InventoryEvent>();
            Due oldDue = new Due(current.expiresAt(), id);
            Due newDue = next.status().holdsReserved() ? new Due(expiresAt, id) : null;
            for (int i = 0; i < locked.size(); i++) {
                ReservationLine line = current.lines().get(i);
                Cell cell = locked.get(i);
                StockLevel before = cell.level;
                StockLevel after = checked(backToSale
                        ? before.touched(now)
                        : applied.apply(before, line.quantity(), now));
                cell.level = after;
                if (applied == Transition.FULFIL) {
                    cell.ledger.add(new LedgerEntry(after.sku(), after.locationId(), LedgerEntry.Kind.FULFILMENT,
                            -line.quantity(), after.onHand(), after.version(), Optional.of(id.value()),
                            Optional.empty(), now));
                }
                events.add(LevelEvents.forTransition(applied, after, now, next, line));
                LevelEvents.crossings(before, after, now, events);
            }
            dueIndex.remove(oldDue);
            if (newDue != null) {
                dueIndex.add(newDue);
            }
            if (next.status().isTerminal()) {
                finished.add(new Due(now.plus(finishedHoldRetention), id));
            }
            reservations.put(id, next);
            ReservationResult result = applied == transition
                    ? new ReservationResult.Success(next)
                    : new ReservationResult.Expired(next);
            return new StoreResult<>(result, events);
        } finally {
            unlockAll(locked);
        }
    }

    @Override
    public StoreResult<List<Reservation>> expireDue(Instant now, int limit) {
        forgetFinished(now, limit);
        var expired = new ArrayList<Reservation>();
        var events = new ArrayList<InventoryEvent>();
        Iterator<Due> it = dueIndex.iterator();
        while (expired.size() < limit && it.hasNext()) {
            Due due = it.next();
            if (due.expiresAt().isAfter(now)) {
                break;
            }
            StoreResult<ReservationResult> r = transition(due.id(), Transition.EXPIRE, now, Duration.ZERO);
            if (r.value() instanceof ReservationResult.Success s) {
                expired.add(s.value());
                events.addAll(r.events());
            }
        }
        return new StoreResult<>(expired, events);
    }

    /** Drops up to {@code limit} finished holds whose retention has passed. */
    private void forgetFinished(Instant now, int limit) {
        for (int i = 0; i < limit; i++) {
            Due head = finished.peek();
            if (head == null || head.expiresAt().isAfter(now)) {
                return;
            }
            if (finished.remove(head)) {
                reservations.computeIfPresent(head.id(), (id, r) -> r.status().isTerminal() ? null : r);
            }
        }
    }

    // ---------------------------------------------------------------- stock commands

    @Override
    public StoreResult<StockResult> apply(StockCommand command, Instant now) {
        if (command instanceof StockCommand.TransferOut t) {
            return transfer(t.sku(), t.from(), t.to(), t.quantity(), true, t.origin(), now);
        }
        if (command instanceof StockCommand.TransferIn t) {
            return transfer(t.sku(), t.from(), t.to(), t.quantity(), false, t.origin(), now);
        }
        LocationId location = StockRules.locationOf(command);
        Cell cell = cell(command.sku(), location);
        cell.lock.lock();
        try {
            Optional<String> eventId = command.origin().eventId();
            if (eventId.isPresent() && processedEvents.containsKey(eventId.get())) {
                return StoreResult.unchanged(new StockResult.Duplicate(eventId.get()));
            }
            StockLevel before = cell.level != null ? cell.level : StockLevel.empty(command.sku(), location, now);
            long movedSinceCount = command instanceof StockCommand.CycleCount count
                    ? StockRules.movementsAfter(cell.ledger, StockRules.countInstant(count, now))
                    : 0;
            StockRules.Change change = StockRules.change(command, before, movedSinceCount, now);
            if (change.rejection() != null) {
                return StoreResult.unchanged(change.rejection());
            }
            if (eventId.isPresent() && processedEvents.putIfAbsent(eventId.get(), Boolean.TRUE) != null) {
                return StoreResult.unchanged(new StockResult.Duplicate(eventId.get()));
            }
            StockLevel after = checked(change.after());
            cell.level = after;
            cell.ledger.add(new LedgerEntry(after.sku(), after.locationId(), change.kind(), change.delta(),
                    after.onHand(), after.version(), change.reference(), eventId, now));
            var events = new ArrayList<InventoryEvent>(2);
            events.add(change.event().apply(after));
            LevelEvents.crossings(before, after, now, events);
            return new StoreResult<>(new StockResult.Applied(after, change.delta()), events);
        } finally {
            cell.lock.unlock();
        }
    }

    private StoreResult<StockResult> transfer(Sku sku, LocationId from, LocationId to, long quantity, boolean out,
            Origin origin, Instant now) {
        Cell source = cell(sku, from);
        Cell target = cell(sku, to);
        List<Cell> locked = from.compareTo(to) < 0 ? List.of(source, target) : List.of(target, source);
        lockAll(locked);
        try {
            Optional<String> eventId = origin.eventId();
            if (eventId.isPresent() && processedEvents.containsKey(eventId.get())) {
                return StoreResult.unchanged(new StockResult.Duplicate(eventId.get()));
            }
            StockLevel src = source.level != null ? source.level : StockLevel.empty(sku, from, now);
            StockLevel dst = target.level != null ? target.level : StockLevel.empty(sku, to, now);
            StockRules.Transfer transfer = StockRules.transfer(src, dst, quantity, out, now);
            if (transfer.rejection() != null) {
                return StoreResult.unchanged(transfer.rejection());
            }
            StockLevel srcAfter = transfer.source();
            StockLevel dstAfter = transfer.target();
            if (eventId.isPresent() && processedEvents.putIfAbsent(eventId.get(), Boolean.TRUE) != null) {
                return StoreResult.unchanged(new StockResult.Duplicate(eventId.get()));
            }
            source.level = checked(srcAfter);
            target.level = checked(dstAfter);
            LedgerEntry.Kind kind = out ? LedgerEntry.Kind.TRANSFER_OUT : LedgerEntry.Kind.TRANSFER_IN;
            long srcDelta = out ? -quantity : 0;
            long dstDelta = out ? 0 : quantity;
            source.ledger.add(new LedgerEntry(sku, from, kind, srcDelta, srcAfter.onHand(), srcAfter.version(),
                    origin.reference(), eventId, now));
            target.ledger.add(new LedgerEntry(sku, to, kind, dstDelta, dstAfter.onHand(), dstAfter.version(),
                    origin.reference(), eventId, now));
            var events = new ArrayList<InventoryEvent>(4);
            for (StockLevel[] pair : new StockLevel[][] {{src, srcAfter}, {dst, dstAfter}}) {
                StockLevel after = pair[1];
                events.add(out
                        ? new InventoryEvent.TransferShipped(EventIds.next(), after, now, from, to, quantity,
                                origin.reference())
                        : new InventoryEvent.TransferReceived(EventIds.next(), after, now, from, to, quantity,
                                origin.reference()));
                LevelEvents.crossings(pair[0], after, now, events);
            }
            StockLevel primary = out ? srcAfter : dstAfter;
            return new StoreResult<>(new StockResult.Applied(primary, out ? -quantity : quantity), events);
        } finally {
            unlockAll(locked);
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<StockLevel> level(Sku sku, LocationId locationId) {
        var bySku = cells.get(sku);
        Cell cell = bySku == null ? null : bySku.get(locationId);
        return cell == null ? Optional.empty() : Optional.ofNullable(cell.level);
    }

    @Override
    public List<StockLevel> levels(Sku sku) {
        var bySku = cells.get(sku);
        if (bySku == null) {
            return List.of();
        }
        var out = new ArrayList<StockLevel>(bySku.size());
        for (Cell cell : bySku.values()) {
            StockLevel level = cell.level;
            if (level != null) {
                out.add(level);
            }
        }
        return out;
    }

    @Override
    public Optional<Reservation> reservation(ReservationId id) {
        return Optional.ofNullable(reservations.get(id));
    }

    @Override
    public List<LedgerEntry> ledger(Sku sku, LocationId locationId) {
        var bySku = cells.get(sku);
        Cell cell = bySku == null ? null : bySku.get(locationId);
        if (cell == null) {
            return List.of();
        }
        cell.lock.lock();
        try {
            return List.copyOf(cell.ledger);
        } finally {
            cell.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- internals

    /** The due holds with a line on one of {@code levels}, oldest first. */
    List<ReservationId> dueTouching(List<LevelKey> levels, Instant now) {
        List<ReservationId> out = new ArrayList<>();
        for (Due due : dueIndex) {
            if (due.expiresAt().isAfter(now)) {
                break;
            }
            Reservation r = reservations.get(due.id());
            if (r == null) {
                continue;
            }
            for (ReservationLine line : r.lines()) {
                if (levels.contains(new LevelKey(line.sku(), line.locationId()))) {
                    out.add(due.id());
                    break;
                }
            }
        }
        return out;
    }

    Cell cell(Sku sku, LocationId locationId) {
        var bySku = cells.get(sku);
        if (bySku != null) {
            Cell cell = bySku.get(locationId);
            if (cell != null) {
                return cell;
            }
        }
        return cells.computeIfAbsent(sku, s -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(locationId, l -> new Cell(new LevelKey(sku, l)));
    }

    /** The cells of {@code lines}, which are in canonical (lock) order. */
    private List<Cell> cellsOf(List<ReservationLine> lines) {
        if (lines.size() == 1) {
            ReservationLine line = lines.get(0);
            return List.of(cell(line.sku(), line.locationId()));
        }
        var out = new ArrayList<Cell>(lines.size());
        for (ReservationLine line : lines) {
            out.add(cell(line.sku(), line.locationId()));
        }
        return out;
    }

    private static void lockAll(List<Cell> ordered) {
        for (Cell cell : ordered) {
            cell.lock.lock();
        }
    }

    private static void unlockAll(List<Cell> ordered) {
        for (int i = ordered.size() - 1; i >= 0; i--) {
            ordered.get(i).lock.unlock();
        }
    }

    static StockLevel checked(StockLevel level) {
        if (!level.isConsistent()) {
            throw new IllegalStateException("invariant violated, change refused: " + level);
        }
        return level;
    }

    /** One SKU x location; every field is guarded by {@link #lock}, {@link #level} is also readable without it. */
    static final class Cell {
        final LevelKey key;
        final ReentrantLock lock = new ReentrantLock();
        volatile StockLevel level;
        final ArrayList<LedgerEntry> ledger = new ArrayList<>();

        Cell(LevelKey key) {
            this.key = key;
        }
    }

    /** A SKU x location. */
    record LevelKey(Sku sku, LocationId locationId) {
    }

    /** A hold in the expiry order. */
    record Due(Instant expiresAt, ReservationId id) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = expiresAt.compareTo(o.expiresAt);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }
}
