package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.flashsale.FlashSaleSpec;
import dev.inventory.core.flashsale.FlashSaleState;
import dev.inventory.core.flashsale.FlashSales;
import dev.inventory.core.event.EventJson;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.flashsale.PurchaseCommand;
import dev.inventory.core.flashsale.PurchaseResult;
import dev.inventory.core.flashsale.SaleStart;
import dev.inventory.core.spi.StoreResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the shared contract does not cover: several instances on one schema, the slow path, the builder. */
class PostgresFlashSaleStoreTest {
    private static final byte[] KEY = "postgres-flash-sale-test-signing-key-0123".getBytes(StandardCharsets.UTF_8);
    private static final Sku SKU = Sku.of("HOT-1");
    private static final LocationId WH = LocationId.of("WH1");

    private String schema;
    private PostgresInventoryStore store;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void setUp() {
        schema = TestPostgres.newSchema();
        store = TestPostgres.newStore(schema);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (AutoCloseable c : closing) {
                c.close();
            }
            store.close();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    private Inventory inventory(PostgresInventoryStore on) {
        Inventory inventory = Inventory.builder().store(on).withoutSweeper().build();
        closing.add(inventory);
        return inventory;
    }

    private static FlashSaleSpec spec(String saleId, long quantity, int pools, Instant now) {
        return FlashSaleSpec.builder(saleId, SKU, WH).quantity(quantity).pools(pools).perUserLimit(1)
                .startsAt(now).endsAt(now.plus(Duration.ofHours(1))).holdDuration(Duration.ofMinutes(5)).build();
    }

    @Test
    void tenThousandBuyersThroughTwoInstancesSellExactlyOneHundredUnits() throws Exception {
        Inventory first = inventory(store);
        PostgresInventoryStore secondStore = PostgresInventoryStore.builder().dataSource(TestPostgres.dataSource())
                .schema(schema).build();
        closing.add(secondStore);
        Inventory second = inventory(secondStore);
        FlashSales a = FlashSales.builder(first).store(PostgresFlashSaleStore.on(store)).signingKey(KEY).build();
        FlashSales b = FlashSales.builder(second).signingKey(KEY)
                .store(PostgresFlashSaleStore.builder().dataSource(TestPostgres.dataSource()).schema(schema).build())
                .build();
        first.stock().receive(SKU, WH, 150);
        a.start(spec("drop", 100, 16, first.clock().instant()));

        int buyers = 10_000;
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<PurchaseResult>> futures = new ArrayList<>(buyers);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < buyers; i++) {
                FlashSales via = i % 2 == 0 ? a : b;
                String user = "user-" + i;
                futures.add(threads.submit(() -> {
                    gate.await();
                    return via.purchase("drop", user, 1);
                }));
            }
            gate.countDown();
        }
        List<PurchaseResult> results = new ArrayList<>();
        for (Future<PurchaseResult> f : futures) {
            results.add(f.get());
        }

        List<PurchaseResult.Purchased> sold = results.stream().filter(PurchaseResult::isPurchased)
                .map(PurchaseResult.Purchased.class::cast).toList();
        assertThat(sold).hasSize(100);
        assertThat(results).allMatch(r -> r.isPurchased() || r instanceof PurchaseResult.SoldOut);
        assertThat(sold.stream().map(p -> p.hold().id()).distinct()).hasSize(100);
        FlashSaleState state = a.sale("drop").orElseThrow();
        assertThat(state.sold()).isEqualTo(100);
        assertThat(state.held()).isZero();
        assertThat(state.pools()).allMatch(p -> p == 0);
        StockLevel level = first.level(SKU, WH).orElseThrow();
        assertThat(level.reserved()).isEqualTo(100);
        assertThat(level.available()).isEqualTo(50);
        assertThat(level.version()).as("receive, start, one version per purchase").isEqualTo(102);
        assertThat(TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".flash_purchases WHERE live")).isEqualTo(100);
        assertThat(TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".outbox")).isEqualTo(102);
    }

    @Test
    void batchedPurchasesWriteTheEventsTheyAnswerToTheOutboxAndOneVersionEach() throws Exception {
        Inventory inventory = inventory(store);
        PostgresFlashSaleStore flash = PostgresFlashSaleStore.on(store);
        inventory.stock().receive(SKU, WH, 100);
        inventory.stock().setThresholds(SKU, WH, 5, 3, 200);
        Instant now = inventory.clock().instant();
        FlashSaleSpec spec = FlashSaleSpec.builder("ev", SKU, WH).quantity(40).pools(4).perUserLimit(2)
                .startsAt(now).endsAt(now.plus(Duration.ofHours(1))).holdDuration(Duration.ofMinutes(5)).build();
        assertThat(flash.open(spec, now).value()).isInstanceOf(SaleStart.Started.class);
        long versionAfterStart = inventory.level(SKU, WH).orElseThrow().version();

        List<InventoryEvent> events = new ArrayList<>();
        // concurrent buyers, so that purchases share batches: first purchases (one with the caller's id) ...
        List<StoreResult<PurchaseResult>> first = concurrently(20, i -> new PurchaseCommand("ev", "u" + i, 1, i % 4,
                i == 7 ? Optional.of(ReservationId.of("caller-7")) : Optional.empty(), Optional.empty()), flash);
        assertThat(first).allMatch(r -> r.value().isPurchased());
        first.forEach(r -> events.addAll(r.events()));
        // ... then, on a level no longer sellable (available 0 in the events), second purchases and refusals
        inventory.stock().setFlags(SKU, WH, false, false);
        List<StoreResult<PurchaseResult>> second = concurrently(15, i -> new PurchaseCommand("ev", "u" + (i % 10), 1,
                i % 4, Optional.empty(), Optional.empty()), flash);
        assertThat(second.stream().filter(r -> r.value().isPurchased())).hasSize(10);
        assertThat(second.stream().filter(r -> r.value() instanceof PurchaseResult.LimitReached)).hasSize(5);
        assertThat(second).allMatch(r -> r.value().isPurchased() == !r.events().isEmpty());
        second.forEach(r -> events.addAll(r.events()));

        assertThat(events).hasSize(30).allMatch(e -> e instanceof InventoryEvent.Reserved);
        assertThat(events.stream().map(InventoryEvent::version).distinct()).hasSize(30);
        StockLevel level = inventory.level(SKU, WH).orElseThrow();
        long lastVersion = events.stream().mapToLong(InventoryEvent::version).max().orElseThrow();
        assertThat(lastVersion).isEqualTo(versionAfterStart + 31); // + the flag change
        assertThat(level.version()).isEqualTo(lastVersion);
        assertThat(level.reserved()).isEqualTo(40);
        for (InventoryEvent e : events) {
            InventoryEvent.Reserved r = (InventoryEvent.Reserved) e;
            assertThat(r.level().available()).isEqualTo(r.level().sellable() ? 57 : 0);
            assertThat(TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".outbox WHERE id = ?::uuid"
                    + " AND payload = ?::jsonb AND aggregate_version = ? AND type = ? AND aggregateid = ?"
                    + " AND occurred_at = ?::timestamptz", e.eventId().toString(), EventJson.toJson(e), e.version(),
                    e.type().wireName(), SKU.value() + ":" + WH.value(), e.occurredAt().toString()))
                    .as("outbox row of %s", EventJson.toJson(e)).isEqualTo(1);
        }
        assertThat(events).anyMatch(e -> ((InventoryEvent.Reserved) e).reservationId().value().equals("caller-7"));
        assertThat(events).anyMatch(e -> ((InventoryEvent.Reserved) e).reservationId().value().equals("fs:ev:u3:2"));
        assertThat(TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".outbox WHERE type = 'inventory.reserved'"))
                .as("the start's event and one per purchase").isEqualTo(31);
        // the outbox order is the version order (a change and its crossings share a version)
        assertThat(TestPostgres.queryLong("SELECT count(*) FROM (SELECT aggregate_version, lag(aggregate_version)"
                + " OVER (ORDER BY seq) AS before FROM " + schema + ".outbox) AS o WHERE o.before > o.aggregate_version"))
                .isZero();
    }

    private static List<StoreResult<PurchaseResult>> concurrently(int n, IntFunction<PurchaseCommand> command,
            PostgresFlashSaleStore flash) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<StoreResult<PurchaseResult>>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                PurchaseCommand c = command.apply(i);
                futures.add(threads.submit(() -> {
                    gate.await();
                    return flash.purchase(c, Instant.now());
                }));
            }
            gate.countDown();
        }
        List<StoreResult<PurchaseResult>> out = new ArrayList<>();
        for (Future<StoreResult<PurchaseResult>> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    @Test
    void aDerivedIdThatAnotherHoldHasIsAnIdConflictAndTakesNothing() {
        Inventory inventory = inventory(store);
        FlashSales sales = FlashSales.builder(inventory).store(PostgresFlashSaleStore.on(store)).signingKey(KEY).build();
        inventory.stock().receive(SKU, WH, 10);
        sales.start(spec("s", 5, 2, inventory.clock().instant()));
        assertThat(inventory.reservations().reserve(ReservationRequest.builder("fs:s:alice:1").line(SKU, WH, 1)
                .userId("someone").build()).isSuccess()).isTrue();

        assertThat(sales.purchase("s", "alice", 1)).isEqualTo(new PurchaseResult.IdConflict(ReservationId.of("fs:s:alice:1")));
        assertThat(sales.sale("s").orElseThrow().held()).isEqualTo(5);
        assertThat(sales.purchase("s", "bob", 1).isPurchased()).isTrue();
        FlashSaleState state = sales.sale("s").orElseThrow();
        assertThat(state.held()).isEqualTo(4);
        assertThat(state.sold()).isEqualTo(1);
        assertThat(sales.bought("s", "alice")).isZero();
        assertThat(inventory.level(SKU, WH).orElseThrow().reserved()).isEqualTo(6);
    }

    @Test
    void theBuilderNeedsExactlyOneOfStoreAndDataSource() {
        assertThatThrownBy(() -> PostgresFlashSaleStore.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither");
        assertThatThrownBy(() -> PostgresFlashSaleStore.builder().store(store).dataSource(TestPostgres.dataSource())
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
        assertThat(PostgresFlashSaleStore.on(store).config()).isEqualTo(store.config());
    }
}
