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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

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

    /** Per SKU: its {@link Cell}, or its {@code Cell[]} ordered by location when it has several (see {@link #find}). */
    private final ConcurrentHashMap<Sku, Object> cells = new ConcurrentHashMap<>();
    /**
     * Every hold by id ({@link ReservationId#value()}): its current state (a {@link Hold}, replaced
     * under the locks of the hold's levels), or a {@link Claim} while a reserve of the id is in
     * progress (not a hold). The state sits in the map itself, no holder object, and the key is the
     * id's string: two objects less per hold for the collector to copy while the hold is kept.
     */
    final ConcurrentHashMap<String, Object> reservations = new ConcurrentHashMap<>();
    /**
     * The expiry registry the sweeper walks: per second of expiry, the cells that hold a due entry
     * of that second or later. Each cell keeps its own holds in expiry order (a cell is a {@link DueQueue},
     * under its lock), so reserve and confirm touch only the locks they already hold; a cell
     * registers here only when it gets an entry earlier than the bucket it is registered in (once
     * per cell per bucket when hold durations are equal), never on removal.
     */
    private final ConcurrentSkipListMap<Long, Bucket> expiryBuckets = new ConcurrentSkipListMap<>();
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
        // The idempotency check comes first, outside every level lock: the id is claimed with an
        // undecided entry (invisible to readers, who see no hold), so the map insert of a large
        // map does not lengthen the critical section of a hot level. The hold becomes visible, and
        // the call takes effect, when the entry is filled while the levels are still locked.
        ReservationId id = reservation.id();
        Claim mine = new Claim();
        for (;;) {
            Object existing = reservations.putIfAbsent(id.value(), mine);
            if (existing == null) {
                break;
            }
            if (existing instanceof Hold decided) {
                // a retry of a hold that succeeded is a replay even when the stock has gone since
                return StoreResult.unchanged(replayOrConflict(id, decided, reservation));
            }
            if (((Claim) existing).abandoned) {
                reservations.remove(id.value(), existing);
            } else {
                Thread.yield(); // the same id is being reserved right now: wait for its outcome
            }
        }
        boolean made = false;
        try {
            StoreResult<ReservationResult> result = reserveClaimed(reservation, mine, now);
            made = mine.made;
            return result;
        } finally {
            if (!made) {
                mine.abandoned = true;
                reservations.remove(id.value(), mine);
            }
        }
    }

    /** Holds every line of {@code reservation}, whose id this call has claimed with {@code mine}, or none. */
    private StoreResult<ReservationResult> reserveClaimed(Reservation reservation, Claim mine, Instant now) {
        List<InventoryEvent> lazyExpiryEvents = List.of();
        List<ReservationLine> lines = reservation.lines();
        for (int attempt = 0; ; attempt++) {
            Cell[] locked = cellsOf(lines);
            ReservationResult shortage = null;
            List<Cell> shortCells = null;
            List<ReservationId> dueOnShortLevels = List.of();
            lockAll(locked);
            try {
                for (int i = 0; i < locked.length; i++) {
                    ReservationLine line = lines.get(i);
                    Cell cell = locked[i];
                    long available = cell.exists() ? cell.available() : 0;
                    if (line.quantity() > available) {
                        if (shortage == null) {
                            shortage = new ReservationResult.InsufficientStock(reservation.id(), line, available);
                            shortCells = new ArrayList<>(1);
                        }
                        shortCells.add(cell);
                    }
                }
                if (shortage != null) {
                    if (attempt == 0) {
                        // while the short levels are locked anyway (the lock is reentrant)
                        dueOnShortLevels = dueTouching(shortCells, now);
                    }
                } else {
                    int n = locked.length;
                    LevelState after0 = null;
                    LevelState[] afters = n == 1 ? null : new LevelState[n];
                    StockLevel[] crossedBefore = null;
                    Instant expiresAt = reservation.expiresAt();
                    ReservationId id = reservation.id();
                    for (int i = 0; i < n; i++) {
                        ReservationLine line = lines.get(i);
                        Cell cell = locked[i];
                        long reserved = cell.reserved + line.quantity();
                        crossedBefore = crossing(crossedBefore, n, i, cell, cell.onHand, cell.allocated, reserved);
                        LevelState after = cell.change(cell.onHand, cell.allocated, reserved, now);
                        if (afters == null) {
                            after0 = after;
                        } else {
                            afters[i] = after;
                        }
                        addDue(cell, expiresAt, id);
                    }
                    // the hold exists from here on, before its levels unlock
                    if (!reservations.replace(id.value(), mine, Hold.of(reservation, locked))) {
                        throw new IllegalStateException("the claim of " + id + " was lost");
                    }
                    mine.made = true;
                    List<InventoryEvent> events = crossedBefore == null && lazyExpiryEvents.isEmpty()
                            ? new HoldEvents(null, reservation, now, after0, afters)
                            : HoldEvents.eager(null, reservation, now, after0, afters, crossedBefore,
                                    lazyExpiryEvents);
                    return new StoreResult<>(new ReservationResult.Success(reservation), events);
                }
            } finally {
                unlockAll(locked);
            }
            if (dueOnShortLevels.isEmpty()) {
                return new StoreResult<>(shortage, lazyExpiryEvents);
            }
            // lazy expiry: free the due holds on the short levels, then try once more
            List<InventoryEvent> expiredEvents = new ArrayList<>();
            for (ReservationId due : dueOnShortLevels) {
                expiredEvents.addAll(transition(due, Transition.EXPIRE, now, Duration.ZERO).events());
            }
            lazyExpiryEvents = expiredEvents;
        }
    }

    private static ReservationResult replayOrConflict(ReservationId id, Hold existing, Reservation asked) {
        return existing.hasLines(asked.lines())
                ? new ReservationResult.Replayed(existing.toReservation(id))
                : new ReservationResult.IdConflict(existing.toReservation(id));
    }

    @Override
    public StoreResult<ReservationResult> transition(ReservationId id, Transition transition, Instant now,
            Duration paymentExtension) {
        Hold current = live(id);
        if (current == null) {
            return StoreResult.unchanged(new ReservationResult.NotFound(id));
        }
        Cell[] locked = current.cells(this);
        lockAll(locked);
        for (;;) {
            // the state may have changed before the locks; the lines of a hold never do, but the id
            // may have been forgotten (and even reserved again, with other lines) in between
            Hold latest = live(id);
            if (latest == null) {
                unlockAll(locked);
                return StoreResult.unchanged(new ReservationResult.NotFound(id));
            }
            if (latest.sameLevelsAs(current)) {
                current = latest;
                break;
            }
            unlockAll(locked);
            current = latest;
            locked = current.cells(this);
            lockAll(locked);
        }
        try {
            ReservationStatus status = current.status;
            if (transition.isReplayFrom(status)) {
                return StoreResult.unchanged(new ReservationResult.Replayed(current.toReservation(id)));
            }
            if (status == ReservationStatus.EXPIRED) {
                return StoreResult.unchanged(new ReservationResult.Expired(current.toReservation(id)));
            }
            if (!transition.allowedFrom(status)) {
                return StoreResult.unchanged(
                        new ReservationResult.IllegalTransition(current.toReservation(id), transition));
            }
            boolean due = current.isDue(now);
            if (transition == Transition.EXPIRE && !due) {
                return StoreResult.unchanged(
                        new ReservationResult.IllegalTransition(current.toReservation(id), transition));
            }
            Transition applied = transition.requiresUnexpired() && due ? Transition.EXPIRE : transition;
            // a flash-sale buyer's hold ending while its sale is open goes back to the sale's pool:
            // reserved stays, the sale holds the units again
            InMemoryFlashSaleStore sales = flashSales;
            boolean backToSale = (applied == Transition.RELEASE || applied == Transition.EXPIRE) && sales != null
                    && sales.takeBack(id);
            Instant wasDueAt = current.expiresAt();
            Instant expiresAt = applied == Transition.START_PAYMENT ? wasDueAt.plus(paymentExtension) : wasDueAt;
            Hold next = current.withStatus(applied.target(), expiresAt, now);
            Reservation made = next.toReservation(id, expiresAt, now);
            boolean hadDue = current.status.holdsReserved();
            boolean hasDue = next.status.holdsReserved();
            List<ReservationLine> lines = made.lines();
            int n = locked.length;
            LevelState after0 = null;
            LevelState[] afters = n == 1 ? null : new LevelState[n];
            StockLevel[] crossedBefore = null;
            for (int i = 0; i < n; i++) {
                ReservationLine line = lines.get(i);
                Cell cell = locked[i];
                // back to a sale's pool: the level is only touched (reserved stays, the sale holds it)
                Transition effect = backToSale ? Transition.START_PAYMENT : applied;
                long onHand = cell.onHandAfter(effect, line.quantity());
                long allocated = cell.allocatedAfter(effect, line.quantity());
                long reserved = cell.reservedAfter(effect, line.quantity());
                crossedBefore = crossing(crossedBefore, n, i, cell, onHand, allocated, reserved);
                LevelState after = cell.change(onHand, allocated, reserved, now);
                if (applied == Transition.FULFIL) {
                    cell.ledger.add(new LedgerEntry(cell.sku, cell.locationId, LedgerEntry.Kind.FULFILMENT,
                            -line.quantity(), after.onHand, after.version, Optional.of(id.value()),
                            Optional.empty(), now));
                }
                if (afters == null) {
                    after0 = after;
                } else {
                    afters[i] = after;
                }
                if (hadDue) {
                    cell.remove(wasDueAt, id);
                }
                if (hasDue) {
                    addDue(cell, expiresAt, id);
                }
            }
            List<InventoryEvent> events = crossedBefore == null
                    ? new HoldEvents(applied, made, now, after0, afters)
                    : HoldEvents.eager(applied, made, now, after0, afters, crossedBefore, List.of());
            if (next.status.isTerminal()) {
                finished.add(new Due(now.plus(finishedHoldRetention), id));
            }
            if (!reservations.replace(id.value(), current, next)) {
                throw new IllegalStateException("hold " + id + " changed under its levels' locks");
            }
            ReservationResult result = applied == transition
                    ? new ReservationResult.Success(made)
                    : new ReservationResult.Expired(made);
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
        long nowBucket = now.getEpochSecond();
        List<Cell> drained = new ArrayList<>();
        Set<Cell> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Due> candidates = new ArrayList<>();
        TreeMap<Long, Integer> candidatesPerSecond = new TreeMap<>();
        try {
            // buckets in expiry order: a cell registered at bucket k holds no entry before k, so before
            // bucket k is drained every due entry before k is a candidate; once `limit` of them are,
            // no later bucket can hold an older one
            for (Map.Entry<Long, Bucket> e : List.copyOf(expiryBuckets.headMap(nowBucket, true).entrySet())) {
                long key = e.getKey();
                int before = 0;
                for (int n : candidatesPerSecond.headMap(key).values()) {
                    before += n;
                }
                if (before >= limit) {
                    break;
                }
                Bucket bucket = e.getValue();
                List<Cell> cells = bucket.close();
                expiryBuckets.remove(key, bucket);
                for (Cell cell : cells) {
                    if (!seen.add(cell)) {
                        continue;
                    }
                    drained.add(cell);
                    cell.lock();
                    try {
                        DueQueue dues = cell;
                        int n = Math.min(dues.size(), limit);
                        // this cell's later entries cannot be among the oldest `limit`
                        for (int i = 0; i < n && dues.isDue(i, now); i++) {
                            candidates.add(new Due(dues.expiresAt(i), dues.id(i)));
                            candidatesPerSecond.merge(dues.second(i), 1, Integer::sum);
                        }
                    } finally {
                        cell.unlock();
                    }
                }
            }
            candidates.sort(null);
            Set<ReservationId> tried = new HashSet<>();
            for (Due due : candidates) {
                if (expired.size() >= limit) {
                    break;
                }
                if (!tried.add(due.id())) {
                    continue; // a multi-line hold has an entry on each of its levels
                }
                StoreResult<ReservationResult> r = transition(due.id(), Transition.EXPIRE, now, Duration.ZERO);
                if (r.value() instanceof ReservationResult.Success s) {
                    expired.add(s.value());
                    events.addAll(r.events());
                }
            }
        } finally {
            // every drained cell with holds left registers again at the bucket of its oldest one
            for (Cell cell : drained) {
                cell.lock();
                try {
                    if (!cell.isEmpty()) {
                        register(cell, cell.second(0));
                    }
                } finally {
                    cell.unlock();
                }
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
                reservations.computeIfPresent(head.id().value(),
                        (id, h) -> h instanceof Hold hold && hold.status.isTerminal() ? null : h);
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
        cell.lock();
        try {
            Optional<String> eventId = command.origin().eventId();
            if (eventId.isPresent() && processedEvents.containsKey(eventId.get())) {
                return StoreResult.unchanged(new StockResult.Duplicate(eventId.get()));
            }
            StockLevel before = cell.exists() ? cell.level() : StockLevel.empty(command.sku(), location, now);
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
            cell.set(after);
            cell.ledger.add(new LedgerEntry(after.sku(), after.locationId(), change.kind(), change.delta(),
                    after.onHand(), after.version(), change.reference(), eventId, now));
            var events = new ArrayList<InventoryEvent>(2);
            events.add(change.event().apply(after));
            LevelEvents.crossings(before, after, now, events);
            return new StoreResult<>(new StockResult.Applied(after, change.delta()), events);
        } finally {
            cell.unlock();
        }
    }

    private StoreResult<StockResult> transfer(Sku sku, LocationId from, LocationId to, long quantity, boolean out,
            Origin origin, Instant now) {
        Cell source = cell(sku, from);
        Cell target = cell(sku, to);
        Cell[] locked = from.compareTo(to) < 0 ? new Cell[] {source, target} : new Cell[] {target, source};
        lockAll(locked);
        try {
            Optional<String> eventId = origin.eventId();
            if (eventId.isPresent() && processedEvents.containsKey(eventId.get())) {
                return StoreResult.unchanged(new StockResult.Duplicate(eventId.get()));
            }
            StockLevel src = source.exists() ? source.level() : StockLevel.empty(sku, from, now);
            StockLevel dst = target.exists() ? target.level() : StockLevel.empty(sku, to, now);
            StockRules.Transfer transfer = StockRules.transfer(src, dst, quantity, out, now);
            if (transfer.rejection() != null) {
                return StoreResult.unchanged(transfer.rejection());
            }
            StockLevel srcAfter = transfer.source();
            StockLevel dstAfter = transfer.target();
            if (eventId.isPresent() && processedEvents.putIfAbsent(eventId.get(), Boolean.TRUE) != null) {
                return StoreResult.unchanged(new StockResult.Duplicate(eventId.get()));
            }
            source.set(checked(srcAfter));
            target.set(checked(dstAfter));
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
        Cell cell = find(cells.get(sku), locationId);
        return cell == null ? Optional.empty() : Optional.ofNullable(cell.level());
    }

    @Override
    public List<StockLevel> levels(Sku sku) {
        Object bySku = cells.get(sku);
        if (bySku == null) {
            return List.of();
        }
        if (bySku instanceof Cell one) {
            StockLevel level = one.level();
            return level == null ? List.of() : List.of(level);
        }
        Cell[] all = (Cell[]) bySku;
        var out = new ArrayList<StockLevel>(all.length);
        for (Cell cell : all) {
            StockLevel level = cell.level();
            if (level != null) {
                out.add(level);
            }
        }
        return out;
    }

    @Override
    public Optional<Reservation> reservation(ReservationId id) {
        Hold hold = live(id);
        return hold == null ? Optional.empty() : Optional.of(hold.toReservation(id));
    }

    @Override
    public List<LedgerEntry> ledger(Sku sku, LocationId locationId) {
        Cell cell = find(cells.get(sku), locationId);
        if (cell == null) {
            return List.of();
        }
        cell.lock();
        try {
            return List.copyOf(cell.ledger);
        } finally {
            cell.unlock();
        }
    }

    // ---------------------------------------------------------------- internals

    /** The hold {@code id} as it stands, or null when there is none (or its reserve is undecided). */
    Hold live(ReservationId id) {
        return reservations.get(id.value()) instanceof Hold hold ? hold : null;
    }

    /**
     * The due holds with a line on one of {@code levels}, oldest first. Takes each level's lock in
     * turn (a caller may already hold one of them).
     */
    List<ReservationId> dueTouching(List<Cell> levels, Instant now) {
        List<Due> due = null;
        for (Cell cell : levels) {
            cell.lock();
            try {
                DueQueue dues = cell;
                int n = dues.size();
                for (int i = 0; i < n && dues.isDue(i, now); i++) {
                    if (due == null) {
                        due = new ArrayList<>();
                    }
                    due.add(new Due(dues.expiresAt(i), dues.id(i)));
                }
            } finally {
                cell.unlock();
            }
        }
        if (due == null) {
            return List.of();
        }
        due.sort(null);
        List<ReservationId> out = new ArrayList<>(due.size());
        for (Due d : due) {
            if (!out.contains(d.id())) {
                out.add(d.id());
            }
        }
        return out;
    }

    /**
     * Puts {@code due} into the expiry order of {@code cell}, whose lock the caller holds, and makes
     * sure the sweeper will find the cell.
     */
    void addDue(Cell cell, Due due) {
        addDue(cell, due.expiresAt(), due.id());
    }

    /** {@link #addDue(Cell, Due)} without the {@link Due}. */
    void addDue(Cell cell, Instant expiresAt, ReservationId id) {
        cell.add(expiresAt, id);
        register(cell, expiresAt.getEpochSecond());
    }

    /**
     * Registers {@code cell} (lock held) with the sweeper at {@code second} unless it already is, in
     * an open bucket, at that second or earlier. A registration is only dropped by the sweeper that
     * closes its bucket, which registers the cell again if it still holds a hold.
     */
    private void register(Cell cell, long second) {
        Bucket current = cell.registered;
        if (current != null && current.second <= second && !current.closed) {
            return;
        }
        for (;;) {
            Bucket bucket = expiryBuckets.computeIfAbsent(second, Bucket::new);
            if (bucket.add(cell)) {
                cell.registered = bucket;
                return;
            }
            expiryBuckets.remove(second, bucket); // closed by a sweeper: make a new one
        }
    }

    Cell cell(Sku sku, LocationId locationId) {
        Cell cell = find(cells.get(sku), locationId);
        if (cell != null) {
            return cell;
        }
        return find(cells.compute(sku, (s, v) -> find(v, locationId) != null ? v : withCell(v, s, locationId)),
                locationId);
    }

    /** The cells of {@code lines}, which are in canonical (lock) order. */
    Cell[] cellsOf(List<ReservationLine> lines) {
        int n = lines.size();
        if (n == 1) {
            ReservationLine line = lines.get(0);
            return cell(line.sku(), line.locationId()).alone;
        }
        Cell[] out = new Cell[n];
        for (int i = 0; i < n; i++) {
            ReservationLine line = lines.get(i);
            out[i] = cell(line.sku(), line.locationId());
        }
        return out;
    }

    /**
     * Notes the level before a change of line {@code i} (of {@code n}) to these quantities when the
     * change crosses a threshold; the array is made on the first crossing only.
     */
    private static StockLevel[] crossing(StockLevel[] crossedBefore, int n, int i, Cell cell, long onHand,
            long allocated, long reserved) {
        if (!cell.crossesTo(onHand, allocated, reserved)) {
            return crossedBefore;
        }
        StockLevel[] out = crossedBefore != null ? crossedBefore : new StockLevel[n];
        out[i] = cell.level();
        return out;
    }

    private static void lockAll(Cell[] ordered) {
        for (Cell cell : ordered) {
            cell.lock();
        }
    }

    private static void unlockAll(Cell[] ordered) {
        for (int i = ordered.length - 1; i >= 0; i--) {
            ordered[i].unlock();
        }
    }

    static StockLevel checked(StockLevel level) {
        if (!level.isConsistent()) {
            throw new IllegalStateException("invariant violated, change refused: " + level);
        }
        return level;
    }

    /**
     * One SKU x location; every field is guarded by its lock, {@link #state} is also readable without
     * it. The cell is its own reentrant lock (an {@link AbstractQueuedSynchronizer}, non-fair like
     * {@code ReentrantLock}'s default): one object less, and one cache miss less, per level touched.
     *
     * <p>The quantities of the level are mirrored in plain fields of the cell (written only by
     * {@link #set} and {@link #change}): a reserve or a transition checks and computes the next level
     * from the cell it has just locked, without reading the published state, which sits elsewhere in
     * the heap (one cache miss per level touched, the largest single cost of a reserve on a large
     * catalogue). A change publishes the new version as a compact {@link LevelState}, the public
     * {@link StockLevel} is built from it when read.
     * Likewise the cell is the {@link DueQueue} of the ACTIVE and PENDING holds with a line here, in
     * expiry order.
     */
    static final class Cell extends DueQueue {
        private static final long serialVersionUID = 1L;
        /** How often {@link #lock} retries a taken lock before it queues (and parks). */
        private static final int SPINS = 100;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Cell.class, "state", LevelState.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final transient Sku sku;
        final transient LocationId locationId;
        /** The level as last changed; null until the first change. Read without the lock by queries. */
        private transient volatile LevelState state;
        /** The settings of {@link #state}, shared by its versions until one of them changes. */
        private transient LevelState.Settings settings;
        // the mirror of `state` (valid when it is not null), under the lock
        private transient long onHand;
        private transient long allocated;
        private transient long reserved;
        private transient long damaged;
        private transient long safetyStock;
        private transient long inTransitIn;
        private transient long inTransitOut;
        private transient long reorderPoint;
        private transient long maxStock;
        private transient long version;
        private transient boolean sellable;
        private transient boolean receivingBlocked;
        private transient Sku levelSku;
        private transient LocationId levelLocation;
        final transient ArrayList<LedgerEntry> ledger = new ArrayList<>();
        /** The sweeper bucket this cell is registered in, if any. */
        transient Bucket registered;

        /** This cell as the lock set of a one-line hold (never written to): no array per call. */
        final transient Cell[] alone = {this};

        Cell(Sku sku, LocationId locationId) {
            this.sku = sku;
            this.locationId = locationId;
        }

        /** Makes {@code next} the level (lock held). */
        void set(StockLevel next) {
            onHand = next.onHand();
            allocated = next.allocated();
            reserved = next.reserved();
            damaged = next.damaged();
            safetyStock = next.safetyStock();
            inTransitIn = next.inTransitIn();
            inTransitOut = next.inTransitOut();
            reorderPoint = next.reorderPoint();
            maxStock = next.maxStock();
            version = next.version();
            sellable = next.sellable();
            receivingBlocked = next.receivingBlocked();
            levelSku = next.sku();
            levelLocation = next.locationId();
            if (settings == null || !settings.matches(next)) {
                settings = LevelState.Settings.of(next);
            }
            publish(new LevelState(settings, next));
        }

        /**
         * A hold's change (lock held, level set): the level with these quantities, version + 1, as
         * of {@code at}; refused, nothing changed, when it would break an invariant.
         *
         * @return the new version, published
         */
        LevelState change(long onHand, long allocated, long reserved, Instant at) {
            if (onHand < 0 || allocated < 0 || reserved < 0 || allocated + reserved + damaged > onHand) {
                throw new IllegalStateException("invariant violated, change refused: " + levelSku + "@"
                        + levelLocation + " onHand=" + onHand + " allocated=" + allocated + " reserved=" + reserved
                        + " damaged=" + damaged);
            }
            this.onHand = onHand;
            this.allocated = allocated;
            this.reserved = reserved;
            version++;
            LevelState next = new LevelState(settings, onHand, allocated, reserved, version, at);
            publish(next);
            return next;
        }

        private void publish(LevelState next) {
            // a release store, not a volatile one: no fence of its own (the unlock that follows
            // has one); readers without the lock see a complete state (final fields)
            STATE.setRelease(this, next);
        }

        /** Whether the level exists (it has been set). */
        boolean exists() {
            return state != null;
        }

        /** The level as last changed, or null before the first change; lock not needed. */
        StockLevel level() {
            LevelState current = state;
            return current == null ? null : current.level();
        }

        /** {@link StockLevel#available()} of the level (lock held, level set). */
        long available() {
            if (!sellable) {
                return 0;
            }
            return Math.max(0, onHand - damaged - allocated - reserved - safetyStock);
        }

        /** On hand after {@code transition} of {@code quantity} units (lock held, level set). */
        long onHandAfter(Transition transition, long quantity) {
            return transition == Transition.FULFIL ? onHand - quantity : onHand;
        }

        /** Allocated after {@code transition} of {@code quantity} units (lock held, level set). */
        long allocatedAfter(Transition transition, long quantity) {
            return switch (transition) {
                case CONFIRM -> allocated + quantity;
                case FULFIL, CANCEL -> allocated - quantity;
                case START_PAYMENT, RELEASE, EXPIRE -> allocated;
            };
        }

        /** Reserved after {@code transition} of {@code quantity} units (lock held, level set). */
        long reservedAfter(Transition transition, long quantity) {
            return switch (transition) {
                case CONFIRM, RELEASE, EXPIRE -> reserved - quantity;
                case START_PAYMENT, FULFIL, CANCEL -> reserved;
            };
        }

        /**
         * {@link LevelEvents#crosses}{@code (level, after)} for an {@code after} with these quantities
         * (lock held, level set, before the change), from the mirror.
         */
        boolean crossesTo(long onHand, long allocated, long reserved) {
            long was = available();
            long now = sellable ? Math.max(0, onHand - damaged - allocated - reserved - safetyStock) : 0;
            boolean wasBelow = reorderPoint > 0 && was <= reorderPoint;
            boolean nowBelow = reorderPoint > 0 && now <= reorderPoint;
            return (was > 0 && now == 0) || (was == 0 && now > 0 && version > 0) || (nowBelow && !wasBelow);
        }

        void lock() {
            Thread current = Thread.currentThread();
            if (compareAndSetState(0, 1)) {
                setExclusiveOwnerThread(current);
                return;
            }
            if (getExclusiveOwnerThread() != current && !hasQueuedThreads()) {
                // a critical section here lasts well under a microsecond: a short spin takes the
                // lock when it is let go instead of parking the thread (and waking it, microseconds);
                // never past parked waiters, which would starve them (10,000 buyers on one level)
                for (int i = 0; i < SPINS && !hasQueuedThreads(); i++) {
                    Thread.onSpinWait();
                    if (getState() == 0 && compareAndSetState(0, 1)) {
                        setExclusiveOwnerThread(current);
                        return;
                    }
                }
            }
            acquire(1);
        }

        void unlock() {
            release(1);
        }

        boolean isHeldByCurrentThread() {
            return getExclusiveOwnerThread() == Thread.currentThread();
        }

        @Override
        protected boolean tryAcquire(int acquires) {
            Thread current = Thread.currentThread();
            int c = getState();
            if (c == 0) {
                if (compareAndSetState(0, acquires)) {
                    setExclusiveOwnerThread(current);
                    return true;
                }
            } else if (current == getExclusiveOwnerThread()) {
                setState(c + acquires); // reentrant: the flash-sale store calls back under the lock
                return true;
            }
            return false;
        }

        @Override
        protected boolean tryRelease(int releases) {
            if (getExclusiveOwnerThread() != Thread.currentThread()) {
                throw new IllegalMonitorStateException();
            }
            int c = getState() - releases;
            if (c == 0) {
                setExclusiveOwnerThread(null);
            }
            setState(c);
            return c == 0;
        }

        @Override
        protected boolean isHeldExclusively() {
            return getExclusiveOwnerThread() == Thread.currentThread();
        }
    }

    /**
     * The cell of {@code locationId} in a value of {@link #cells}: a {@link Cell} (a SKU at one
     * location, the common case: no second object to read) or a {@code Cell[]} ordered by location
     * (copy-on-write: a SKU has a handful of locations, read on every call and added rarely, so a
     * scan, where equals checks identity first, beats a skip list's string comparisons).
     */
    private static Cell find(Object cellsOfSku, LocationId locationId) {
        if (cellsOfSku instanceof Cell cell) {
            return cell.locationId.equals(locationId) ? cell : null;
        }
        if (cellsOfSku instanceof Cell[] all) {
            for (Cell cell : all) {
                if (cell.locationId.equals(locationId)) {
                    return cell;
                }
            }
        }
        return null;
    }

    /** {@code cellsOfSku} (a value of {@link #cells}, or null) with a new cell for {@code locationId}. */
    private static Object withCell(Object cellsOfSku, Sku sku, LocationId locationId) {
        Cell cell = new Cell(sku, locationId);
        if (cellsOfSku == null) {
            return cell;
        }
        Cell[] old = cellsOfSku instanceof Cell one ? new Cell[] {one} : (Cell[]) cellsOfSku;
        Cell[] grown = new Cell[old.length + 1];
        int at = 0;
        while (at < old.length && old[at].locationId.compareTo(locationId) < 0) {
            at++;
        }
        System.arraycopy(old, 0, grown, 0, at);
        grown[at] = cell;
        System.arraycopy(old, at, grown, at + 1, old.length - at);
        return grown;
    }

    /**
     * The map entry of an id a reserve has claimed and not decided yet: replaced by the hold when
     * the reserve succeeds (under the levels' locks), removed when it fails ({@link #abandoned}).
     */
    static final class Claim {
        volatile boolean abandoned;
        /** Whether the reserve made the hold; read only by the reserving thread. */
        boolean made;
    }

    /**
     * The cells registered with the sweeper for one second of expiry. A sweeper closes it before it
     * looks at its cells, so a cell registered in a closed bucket registers again.
     */
    static final class Bucket {
        final long second;
        private final List<Cell> cells = new ArrayList<>();
        volatile boolean closed;

        Bucket(long second) {
            this.second = second;
        }

        synchronized boolean add(Cell cell) {
            if (closed) {
                return false;
            }
            cells.add(cell);
            return true;
        }

        /** Closes the bucket; its cells, or none when another sweeper closed it first. */
        synchronized List<Cell> close() {
            if (closed) {
                return List.of();
            }
            closed = true;
            return cells;
        }
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
