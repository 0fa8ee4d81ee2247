package dev.inventory.jdbc;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.Transition;
import dev.inventory.core.event.EventJson;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.flashsale.FlashSaleSpec;
import dev.inventory.core.flashsale.FlashSaleState;
import dev.inventory.core.flashsale.FlashSaleStore;
import dev.inventory.core.flashsale.LotteryDraw;
import dev.inventory.core.flashsale.LotteryEntry;
import dev.inventory.core.flashsale.LotterySpec;
import dev.inventory.core.flashsale.PurchaseCommand;
import dev.inventory.core.flashsale.PurchaseResult;
import dev.inventory.core.flashsale.RateLimit;
import dev.inventory.core.flashsale.SaleClosed;
import dev.inventory.core.flashsale.SaleStart;
import dev.inventory.core.flashsale.SaleStatus;
import dev.inventory.core.flashsale.TokenProblem;
import dev.inventory.core.spi.EventIds;
import dev.inventory.core.spi.LevelEvents;
import dev.inventory.core.spi.StoreResult;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Flash sales on PostgreSQL, on the tables of a {@link PostgresInventoryStore} (same schema, same
 * levels and holds; the tables come with the store's migration {@code V2__flash_sales.sql}).
 *
 * <pre>{@code
 * PostgresFlashSaleStore flashStore = PostgresFlashSaleStore.on(postgresInventoryStore);
 * FlashSales sales = FlashSales.builder(inventory).store(flashStore).signingKey(key).build();
 * }</pre>
 *
 * <p>A sale is one row, each of its pools one row, each buyer one row. Every change of a sale takes
 * the row lock of its level first (the lock every change of that level takes), so a purchase, a
 * buyer's hold coming back to its pool, and closing are atomic with the level's version and its
 * events (I6: each purchase is one version of the level with one {@code inventory.reserved} event).
 * That level row is the one serialisation point of a hot SKU, held by each transaction through its
 * commit's WAL flush; to take it once for many buyers, concurrent purchases of one sale made through
 * this instance are <b>batched</b>: they queue, and a worker thread sends up to {@value #MAX_BATCH}
 * of them as one round trip, the SQL function {@code flash_purchase_batch} and the COMMIT. The
 * function is the whole transaction: it locks the level, then the sale, reads the sale, its pool
 * rows and the batch's buyers once, decides every purchase in order (each buyer's units from the
 * preferred pool, then its neighbours), and writes one statement per table, the level (one version
 * per purchase) and one outbox row per purchase included; no round trip to this JVM happens while
 * the level is locked. While a batch of the sale is in flight, the next worker gathers what queues
 * (until as many purchases wait as the last batch carried, that batch is answered, or a few
 * milliseconds passed), so one commit carries many purchases even with a few concurrent buyers.
 * Each purchase is decided exactly as it would be alone; a batch commits or fails as a whole, and a
 * failure is thrown to every caller of the batch (not retry-safe: the outcome is unknown when the
 * connection died during that round trip). Several instances may share the database: their batches
 * take turns on the level's row lock.
 *
 * <p>The inventory store's release and expiry of a buyer's hold give its units back to the open
 * sale's pool in the same transaction (function {@code flash_take_back}), whichever instance or
 * sweeper runs them. The token bucket's transaction commits without waiting for the WAL flush (a
 * server crash may forget the last permits taken: a few more attempts get through).
 *
 * <p>Thread-safe. Nothing to close: the store never closes the data source, and its batch worker
 * threads are daemon threads that end when idle.
 */
public final class PostgresFlashSaleStore implements FlashSaleStore {

    /** The most purchases one transaction decides. */
    static final int MAX_BATCH = 128;
    /** The most batches of one sale in flight at once (per instance). */
    static final int WORKERS_PER_SALE = 2;
    /** The longest a worker gathers purchases for its batch while another batch of the sale is in flight. */
    static final long GATHER_NANOS = 5_000_000L;
    private static final int DUE_BATCH = 1_000;
    /** The hold id in the event documents sent to flash_purchase_batch, which replaces it with the real one. */
    private static final ReservationId PLACEHOLDER_ID = ReservationId.of("flash-purchase");
    private static final AtomicInteger WORKERS = new AtomicInteger();
    private static final String SALE_COLUMNS = "s.sale_id, s.sku, s.location_id, s.quantity, s.pools, s.starts_ns,"
            + " s.ends_ns, s.per_user_limit, s.hold_ns, s.rate_permits, s.rate_per_ns, s.rate_burst, s.lottery_batch,"
            + " s.lottery_draw_ns, s.lottery_ttl_ns, s.lottery_shuffle_ns, s.status, s.held, s.sold, s.returned,"
            + " s.purchases";

    private final PostgresInventoryStore store;
    private final JdbcConfig config;
    private final Sql sql;
    private final Jdbc jdbc;
    private final String t;
    private final ConcurrentHashMap<String, FlashSaleSpec> specs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final ExecutorService workers;

    private PostgresFlashSaleStore(PostgresInventoryStore store) {
        this.store = store;
        this.config = store.config();
        this.sql = new Sql(config);
        this.jdbc = store.jdbc();
        this.t = config.qualifier();
        int id = WORKERS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread thread = new Thread(r, "inventory-flash-" + id + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.workers = Executors.newCachedThreadPool(factory);
    }

    /** The flash-sale store on {@code store}'s tables and connections. */
    public static PostgresFlashSaleStore on(PostgresInventoryStore store) {
        return builder().store(store).build();
    }

    /** A builder: give the inventory store, or a data source and the schema. */
    public static Builder builder() {
        return new Builder();
    }

    /** The schema and table prefix this store works in (those of its inventory store). */
    public JdbcConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ sales

    @Override
    public StoreResult<SaleStart> open(FlashSaleSpec spec, Instant now) {
        require("spec", spec);
        Instant at = Rows.micros(require("now", now));
        List<InventoryEvent> events = new ArrayList<>();
        for (int attempt = 0; ; attempt++) {
            boolean collectDue = attempt == 0;
            OpenAttempt a = jdbc.inTransaction("open flash sale " + spec.saleId(), true,
                    tx -> openOnce(tx, spec, at, collectDue));
            if (a.result != null) {
                events.addAll(a.events);
                if (a.result instanceof SaleStart.Started || a.result instanceof SaleStart.Replayed) {
                    specs.putIfAbsent(spec.saleId(), spec);
                }
                return new StoreResult<>(a.result, events);
            }
            if (attempt >= 3) {
                throw new IllegalStateException("flash sale " + spec.saleId() + " could not be started nor read");
            }
            // lazy expiry of the level's due holds (each in its own transaction), then once more
            for (ReservationId due : a.due) {
                events.addAll(store.transition(due, Transition.EXPIRE, at, Duration.ZERO).events());
            }
        }
    }

    /** One attempt of open: a result, or null with the due holds to expire first (or none: read again). */
    private record OpenAttempt(SaleStart result, List<InventoryEvent> events, List<ReservationId> due) {
    }

    private OpenAttempt openOnce(Jdbc.Tx tx, FlashSaleSpec spec, Instant now, boolean collectDue) throws SQLException {
        Connection c = tx.connection;
        StockLevel level = lockLevel(c, spec.sku(), spec.locationId());
        Optional<FlashSaleState> existing = readSale(c, spec.saleId(), false);
        if (existing.isPresent()) {
            tx.rollbackOnly();
            FlashSaleState state = existing.get();
            return new OpenAttempt(state.spec().equals(spec)
                    ? new SaleStart.Replayed(state)
                    : new SaleStart.IdConflict(state), List.of(), List.of());
        }
        long available = level == null ? 0 : level.available();
        if (available < spec.quantity()) {
            tx.rollbackOnly();
            List<ReservationId> due = collectDue && level != null ? dueOnLevel(c, spec.sku(), spec.locationId(), now)
                    : List.of();
            return due.isEmpty()
                    ? new OpenAttempt(new SaleStart.InsufficientStock(available), List.of(), List.of())
                    : new OpenAttempt(null, List.of(), due);
        }
        if (!insertSale(c, spec)) {
            tx.rollbackOnly(); // the same id was started meanwhile on another level: read it again
            return new OpenAttempt(null, List.of(), List.of());
        }
        StockLevel after = checked(level.withQuantities(level.onHand(), level.allocated(),
                level.reserved() + spec.quantity(), level.damaged(), now));
        List<InventoryEvent> events = new ArrayList<>(3);
        events.add(new InventoryEvent.Reserved(EventIds.next(), after, now, spec.saleHoldId(), spec.quantity(),
                spec.endsAt()));
        LevelEvents.crossings(level, after, now, events);
        WriteSet writes = new WriteSet();
        writes.level(after, level.version());
        writes.events(events);
        writes.execute(c, sql);
        FlashSaleState state = new FlashSaleState(spec, SaleStatus.OPEN, spec.initialPools(), spec.quantity(), 0, 0, 0);
        return new OpenAttempt(new SaleStart.Started(state), events, List.of());
    }

    private boolean insertSale(Connection c, FlashSaleSpec spec) throws SQLException {
        String insert = "INSERT INTO " + t + "flash_sales (sale_id, sku, location_id, quantity, pools, starts_ns,"
                + " ends_ns, per_user_limit, hold_ns, rate_permits, rate_per_ns, rate_burst, lottery_batch,"
                + " lottery_draw_ns, lottery_ttl_ns, lottery_shuffle_ns, status, held, sold, returned, purchases)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'O', ?, 0, 0, 0) ON CONFLICT (sale_id) DO NOTHING";
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setString(1, spec.saleId());
            ps.setString(2, spec.sku().value());
            ps.setString(3, spec.locationId().value());
            ps.setLong(4, spec.quantity());
            ps.setInt(5, spec.pools());
            ps.setLong(6, nanos(spec.startsAt()));
            ps.setLong(7, nanos(spec.endsAt()));
            ps.setLong(8, spec.perUserLimit());
            ps.setLong(9, spec.holdDuration().toNanos());
            Optional<RateLimit> rate = spec.rateLimit();
            setLong(ps, 10, rate.map(RateLimit::permits));
            setLong(ps, 11, rate.map(r -> r.per().toNanos()));
            setLong(ps, 12, rate.map(RateLimit::burst));
            Optional<LotterySpec> lottery = spec.lottery();
            setLong(ps, 13, lottery.map(l -> (long) l.batchSize()));
            setLong(ps, 14, lottery.map(l -> l.drawInterval().toNanos()));
            setLong(ps, 15, lottery.map(l -> l.tokenTtl().toNanos()));
            setLong(ps, 16, lottery.map(l -> l.shuffleWindow().toNanos()));
            ps.setLong(17, spec.quantity());
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        List<Long> pools = spec.initialPools();
        Long[] remaining = pools.toArray(new Long[0]);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + "flash_sale_pools (sale_id, pool, remaining)"
                + " SELECT ?, (u.n - 1)::integer, u.remaining FROM unnest(?::bigint[]) WITH ORDINALITY AS u (remaining, n)")) {
            ps.setString(1, spec.saleId());
            ps.setArray(2, Rows.longs(c, remaining));
            ps.executeUpdate();
        }
        return true;
    }

    @Override
    public Optional<FlashSaleState> sale(String saleId) {
        require("saleId", saleId);
        return jdbc.read("flash sale " + saleId, c -> readSale(c, saleId, false));
    }

    @Override
    public StoreResult<Optional<SaleClosed>> close(String saleId, SaleStatus closedAs, Instant now) {
        require("saleId", saleId);
        if (closedAs == null || !closedAs.isClosed()) {
            throw new IllegalArgumentException("closedAs must be ENDED or CANCELLED, was " + closedAs);
        }
        Instant at = Rows.micros(require("now", now));
        Optional<FlashSaleSpec> spec = spec(saleId);
        if (spec.isEmpty()) {
            return StoreResult.unchanged(Optional.empty());
        }
        return jdbc.inTransaction("close flash sale " + saleId, true, tx -> {
            Connection c = tx.connection;
            StockLevel level = lockLevel(c, spec.get().sku(), spec.get().locationId());
            FlashSaleState sale = readSale(c, saleId, true).orElseThrow(
                    () -> new IllegalStateException("flash sale " + saleId + " vanished (a bug)"));
            if (sale.status().isClosed()) {
                tx.rollbackOnly();
                return StoreResult.unchanged(Optional.of(new SaleClosed(sale, 0)));
            }
            long returned = sale.held();
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + "flash_sales SET status = ?, held = 0,"
                    + " returned = returned + held WHERE sale_id = ?")) {
                ps.setString(1, closedAs == SaleStatus.ENDED ? "E" : "C");
                ps.setString(2, saleId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + "flash_sale_pools SET remaining = 0"
                    + " WHERE sale_id = ? AND remaining <> 0")) {
                ps.setString(1, saleId);
                ps.executeUpdate();
            }
            List<InventoryEvent> events = new ArrayList<>(3);
            if (returned > 0) {
                StockLevel after = checked(level.withQuantities(level.onHand(), level.allocated(),
                        level.reserved() - returned, level.damaged(), at));
                events.add(new InventoryEvent.Released(EventIds.next(), after, at, sale.spec().saleHoldId(), returned));
                LevelEvents.crossings(level, after, at, events);
                WriteSet writes = new WriteSet();
                writes.level(after, level.version());
                writes.events(events);
                writes.execute(c, sql);
            }
            FlashSaleState closed = new FlashSaleState(sale.spec(), closedAs,
                    Collections.nCopies(sale.pools().size(), 0L), 0, sale.sold(), sale.returned() + returned,
                    sale.purchases());
            return new StoreResult<>(Optional.of(new SaleClosed(closed, returned)), events);
        });
    }

    @Override
    public List<String> dueSales(Instant now, int limit) {
        require("now", now);
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.read("due flash sales", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sale_id FROM " + t + "flash_sales"
                    + " WHERE status = 'O' AND ends_ns <= ? ORDER BY ends_ns, sale_id LIMIT ?")) {
                ps.setLong(1, nanos(now));
                ps.setInt(2, limit);
                return strings(ps);
            }
        });
    }

    @Override
    public long bought(String saleId, String userId) {
        require("saleId", saleId);
        require("userId", userId);
        return jdbc.read("flash sale units of " + userId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT units FROM " + t + "flash_sale_users"
                    + " WHERE sale_id = ? AND user_id = ?")) {
                ps.setString(1, saleId);
                ps.setString(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    // ------------------------------------------------------------------ purchases

    @Override
    public StoreResult<PurchaseResult> purchase(PurchaseCommand command, Instant now) {
        require("command", command);
        Instant at = Rows.micros(require("now", now));
        Optional<FlashSaleSpec> found = spec(command.saleId());
        if (found.isEmpty()) {
            return StoreResult.unchanged(new PurchaseResult.UnknownSale(command.saleId()));
        }
        FlashSaleSpec spec = found.get();
        if (command.preferredPool() >= spec.pools()) {
            throw new IllegalArgumentException("preferredPool must be below the sale's " + spec.pools()
                    + " pools, was " + command.preferredPool());
        }
        Outcome outcome = submit(spec, new Pending(command, at, true));
        List<InventoryEvent> events = new ArrayList<>(outcome.events);
        if (outcome.kind.equals("SHORT_DUE")) {
            // short, but some of the sale's holds are due: expire them (back to their pools), then decide again
            events.addAll(expireDuePurchases(spec.saleId(), at));
            outcome = submit(spec, new Pending(command, at, false));
            events.addAll(outcome.events);
        }
        return new StoreResult<>(result(spec, command, outcome), events);
    }

    private PurchaseResult result(FlashSaleSpec spec, PurchaseCommand c, Outcome o) {
        switch (o.kind) {
            case "PURCHASED":
                return new PurchaseResult.Purchased(o.hold, o.pool, false);
            case "REPLAYED": {
                Optional<Reservation> existing = store.reservation(ReservationId.of(o.rid));
                return existing.<PurchaseResult>map(r -> new PurchaseResult.Purchased(r, o.pool, true))
                        .orElseGet(() -> new PurchaseResult.IdConflict(ReservationId.of(o.rid)));
            }
            case "ID_CONFLICT":
                return new PurchaseResult.IdConflict(ReservationId.of(o.rid));
            case "NOT_ACTIVE":
                return new PurchaseResult.NotActive(spec.saleId(), status(o.status));
            case "TOKEN_USED":
                return new PurchaseResult.TokenRejected(TokenProblem.USED);
            case "LIMIT":
                return new PurchaseResult.LimitReached(spec.saleId(), c.userId(), o.units, spec.perUserLimit());
            case "SOLD_OUT":
            case "SHORT_DUE":
                return new PurchaseResult.SoldOut(spec.saleId());
            case "UNKNOWN":
                return new PurchaseResult.UnknownSale(spec.saleId());
            default:
                throw new IllegalStateException("unknown purchase outcome " + o.kind + " (a bug)");
        }
    }

    private List<InventoryEvent> expireDuePurchases(String saleId, Instant now) {
        List<String> due = jdbc.read("due holds of flash sale " + saleId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT x.reservation_id FROM " + t + "flash_purchases AS x"
                    + " JOIN " + t + "reservations AS h ON h.id = x.reservation_id"
                    + " WHERE x.sale_id = ? AND x.live AND h.status IN ('ACTIVE', 'PENDING') AND h.expires_at <= ?"
                    + " ORDER BY h.expires_at, h.id LIMIT " + DUE_BATCH)) {
                ps.setString(1, saleId);
                Rows.setInstant(ps, 2, now);
                return strings(ps);
            }
        });
        List<InventoryEvent> events = new ArrayList<>();
        for (String id : due) {
            events.addAll(store.transition(ReservationId.of(id), Transition.EXPIRE, now, Duration.ZERO).events());
        }
        return events;
    }

    /** One purchase waiting for its batch. */
    private static final class Pending {
        final PurchaseCommand command;
        final Instant now;
        final boolean mayExpire;
        final CompletableFuture<Outcome> done = new CompletableFuture<>();

        Pending(PurchaseCommand command, Instant now, boolean mayExpire) {
            this.command = command;
            this.now = now;
            this.mayExpire = mayExpire;
        }
    }

    /** What the batch decided for one purchase, with the events of its level change. */
    private record Outcome(String kind, String rid, int pool, long units, String status, Reservation hold,
            List<InventoryEvent> events) {
    }

    /** The purchases of one sale waiting for a batch, the workers running batches of them, the batches in flight. */
    private static final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        /** Signalled when a purchase queues or a batch is answered, for a worker gathering its batch. */
        final Condition changed = lock.newCondition();
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        int running;
        int inFlight;
        int gathering;
        /** How many purchases the last answered batch carried. */
        int lastBatch = 1;
    }

    private Outcome submit(FlashSaleSpec spec, Pending pending) {
        Lane lane = lanes.computeIfAbsent(spec.saleId(), k -> new Lane());
        boolean start;
        lane.lock.lock();
        try {
            lane.queue.add(pending);
            // up to WORKERS_PER_SALE batches in flight: the next one waits on the level's row lock inside the
            // database while the one before commits, instead of being sent only once that commit came back
            start = lane.running < WORKERS_PER_SALE;
            if (start) {
                lane.running++;
            }
            if (lane.gathering > 0) {
                lane.changed.signalAll();
            }
        } finally {
            lane.lock.unlock();
        }
        if (start) {
            try {
                workers.execute(() -> drain(spec, lane));
            } catch (RuntimeException e) {
                drain(spec, lane); // no worker thread to be had: run the batches on this thread
            }
        }
        try {
            return pending.done.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new InventoryStoreException("flash-sale purchase failed: " + cause, cause, false);
        }
    }

    /**
     * Runs the lane's purchases, batch after batch, until none is waiting. Each batch is one round trip:
     * {@code flash_purchase_batch} (which takes the level's row lock first) and the COMMIT.
     */
    private void drain(FlashSaleSpec spec, Lane lane) {
        String what = "flash purchase " + spec.saleId();
        while (true) {
            List<Pending> batch = next(lane);
            if (batch == null) {
                return;
            }
            try {
                List<Outcome> outcomes;
                try {
                    outcomes = jdbc.inTransaction(what, false, tx -> purchaseOnce(tx, spec, null, batch, true));
                } catch (DerivedIdTaken e) {
                    // rare: decide the batch again one purchase after the other (IdConflict for the taken id)
                    outcomes = jdbc.inTransaction(what, false, tx -> purchaseOnce(tx, spec,
                            lockLevel(tx.connection, spec.sku(), spec.locationId()), batch, false));
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done.complete(outcomes.get(i));
                }
            } catch (Throwable e) {
                for (Pending p : batch) {
                    p.done.completeExceptionally(e);
                }
            } finally {
                lane.lock.lock();
                try {
                    lane.inFlight--;
                    lane.lastBatch = batch.size();
                    if (lane.gathering > 0) {
                        lane.changed.signalAll();
                    }
                } finally {
                    lane.lock.unlock();
                }
            }
        }
    }

    /**
     * The next batch, or null when the worker is done (nothing queued). While another batch of the lane is in
     * flight (it holds or waits for the level's row lock), a batch sent now could only wait behind it: the
     * worker gathers what queues meanwhile, until as many purchases queue as the last batch carried (the
     * buyers of a batch tend to come back together), or the batch ahead is answered, or {@link #GATHER_NANOS}
     * passed. So one commit carries many purchases even with few buyers, and no batch waits longer than it
     * would have behind the lock anyway.
     */
    private static List<Pending> next(Lane lane) {
        lane.lock.lock();
        try {
            long deadline = 0;
            while (true) {
                int queued = lane.queue.size();
                boolean ahead = lane.inFlight > 0;
                if (queued > 0 && (!ahead || queued >= Math.min(lane.lastBatch, MAX_BATCH))) {
                    break;
                }
                if (!ahead) {
                    lane.running--; // nothing queued, nothing in flight
                    return null;
                }
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + GATHER_NANOS;
                }
                if (now - deadline >= 0) {
                    if (queued > 0) {
                        break;
                    }
                    lane.running--;
                    return null;
                }
                lane.gathering++;
                try {
                    lane.changed.awaitNanos(deadline - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    deadline = now; // stop gathering
                } finally {
                    lane.gathering--;
                }
            }
            List<Pending> batch = new ArrayList<>(Math.min(lane.queue.size(), MAX_BATCH));
            while (batch.size() < MAX_BATCH && !lane.queue.isEmpty()) {
                batch.add(lane.queue.poll());
            }
            lane.inFlight++;
            return batch;
        } finally {
            lane.lock.unlock();
        }
    }

    /** The set-based function met a derived hold id that another hold has: run the batch with flash_purchase. */
    private static final class DerivedIdTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DerivedIdTaken(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /**
     * One batch in the caller's transaction.
     *
     * @param level the level as the transaction locked it, for {@code flash_purchase}; null with setBased
     * @param setBased whether to use {@code flash_purchase_batch}, which locks the level, reads once, decides
     *     in memory, writes one statement per table including the level and its outbox rows, and commits in
     *     the same round trip; rather than {@code flash_purchase} (statement by statement), after which the
     *     level and events are written here and the caller commits
     */
    private List<Outcome> purchaseOnce(Jdbc.Tx tx, FlashSaleSpec spec, StockLevel level, List<Pending> batch,
            boolean setBased) throws SQLException {
        Connection c = tx.connection;
        if (level == null && !setBased) {
            throw new IllegalStateException("flash sale " + spec.saleId() + " has no level " + spec.sku() + "@"
                    + spec.locationId() + " (a bug): rolled back");
        }
        int n = batch.size();
        String[] users = new String[n];
        Long[] quantities = new Long[n];
        Integer[] preferred = new Integer[n];
        String[] rids = new String[n];
        String[] tokens = new String[n];
        Long[] nowNanos = new Long[n];
        String[] nows = new String[n];
        String[] expires = new String[n];
        Boolean[] mayExpire = new Boolean[n];
        UUID[] eventIds = new UUID[n];
        String[] documents = setBased ? new String[n] : null;
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            PurchaseCommand cmd = p.command;
            users[i] = cmd.userId();
            quantities[i] = cmd.quantity();
            preferred[i] = cmd.preferredPool();
            rids[i] = cmd.reservationId().map(ReservationId::value).orElse(null);
            tokens[i] = cmd.tokenId().orElse(null);
            nowNanos[i] = nanos(p.now);
            nows[i] = Rows.iso(p.now);
            Instant expiresAt = Rows.micros(p.now.plus(spec.holdDuration()));
            expires[i] = Rows.iso(expiresAt);
            mayExpire[i] = p.mayExpire;
            eventIds[i] = EventIds.next();
            if (setBased) {
                // the event this purchase gets if it buys; the function sets its version, hold id and quantities
                documents[i] = EventJson.toJson(new InventoryEvent.Reserved(eventIds[i],
                        StockLevel.empty(spec.sku(), spec.locationId(), p.now), p.now,
                        cmd.reservationId().orElse(PLACEHOLDER_ID), cmd.quantity(), expiresAt));
            }
        }
        List<Outcome> outcomes = new ArrayList<>(n);
        List<InventoryEvent> all = new ArrayList<>();
        StockLevel current = level;
        String call = "SELECT " + (setBased ? "*" : "k, outcome, rid, pool, units, status") + " FROM " + t + (setBased
                ? "flash_purchase_batch(?, ?::text[], ?::bigint[], ?::integer[], ?::text[], ?::text[], ?::bigint[],"
                        + " ?::timestamptz[], ?::timestamptz[], ?::boolean[], ?::text[]);\nCOMMIT"
                : "flash_purchase(?, ?::text[], ?::bigint[], ?::integer[], ?::text[], ?::text[], ?::bigint[],"
                        + " ?::timestamptz[], ?::timestamptz[], ?::boolean[])");
        try (PreparedStatement ps = c.prepareStatement(call)) {
            ps.setString(1, spec.saleId());
            ps.setArray(2, Rows.texts(c, users));
            ps.setArray(3, Rows.longs(c, quantities));
            ps.setArray(4, c.createArrayOf("int4", preferred));
            ps.setArray(5, Rows.texts(c, rids));
            ps.setArray(6, Rows.texts(c, tokens));
            ps.setArray(7, Rows.longs(c, nowNanos));
            ps.setArray(8, Rows.texts(c, nows));
            ps.setArray(9, Rows.texts(c, expires));
            ps.setArray(10, Rows.booleans(c, mayExpire));
            if (setBased) {
                ps.setArray(11, Rows.texts(c, documents));
                tx.committingNow();
            }
            ResultSet answer;
            try {
                if (setBased) {
                    ps.execute();
                    answer = ps.getResultSet();
                } else {
                    answer = ps.executeQuery();
                }
            } catch (SQLException e) {
                if (setBased && "23505".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("flash_purchase_batch")) {
                    throw new DerivedIdTaken(e);
                }
                throw e;
            }
            if (setBased) {
                tx.committed();
            }
            try (ResultSet rs = answer) {
                while (rs.next()) {
                    int i = rs.getInt(1) - 1;
                    if (i != outcomes.size()) {
                        throw new IllegalStateException("flash_purchase answered out of order (a bug)");
                    }
                    String kind = rs.getString(2);
                    String rid = rs.getString(3);
                    int pool = rs.getInt(4);
                    long units = rs.getLong(5);
                    String status = rs.getString(6);
                    Reservation hold = null;
                    List<InventoryEvent> events = List.of();
                    if (kind.equals("PURCHASED")) {
                        if (current == null) {
                            current = lockedLevel(rs); // set-based: the level as the function locked it
                        }
                        Pending p = batch.get(i);
                        ReservationLine line = new ReservationLine(spec.sku(), spec.locationId(), p.command.quantity());
                        hold = new Reservation(ReservationId.of(rid), List.of(line), Optional.empty(),
                                Optional.of(p.command.userId()), Optional.empty(), ReservationStatus.ACTIVE, p.now,
                                Rows.micros(p.now.plus(spec.holdDuration())), p.now);
                        current = checked(current.touched(p.now));
                        events = List.of(new InventoryEvent.Reserved(eventIds[i], current, p.now, hold.id(),
                                line.quantity(), hold.expiresAt()));
                        all.addAll(events);
                    }
                    outcomes.add(new Outcome(kind, rid, pool, units, status, hold, events));
                }
            }
        }
        if (outcomes.size() != n) {
            throw new IllegalStateException("flash_purchase answered " + outcomes.size() + " of " + n + " (a bug)");
        }
        if (setBased) {
            return outcomes; // written by the function, committed in its round trip
        }
        if (all.isEmpty()) {
            tx.rollbackOnly(); // nothing was taken: nothing to keep
        } else {
            WriteSet writes = new WriteSet();
            writes.level(current, level.version());
            writes.events(all);
            writes.execute(c, sql);
        }
        return outcomes;
    }

    /** The level columns (l_*) of a row of flash_purchase_batch: the level as it locked it. */
    private static StockLevel lockedLevel(ResultSet rs) throws SQLException {
        return new StockLevel(Sku.of(rs.getString(7)), LocationId.of(rs.getString(8)), rs.getLong(9), rs.getLong(10),
                rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16),
                rs.getLong(17), rs.getBoolean(18), rs.getBoolean(19), rs.getLong(20), Rows.instant(rs, 21));
    }

    // ------------------------------------------------------------------ token bucket

    @Override
    public Duration acquire(Sku sku, RateLimit limit, long permits, Instant now) {
        require("sku", sku);
        require("limit", limit);
        require("now", now);
        if (permits < 1 || permits > limit.burst()) {
            throw new IllegalArgumentException("permits must be between 1 and " + limit.burst() + ", was " + permits);
        }
        long nowMicros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        long wait = jdbc.read("token bucket of " + sku, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + t + "flash_acquire(?, ?, ?, ?, ?)")) {
                ps.setString(1, sku.value());
                ps.setLong(2, nowMicros);
                ps.setLong(3, permits);
                ps.setLong(4, limit.emissionIntervalMicros());
                ps.setLong(5, limit.burst());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return Duration.ofNanos(Math.multiplyExact(wait, 1_000L));
    }

    // ------------------------------------------------------------------ lottery

    @Override
    public LotteryEntry enter(String saleId, String userId, double score, Instant now) {
        require("saleId", saleId);
        require("userId", userId);
        require("now", now);
        return jdbc.inTransaction("lottery entry of " + userId, true, tx -> {
            Connection c = tx.connection;
            // a share lock: entries go in side by side, a draw or a close (which update the sale row) waits for them
            String status;
            long endsNs;
            try (PreparedStatement ps = c.prepareStatement("SELECT status, ends_ns FROM " + t + "flash_sales"
                    + " WHERE sale_id = ? FOR SHARE")) {
                ps.setString(1, saleId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        tx.rollbackOnly();
                        return LotteryEntry.of(userId, LotteryEntry.State.CLOSED);
                    }
                    status = rs.getString(1);
                    endsNs = rs.getLong(2);
                }
            }
            boolean open = status.equals("O") && nanos(now) < endsNs;
            if (open) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + "flash_entries"
                        + " (sale_id, user_id, score, state) VALUES (?, ?, ?, 'W') ON CONFLICT (sale_id, user_id) DO NOTHING")) {
                    ps.setString(1, saleId);
                    ps.setString(2, userId);
                    ps.setDouble(3, score);
                    ps.executeUpdate();
                }
            }
            LotteryEntry entry = readEntry(c, saleId, userId);
            return entry.state() == LotteryEntry.State.NOT_ENTERED ? LotteryEntry.of(userId, LotteryEntry.State.CLOSED)
                    : entry;
        });
    }

    @Override
    public LotteryEntry entry(String saleId, String userId) {
        require("saleId", saleId);
        require("userId", userId);
        return jdbc.read("lottery entry of " + userId, c -> readEntry(c, saleId, userId));
    }

    /** The user's entry in one statement (one snapshot). */
    private LotteryEntry readEntry(Connection c, String saleId, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT s.status, e.state, e.token_id, e.expires_ns,"
                + " (SELECT count(*) FROM " + t + "flash_entries AS w WHERE w.sale_id = s.sale_id AND w.state = 'W'"
                + "   AND (w.score, w.user_id) < (e.score, e.user_id))"
                + " FROM " + t + "flash_sales AS s LEFT JOIN " + t + "flash_entries AS e"
                + "   ON e.sale_id = s.sale_id AND e.user_id = ?"
                + " WHERE s.sale_id = ?")) {
            ps.setString(1, userId);
            ps.setString(2, saleId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return LotteryEntry.of(userId, LotteryEntry.State.CLOSED);
                }
                String state = rs.getString(2);
                if (state == null) {
                    return LotteryEntry.of(userId, rs.getString(1).equals("O")
                            ? LotteryEntry.State.NOT_ENTERED
                            : LotteryEntry.State.CLOSED);
                }
                switch (state) {
                    case "W":
                        return LotteryEntry.waiting(userId, rs.getLong(5) + 1);
                    case "T":
                        return LotteryEntry.won(userId, rs.getString(3), instant(rs.getLong(4)));
                    default:
                        return LotteryEntry.of(userId, LotteryEntry.State.LOST);
                }
            }
        }
    }

    @Override
    public LotteryDraw draw(String saleId, List<String> tokenIds, Instant tokenExpiresAt, Instant now) {
        require("saleId", saleId);
        require("tokenIds", tokenIds);
        require("tokenExpiresAt", tokenExpiresAt);
        require("now", now);
        return jdbc.inTransaction("lottery draw of " + saleId, true, tx -> {
            Connection c = tx.connection;
            Optional<FlashSaleState> sale = readSale(c, saleId, true);
            if (sale.isEmpty() || sale.get().status().isClosed() || !sale.get().spec().isWithinWindow(now)) {
                tx.rollbackOnly();
                return new LotteryDraw(List.of(), false);
            }
            long outstanding;
            try (PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM " + t + "flash_outstanding_tokens"
                    + " WHERE sale_id = ? AND expires_ns <= ? RETURNING 1)"
                    + " SELECT (SELECT count(*) FROM " + t + "flash_outstanding_tokens WHERE sale_id = ?)"
                    + " - (SELECT count(*) FROM gone)")) {
                ps.setString(1, saleId);
                ps.setLong(2, nanos(now));
                ps.setString(3, saleId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    outstanding = rs.getLong(1);
                }
            }
            long unpromised = Math.max(0, sale.get().held() - outstanding);
            long n = Math.min(tokenIds.size(), unpromised);
            List<String> winners = new ArrayList<>();
            if (n > 0) {
                try (PreparedStatement ps = c.prepareStatement("SELECT user_id FROM " + t + "flash_entries"
                        + " WHERE sale_id = ? AND state = 'W' ORDER BY score, user_id LIMIT ?")) {
                    ps.setString(1, saleId);
                    ps.setLong(2, n);
                    winners = strings(ps);
                }
            }
            List<LotteryEntry> out = new ArrayList<>(winners.size());
            if (!winners.isEmpty()) {
                String[] tokens = tokenIds.subList(0, winners.size()).toArray(new String[0]);
                long expiresNs = nanos(tokenExpiresAt);
                try (PreparedStatement ps = c.prepareStatement("WITH won AS (UPDATE " + t + "flash_entries AS e"
                        + " SET state = 'T', token_id = u.token_id, expires_ns = ?"
                        + " FROM unnest(?::text[], ?::text[]) AS u (user_id, token_id)"
                        + " WHERE e.sale_id = ? AND e.user_id = u.user_id RETURNING 1)"
                        + " INSERT INTO " + t + "flash_outstanding_tokens (sale_id, token_id, expires_ns)"
                        + " SELECT ?, u.token_id, ? FROM unnest(?::text[]) AS u (token_id)")) {
                    ps.setLong(1, expiresNs);
                    ps.setArray(2, Rows.texts(c, winners.toArray(new String[0])));
                    ps.setArray(3, Rows.texts(c, tokens));
                    ps.setString(4, saleId);
                    ps.setString(5, saleId);
                    ps.setLong(6, expiresNs);
                    ps.setArray(7, Rows.texts(c, tokens));
                    ps.executeUpdate();
                }
                for (int i = 0; i < winners.size(); i++) {
                    out.add(LotteryEntry.won(winners.get(i), tokens[i], tokenExpiresAt));
                }
            }
            return new LotteryDraw(out, true);
        });
    }

    @Override
    public List<String> dropWaiting(String saleId, int limit) {
        require("saleId", saleId);
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.inTransaction("lottery losers of " + saleId, true, tx -> {
            Connection c = tx.connection;
            String status = lockSaleStatus(c, saleId);
            if (status == null || status.equals("O")) {
                tx.rollbackOnly();
                return List.<String>of();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + "flash_entries AS e SET state = 'L'"
                    + " FROM (SELECT user_id, score FROM " + t + "flash_entries WHERE sale_id = ? AND state = 'W'"
                    + "       ORDER BY score, user_id LIMIT ?) AS l"
                    + " WHERE e.sale_id = ? AND e.user_id = l.user_id"
                    + " RETURNING e.user_id, l.score")) {
                ps.setString(1, saleId);
                ps.setInt(2, limit);
                ps.setString(3, saleId);
                List<Object[]> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getString(1), rs.getDouble(2)});
                    }
                }
                rows.sort((a, b) -> {
                    int byScore = Double.compare((Double) a[1], (Double) b[1]);
                    return byScore != 0 ? byScore : ((String) a[0]).compareTo((String) b[0]);
                });
                List<String> losers = new ArrayList<>(rows.size());
                for (Object[] row : rows) {
                    losers.add((String) row[0]);
                }
                return losers;
            }
        });
    }

    // ------------------------------------------------------------------ internals

    /** The spec of a sale (immutable, so cached once read). */
    private Optional<FlashSaleSpec> spec(String saleId) {
        FlashSaleSpec known = specs.get(saleId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<FlashSaleSpec> loaded = sale(saleId).map(FlashSaleState::spec);
        loaded.ifPresent(s -> specs.putIfAbsent(saleId, s));
        return loaded;
    }

    private String lockSaleStatus(Connection c, String saleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM " + t + "flash_sales WHERE sale_id = ?"
                + " FOR UPDATE")) {
            ps.setString(1, saleId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private Optional<FlashSaleState> readSale(Connection c, String saleId, boolean forUpdate) throws SQLException {
        String query = "SELECT " + SALE_COLUMNS + ", ARRAY(SELECT p.remaining FROM " + t + "flash_sale_pools AS p"
                + " WHERE p.sale_id = s.sale_id ORDER BY p.pool)"
                + " FROM " + t + "flash_sales AS s WHERE s.sale_id = ?" + (forUpdate ? " FOR UPDATE OF s" : "");
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, saleId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                FlashSaleSpec spec = new FlashSaleSpec(rs.getString(1), Sku.of(rs.getString(2)),
                        LocationId.of(rs.getString(3)), rs.getLong(4), rs.getInt(5), instant(rs.getLong(6)),
                        instant(rs.getLong(7)), rs.getLong(8), Duration.ofNanos(rs.getLong(9)),
                        rateLimit(rs), lottery(rs));
                List<Long> pools = new ArrayList<>(spec.pools());
                Array array = rs.getArray(22);
                for (Object o : (Object[]) array.getArray()) {
                    pools.add(((Number) o).longValue());
                }
                return Optional.of(new FlashSaleState(spec, status(rs.getString(17)), pools, rs.getLong(18),
                        rs.getLong(19), rs.getLong(20), rs.getLong(21)));
            }
        }
    }

    private static Optional<RateLimit> rateLimit(ResultSet rs) throws SQLException {
        long permits = rs.getLong(10);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(new RateLimit(permits, Duration.ofNanos(rs.getLong(11)), rs.getLong(12)));
    }

    private static Optional<LotterySpec> lottery(ResultSet rs) throws SQLException {
        int batch = rs.getInt(13);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(new LotterySpec(batch, Duration.ofNanos(rs.getLong(14)), Duration.ofNanos(rs.getLong(15)),
                Duration.ofNanos(rs.getLong(16))));
    }

    private static SaleStatus status(String code) {
        switch (code) {
            case "O":
                return SaleStatus.OPEN;
            case "E":
                return SaleStatus.ENDED;
            case "C":
                return SaleStatus.CANCELLED;
            case "S":
                return SaleStatus.SCHEDULED;
            default:
                throw new IllegalStateException("unknown sale status " + code + " (a bug)");
        }
    }

    private StockLevel lockLevel(Connection c, Sku sku, LocationId locationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("lock_level"))) {
            ps.setString(1, sku.value());
            ps.setString(2, locationId.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.level(rs) : null;
            }
        }
    }

    private List<ReservationId> dueOnLevel(Connection c, Sku sku, LocationId locationId, Instant now)
            throws SQLException {
        List<ReservationId> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.get("due_on_levels"))) {
            ps.setArray(1, Rows.texts(c, new String[] {sku.value()}));
            ps.setArray(2, Rows.texts(c, new String[] {locationId.value()}));
            Rows.setInstant(ps, 3, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(ReservationId.of(rs.getString(1)));
                }
            }
        }
        return due;
    }

    private static List<String> strings(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void setLong(PreparedStatement ps, int index, Optional<Long> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.get());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    /** Epoch nanoseconds: exact, so an instant read back equals the one written (until the year 2262). */
    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    private static StockLevel checked(StockLevel level) {
        if (!level.isConsistent()) {
            throw new IllegalStateException("invariant violated, change refused: " + level);
        }
        return level;
    }

    private static <T> T require(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    /**
     * Builds a {@link PostgresFlashSaleStore}: either on a {@link #store PostgresInventoryStore} (its
     * connections and schema), or on a {@link #dataSource} with the {@link #schema} and
     * {@link #tablePrefix} of the inventory tables. The data source is never closed by the store.
     */
    public static final class Builder {
        private PostgresInventoryStore store;
        private DataSource dataSource;
        private JdbcConfig config = JdbcConfig.defaults();

        private Builder() {
        }

        /** Works on this inventory store's tables and connections. */
        public Builder store(PostgresInventoryStore store) {
            this.store = require("store", store);
            return this;
        }

        /** Works on the tables reached through this data source (never closed by the store). */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = require("dataSource", dataSource);
            return this;
        }

        /** The schema of the inventory tables, with {@link #dataSource}; default {@code inventory}. */
        public Builder schema(String schema) {
            this.config = new JdbcConfig(schema, config.tablePrefix(), config.migrateOnStart());
            return this;
        }

        /** The table prefix of the inventory tables, with {@link #dataSource}; default none. */
        public Builder tablePrefix(String tablePrefix) {
            this.config = new JdbcConfig(config.schema(), tablePrefix, config.migrateOnStart());
            return this;
        }

        /** Whether {@link #build()} migrates the schema, with {@link #dataSource}; default true. */
        public Builder migrateOnStart(boolean migrateOnStart) {
            this.config = new JdbcConfig(config.schema(), config.tablePrefix(), migrateOnStart);
            return this;
        }

        /**
         * Builds the store.
         *
         * @throws IllegalArgumentException when neither or both of store and dataSource are set
         */
        public PostgresFlashSaleStore build() {
            if ((store == null) == (dataSource == null)) {
                throw new IllegalArgumentException("exactly one of store and dataSource must be set, was "
                        + (store == null ? "neither" : "both"));
            }
            if (store != null) {
                return new PostgresFlashSaleStore(store);
            }
            // a view of the same tables on the host's data source, for the holds' transitions; owns no pool
            return new PostgresFlashSaleStore(PostgresInventoryStore.builder().dataSource(dataSource).config(config)
                    .build());
        }
    }
}
