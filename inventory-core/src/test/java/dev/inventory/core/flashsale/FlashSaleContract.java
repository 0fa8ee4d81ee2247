package dev.inventory.core.flashsale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.contract.Invariants;
import dev.inventory.core.contract.StoreFixture;
import dev.inventory.core.contract.ThreadMode;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.InventoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every {@link FlashSaleStore} must pass, with the {@link
 * dev.inventory.core.spi.InventoryStore} it works on: extend it, implement {@link #createStore()}
 * and {@link #createFlashSaleStore(InventoryStore)} (and the destroy hooks if closing is not
 * enough), nothing else.
 *
 * <p>It holds the carve-out of a sale in the quantity model, 10,000 concurrent buyers for 100
 * units, the per-user limit under concurrent requests, pools and neighbour fallback, holds that
 * expire or are released going back to the pool, closing a sale, the token bucket, and the lottery
 * with its signed tokens. After each test it checks invariants I1-I6 with the open sales' pools
 * counted in {@code reserved}, then closes every sale, checks each sale's accounting and checks
 * I1-I6 again.
 */
public abstract class FlashSaleContract extends StoreFixture {

    /** The signing key of the tests' purchase tokens. */
    protected static final byte[] KEY = "flash-sale-contract-signing-key-0123456789".getBytes(StandardCharsets.UTF_8);

    /** A flash-sale store working on {@code store} (made by {@link #createStore()}). */
    protected abstract FlashSaleStore createFlashSaleStore(InventoryStore store) throws Exception;

    /** Disposes of a store made by {@link #createFlashSaleStore}; by default nothing. */
    protected void destroyFlashSaleStore(FlashSaleStore flashSaleStore) throws Exception {
    }

    protected FlashSaleStore flashStore;
    protected FlashSales flash;
    protected final List<PurchaseToken> won = new CopyOnWriteArrayList<>();
    protected final List<String> lost = new CopyOnWriteArrayList<>();
    private final Set<String> saleIds = ConcurrentHashMap.newKeySet();
    private String salePrefix;

    @BeforeEach
    protected void setUpFlashSales() throws Exception {
        flashStore = createFlashSaleStore(store);
        flash = FlashSales.builder(inventory).store(flashStore).signingKey(KEY).notifier(new FlashSaleNotifier() {
            @Override
            public void won(PurchaseToken token) {
                won.add(token);
            }

            @Override
            public void lost(String saleId, String userId) {
                lost.add(userId);
            }
        }).build();
        salePrefix = "f" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @AfterEach
    @Override
    protected void tearDownStore() throws Exception {
        try {
            Invariants.check(store, skus, holds, events, this::heldBySales);
            for (String id : saleIds) {
                flash.end(id);
                FlashSaleState s = flash.sale(id).orElseThrow();
                assertThat(s.held()).as("held of closed sale %s", id).isZero();
                assertThat(s.pools()).as("pools of closed sale %s", id).allMatch(p -> p == 0);
                assertThat(s.held() + s.sold() + s.returned()).as("quantity = held + sold + returned of %s", id)
                        .isEqualTo(s.spec().quantity());
            }
        } finally {
            try {
                destroyFlashSaleStore(flashStore);
            } finally {
                super.tearDownStore();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** What the open sales started by this test hold at {@code level}. */
    protected long heldBySales(StockLevel level) {
        long sum = 0;
        for (String id : saleIds) {
            FlashSaleState s = flash.sale(id).orElseThrow();
            if (s.spec().sku().equals(level.sku()) && s.spec().locationId().equals(level.locationId())) {
                assertThat(s.held()).as("held = sum of pools of %s", id)
                        .isEqualTo(s.pools().stream().mapToLong(Long::longValue).sum());
                assertThat(s.held() + s.sold() + s.returned()).as("quantity = held + sold + returned of %s", id)
                        .isEqualTo(s.spec().quantity());
                sum += s.held();
            }
        }
        return sum;
    }

    protected String saleId(String name) {
        String id = salePrefix + name;
        saleIds.add(id);
        return id;
    }

    /** A sale of {@code quantity} units of {@code sku} at WH1, open now for an hour, 2 min holds. */
    protected FlashSaleSpec.Builder spec(String name, Sku sku, long quantity) {
        return FlashSaleSpec.builder(saleId(name), sku, loc("WH1")).quantity(quantity).startsAt(clock.instant())
                .endsAt(clock.instant().plus(Duration.ofHours(1))).holdDuration(Duration.ofMinutes(2));
    }

    protected String start(FlashSaleSpec spec) {
        assertThat(flash.start(spec)).isInstanceOf(SaleStart.Started.class);
        return spec.saleId();
    }

    protected PurchaseResult buy(String saleId, String userId, long quantity) {
        return record(flash.purchase(saleId, userId, quantity));
    }

    protected PurchaseResult record(PurchaseResult result) {
        result.reservation().ifPresent(r -> holds.add(r.id()));
        return result;
    }

    protected PurchaseResult.Purchased bought(PurchaseResult result) {
        assertThat(result).isInstanceOf(PurchaseResult.Purchased.class);
        return (PurchaseResult.Purchased) result;
    }

    protected FlashSaleState state(String saleId) {
        return flash.sale(saleId).orElseThrow();
    }

    protected static long sum(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }

    /** {@code count} user ids whose preferred pool among {@code pools} is {@code pool}. */
    protected static List<String> usersPreferring(int pool, int pools, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < count; i++) {
            if (FlashSales.preferredPool("n-" + i, pools) == pool) {
                out.add("n-" + i);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ the carve-out

    @Test
    void startCarvesTheQuantityOutOfAvailableStockIntoPools() {
        Sku a = sku("A");
        receive(a, "WH1", 100);
        long version = level(a, "WH1").version();
        String id = start(spec("s", a, 70).pools(8).build());

        assertQuantities(level(a, "WH1"), 100, 0, 70, 0, 30);
        assertThat(level(a, "WH1").version()).isEqualTo(version + 1);
        InventoryEvent.Reserved event = (InventoryEvent.Reserved) eventsOf(EventType.RESERVED).get(0);
        assertThat(event.reservationId().value()).isEqualTo("fs:" + id);
        assertThat(event.quantity()).isEqualTo(70);
        FlashSaleState s = state(id);
        assertThat(s.status()).isEqualTo(SaleStatus.OPEN);
        assertThat(s.pools()).containsExactly(9L, 9L, 9L, 9L, 9L, 9L, 8L, 8L);
        assertThat(s.held()).isEqualTo(70);
        assertThat(s.sold()).isZero();

        // normal shoppers see only what the sale did not take
        var tooMuch = reserve(rid("n1"), a, "WH1", 31);
        assertThat(tooMuch).isInstanceOf(ReservationResult.InsufficientStock.class);
        assertThat(((ReservationResult.InsufficientStock) tooMuch).available()).isEqualTo(30);
        assertThat(reserve(rid("n2"), a, "WH1", 30).isSuccess()).isTrue();
        assertQuantities(level(a, "WH1"), 100, 0, 100, 0, 0);
    }

    @Test
    void startIsIdempotentAndRefusesAConflictOrMoreThanIsAvailable() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        FlashSaleSpec spec = spec("s", a, 8).build();
        assertThat(flash.start(spec)).isInstanceOf(SaleStart.Started.class);
        assertThat(flash.start(spec)).isInstanceOf(SaleStart.Replayed.class);
        assertThat(flash.start(spec("s", a, 7).build())).isInstanceOf(SaleStart.IdConflict.class);
        assertQuantities(level(a, "WH1"), 10, 0, 8, 0, 2);

        FlashSaleSpec tooBig = spec("t", a, 3).build();
        saleIds.remove(tooBig.saleId());
        assertThat(flash.start(tooBig)).isEqualTo(new SaleStart.InsufficientStock(2));
        assertThat(flash.sale(tooBig.saleId())).isEmpty();
        assertQuantities(level(a, "WH1"), 10, 0, 8, 0, 2);
    }

    @Test
    void startExpiresDueHoldsOfTheLevelWhenShort() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        assertThat(reserve(rid("n1"), a, "WH1", 8).isSuccess()).isTrue();
        clock.advance(HOLD.plusSeconds(1));
        start(spec("s", a, 5).build());
        assertThat(inventory.reservations().find(rid("n1")).orElseThrow().status()).isEqualTo(ReservationStatus.EXPIRED);
        assertQuantities(level(a, "WH1"), 10, 0, 5, 0, 5);
    }

    // ------------------------------------------------------------------ selling

    @Test
    void tenThousandVirtualThreadBuyersForOneHundredUnitsSellExactlyOneHundred() throws Exception {
        Sku a = sku("A");
        receive(a, "WH1", 150);
        String id = start(spec("s", a, 100).pools(8).perUserLimit(1).build());

        List<PurchaseResult> results = race(ThreadMode.VIRTUAL, 10_000, i -> record(flash.purchase(id, "user-" + i, 1)));

        List<PurchaseResult.Purchased> sold = results.stream().filter(PurchaseResult::isPurchased)
                .map(PurchaseResult.Purchased.class::cast).toList();
        assertThat(sold).hasSize(100);
        assertThat(results).allMatch(r -> r.isPurchased() || r instanceof PurchaseResult.SoldOut);
        assertThat(sold.stream().map(p -> p.hold().id()).distinct()).hasSize(100);
        assertThat(sold.stream().map(p -> p.hold().userId().orElseThrow()).distinct()).hasSize(100);
        assertThat(sold).allSatisfy(p -> {
            assertThat(p.hold().status()).isEqualTo(ReservationStatus.ACTIVE);
            assertThat(p.hold().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
            assertThat(p.hold().lines()).singleElement().satisfies(l -> assertThat(l.quantity()).isEqualTo(1));
        });
        FlashSaleState s = state(id);
        assertThat(s.held()).isZero();
        assertThat(s.sold()).isEqualTo(100);
        assertThat(s.purchases()).isEqualTo(100);
        assertThat(s.pools()).allMatch(p -> p == 0);
        assertQuantities(level(a, "WH1"), 150, 0, 100, 0, 50);
        assertThat(eventsOf(EventType.RESERVED)).hasSize(101);
        assertThat(reserve(rid("n1"), a, "WH1", 50).isSuccess()).isTrue();
        assertThat(reserve(rid("n2"), a, "WH1", 1)).isInstanceOf(ReservationResult.InsufficientStock.class);
    }

    @ParameterizedTest
    @EnumSource(ThreadMode.class)
    void noUserExceedsTheLimitUnderConcurrentRequests(ThreadMode mode) throws Exception {
        Sku a = sku("A");
        receive(a, "WH1", 1_000);
        String id = start(spec("s", a, 1_000).pools(4).perUserLimit(3).build());

        // 16 users, 16 concurrent requests each, for 1 or 2 units
        List<PurchaseResult> results = race(mode, 256, i -> record(flash.purchase(id, "u" + (i % 16), 1 + (i / 16) % 2)));

        Map<String, Long> units = new HashMap<>();
        for (PurchaseResult r : results) {
            if (r instanceof PurchaseResult.Purchased p) {
                units.merge(p.hold().userId().orElseThrow(), p.hold().totalQuantity(), Long::sum);
            } else {
                assertThat(r).isInstanceOfSatisfying(PurchaseResult.LimitReached.class,
                        l -> assertThat(l.limit()).isEqualTo(3));
            }
        }
        assertThat(units).hasSize(16).allSatisfy((user, n) -> {
            assertThat(n).as("units of %s", user).isEqualTo(3);
            assertThat(flash.bought(id, user)).isEqualTo(3);
        });
        assertThat(state(id).sold()).isEqualTo(48);
        assertQuantities(level(a, "WH1"), 1_000, 0, 1_000, 0, 0);
    }

    @Test
    void theLimitCountsHeldUnitsAndAReturnedHoldFreesThem() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        String id = start(spec("s", a, 10).perUserLimit(2).build());

        PurchaseResult.Purchased first = bought(buy(id, "alice", 2));
        assertThat(first.hold().id().value()).isEqualTo("fs:" + id + ":alice:1");
        assertThat(buy(id, "alice", 1)).isEqualTo(new PurchaseResult.LimitReached(id, "alice", 2, 2));
        assertThat(buy(id, "bob", 3)).isEqualTo(new PurchaseResult.LimitReached(id, "bob", 0, 2));

        assertThat(inventory.reservations().release(first.hold().id()).isSuccess()).isTrue();
        assertThat(flash.bought(id, "alice")).isZero();
        PurchaseResult.Purchased second = bought(buy(id, "alice", 1));
        assertThat(second.hold().id().value()).isEqualTo("fs:" + id + ":alice:2");
        assertThat(flash.bought(id, "alice")).isEqualTo(1);
    }

    @Test
    void aPurchaseWithTheCallersIdIsIdempotent() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        String id = start(spec("s", a, 5).perUserLimit(2).build());
        ReservationId hold = rid("p1");

        PurchaseResult.Purchased first = bought(flash.purchase(id, "alice", 1, hold));
        assertThat(first.replayed()).isFalse();
        PurchaseResult.Purchased again = bought(flash.purchase(id, "alice", 1, hold));
        assertThat(again.replayed()).isTrue();
        assertThat(again.hold().id()).isEqualTo(hold);
        assertThat(state(id).sold()).isEqualTo(1);
        assertThat(flash.purchase(id, "bob", 1, hold)).isEqualTo(new PurchaseResult.IdConflict(hold));
        assertThat(flash.purchase(id, "alice", 2, hold)).isEqualTo(new PurchaseResult.IdConflict(hold));
        assertThat(state(id).sold()).isEqualTo(1);
        assertQuantities(level(a, "WH1"), 10, 0, 5, 0, 5);
    }

    @Test
    void aSaleSellsOnlyWithinItsWindow() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        Instant opening = clock.instant().plus(Duration.ofMinutes(10));
        String id = start(spec("s", a, 6).startsAt(opening).endsAt(opening.plus(Duration.ofMinutes(30))).build());
        assertQuantities(level(a, "WH1"), 10, 0, 6, 0, 4);
        assertThat(state(id).statusAt(clock.instant())).isEqualTo(SaleStatus.SCHEDULED);

        assertThat(buy(id, "u1", 1)).isEqualTo(new PurchaseResult.NotActive(id, SaleStatus.SCHEDULED));
        assertThat(buy("nosuchsale", "u1", 1)).isEqualTo(new PurchaseResult.UnknownSale("nosuchsale"));
        clock.set(opening);
        bought(buy(id, "u1", 1));

        clock.advance(Duration.ofMinutes(30));
        assertThat(buy(id, "u2", 1)).isEqualTo(new PurchaseResult.NotActive(id, SaleStatus.ENDED));
        FlashSaleState s = state(id);
        assertThat(s.status()).as("closed by the first purchase after its end").isEqualTo(SaleStatus.ENDED);
        assertThat(s.returned()).isEqualTo(5);
        assertQuantities(level(a, "WH1"), 10, 0, 1, 0, 9);
    }

    // ------------------------------------------------------------------ pools

    @Test
    void poolsDrainEvenly() {
        Sku a = sku("A");
        receive(a, "WH1", 1_000);
        String id = start(spec("s", a, 1_000).pools(10).build());

        for (int i = 0; i < 500; i++) {
            PurchaseResult.Purchased p = bought(buy(id, "user-" + i, 1));
            assertThat(p.pool()).as("served by the preferred pool while it has stock")
                    .isEqualTo(FlashSales.preferredPool("user-" + i, 10));
        }
        List<Long> soldPerPool = state(id).pools().stream().map(left -> 100 - left).toList();
        assertThat(sum(soldPerPool)).isEqualTo(500);
        // 500 buyers over 10 pools: 50 expected per pool, sd about 6.7
        assertThat(soldPerPool).as("units sold per pool").allSatisfy(n -> assertThat(n).isBetween(30L, 70L));
        assertThat(soldPerPool.stream().mapToLong(Long::longValue).max().orElseThrow()
                - soldPerPool.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThanOrEqualTo(35);
    }

    @Test
    void neighbourFallbackFindsTheLastUnits() {
        Sku a = sku("A");
        receive(a, "WH1", 7);
        String id = start(spec("s", a, 4).pools(4).build());
        List<String> users = usersPreferring(0, 4, 5);

        List<Integer> served = new ArrayList<>();
        for (String user : users.subList(0, 4)) {
            served.add(bought(buy(id, user, 1)).pool());
        }
        assertThat(served).as("preferred pool, then +1, -1, +2").containsExactly(0, 1, 3, 2);
        assertThat(buy(id, users.get(4), 1)).isEqualTo(new PurchaseResult.SoldOut(id));
        assertThat(state(id).pools()).containsExactly(0L, 0L, 0L, 0L);

        // a purchase larger than any single pool is served across neighbours
        String wide = start(spec("w", a, 3).pools(3).perUserLimit(3).build());
        PurchaseResult.Purchased p = bought(buy(wide, "big", 3));
        assertThat(p.pool()).isEqualTo(FlashSales.preferredPool("big", 3));
        assertThat(state(wide).pools()).containsExactly(0L, 0L, 0L);
        assertQuantities(level(a, "WH1"), 7, 0, 7, 0, 0);
    }

    // ------------------------------------------------------------------ holds coming back

    @Test
    void expiryOfAPurchaseHoldReturnsTheUnitsToThePool() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        String id = start(spec("s", a, 4).pools(2).build());
        PurchaseResult.Purchased p = bought(buy(id, "u1", 1));
        List<Long> poolsAfterPurchase = state(id).pools();
        assertQuantities(level(a, "WH1"), 10, 0, 4, 0, 6);
        long version = level(a, "WH1").version();

        clock.advance(Duration.ofMinutes(3));
        assertThat(inventory.sweeper().sweepOnce()).isEqualTo(1);

        assertThat(inventory.reservations().find(p.hold().id()).orElseThrow().status())
                .isEqualTo(ReservationStatus.EXPIRED);
        FlashSaleState s = state(id);
        assertThat(s.held()).isEqualTo(4);
        assertThat(s.sold()).isZero();
        assertThat(s.pools().get(p.pool())).isEqualTo(poolsAfterPurchase.get(p.pool()) + 1);
        assertQuantities(level(a, "WH1"), 10, 0, 4, 0, 6);
        assertThat(level(a, "WH1").version()).isEqualTo(version + 1);
        assertThat(eventsOf(EventType.EXPIRED)).singleElement()
                .satisfies(e -> assertThat(e.version()).isEqualTo(version + 1));
        assertThat(flash.bought(id, "u1")).isZero();
        bought(buy(id, "u1", 1));
    }

    @Test
    void releaseOfAPurchaseHoldReturnsTheUnitsToThePoolAndConfirmedUnitsStaySold() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        String id = start(spec("s", a, 5).perUserLimit(2).build());
        PurchaseResult.Purchased kept = bought(buy(id, "u1", 2));
        PurchaseResult.Purchased dropped = bought(buy(id, "u2", 1));

        assertThat(inventory.reservations().startPayment(kept.hold().id()).isSuccess()).isTrue();
        assertThat(inventory.reservations().confirm(kept.hold().id()).isSuccess()).isTrue();
        assertQuantities(level(a, "WH1"), 10, 2, 3, 0, 5);
        assertThat(inventory.reservations().release(dropped.hold().id()).isSuccess()).isTrue();
        assertQuantities(level(a, "WH1"), 10, 2, 3, 0, 5);
        assertThat(state(id).held()).isEqualTo(3);
        assertThat(state(id).sold()).isEqualTo(2);

        assertThat(inventory.reservations().fulfil(kept.hold().id()).isSuccess()).isTrue();
        assertQuantities(level(a, "WH1"), 8, 0, 3, 0, 5);
        assertThat(flash.end(id)).isEqualTo(3);
        assertQuantities(level(a, "WH1"), 8, 0, 0, 0, 8);
    }

    @Test
    void aPurchaseFindingNothingFirstExpiresTheSalesDueHolds() {
        Sku a = sku("A");
        receive(a, "WH1", 2);
        String id = start(spec("s", a, 2).build());
        PurchaseResult.Purchased p1 = bought(buy(id, "u1", 1));
        bought(buy(id, "u2", 1));
        assertThat(buy(id, "u3", 1)).isEqualTo(new PurchaseResult.SoldOut(id));

        clock.advance(Duration.ofMinutes(2));
        bought(buy(id, "u3", 1));
        assertThat(inventory.reservations().find(p1.hold().id()).orElseThrow().status())
                .isEqualTo(ReservationStatus.EXPIRED);
        assertThat(state(id).held()).isEqualTo(1);
        assertQuantities(level(a, "WH1"), 2, 0, 2, 0, 0);
    }

    @Test
    void aNormalShoppersLazyExpiryGivesAPurchaseHoldBackToTheSaleNotToNormalStock() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        String id = start(spec("s", a, 5).build());
        PurchaseResult.Purchased p = bought(buy(id, "u1", 1));
        clock.advance(Duration.ofMinutes(3));

        assertThat(reserve(rid("n1"), a, "WH1", 1)).isInstanceOf(ReservationResult.InsufficientStock.class);
        assertThat(inventory.reservations().find(p.hold().id()).orElseThrow().status())
                .isEqualTo(ReservationStatus.EXPIRED);
        assertThat(state(id).held()).isEqualTo(5);
        assertQuantities(level(a, "WH1"), 5, 0, 5, 0, 0);
    }

    // ------------------------------------------------------------------ closing

    @Test
    void endingTheSaleReturnsEveryUnsoldUnit() {
        Sku a = sku("A");
        receive(a, "WH1", 100);
        String id = start(spec("s", a, 60).pools(6).build());
        List<Reservation> buyers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            buyers.add(bought(buy(id, "u" + i, 1)).hold());
        }
        assertQuantities(level(a, "WH1"), 100, 0, 60, 0, 40);

        assertThat(flash.end(id)).isEqualTo(50);

        assertQuantities(level(a, "WH1"), 100, 0, 10, 0, 90);
        FlashSaleState s = state(id);
        assertThat(s.status()).isEqualTo(SaleStatus.ENDED);
        assertThat(s.pools()).containsOnly(0L);
        assertThat(s.held()).isZero();
        assertThat(s.sold()).isEqualTo(10);
        assertThat(s.returned()).isEqualTo(50);
        assertThat(eventsOf(EventType.RELEASED)).singleElement().satisfies(e -> {
            assertThat(((InventoryEvent.Released) e).reservationId().value()).isEqualTo("fs:" + id);
            assertThat(((InventoryEvent.Released) e).quantity()).isEqualTo(50);
        });
        assertThat(flash.end(id)).isZero();
        assertThat(buy(id, "late", 1)).isEqualTo(new PurchaseResult.NotActive(id, SaleStatus.ENDED));

        // a buyer's hold ending after the sale closed goes to normal stock
        assertThat(inventory.reservations().release(buyers.get(0).id()).isSuccess()).isTrue();
        assertQuantities(level(a, "WH1"), 100, 0, 9, 0, 91);
        assertThat(state(id).returned()).isEqualTo(51);
        clock.advance(Duration.ofMinutes(3));
        assertThat(inventory.sweeper().sweepOnce()).isEqualTo(9);
        assertQuantities(level(a, "WH1"), 100, 0, 0, 0, 100);
        assertThat(state(id).returned()).isEqualTo(60);
        assertThat(state(id).sold()).isZero();
    }

    @Test
    void cancellingAndEndingDueSalesReturnTheirUnsoldUnits() {
        Sku a = sku("A");
        receive(a, "WH1", 30);
        String early = start(spec("e", a, 10).endsAt(clock.instant().plus(Duration.ofMinutes(30))).build());
        String late = start(spec("l", a, 10).build());
        String cancelled = start(spec("c", a, 10).build());
        bought(buy(early, "u1", 1));
        assertQuantities(level(a, "WH1"), 30, 0, 30, 0, 0);

        assertThat(flash.cancel(cancelled)).isEqualTo(10);
        assertThat(state(cancelled).status()).isEqualTo(SaleStatus.CANCELLED);
        assertThat(flash.endDue()).isZero();
        clock.advance(Duration.ofMinutes(30));
        assertThat(flash.endDue()).isEqualTo(1);
        assertThat(state(early).status()).isEqualTo(SaleStatus.ENDED);
        assertThat(state(early).returned()).isEqualTo(9);
        assertThat(state(late).status()).isEqualTo(SaleStatus.OPEN);
        assertQuantities(level(a, "WH1"), 30, 0, 11, 0, 19);
        assertThat(flash.endDue()).isZero();
    }

    // ------------------------------------------------------------------ token bucket

    @Test
    void tokenBucketRejectsWithARetryAfterAndRefillsWithTime() {
        TokenBucket bucket = flash.bucket(sku("A"), RateLimit.perSecond(10, 5));
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryAcquire().granted()).as("permit %s of the burst", i).isTrue();
        }
        assertThat(bucket.tryAcquire()).isEqualTo(new TokenBucket.Decision(false, Duration.ofMillis(100)));
        clock.advance(Duration.ofMillis(50));
        assertThat(bucket.tryAcquire()).isEqualTo(new TokenBucket.Decision(false, Duration.ofMillis(50)));
        clock.advance(Duration.ofMillis(50));
        assertThat(bucket.tryAcquire().granted()).isTrue();
        assertThat(bucket.tryAcquire(2)).isEqualTo(new TokenBucket.Decision(false, Duration.ofMillis(200)));

        clock.advance(Duration.ofSeconds(10)); // refills to the burst, not beyond
        assertThat(bucket.tryAcquire(5).granted()).isTrue();
        assertThat(bucket.tryAcquire().granted()).isFalse();
    }

    @Test
    void tokenBucketIsAtomicUnderConcurrency() throws Exception {
        TokenBucket bucket = flash.bucket(sku("A"), RateLimit.perSecond(1, 50));
        List<TokenBucket.Decision> decisions = race(ThreadMode.VIRTUAL, 400, i -> bucket.tryAcquire());
        assertThat(decisions.stream().filter(TokenBucket.Decision::granted)).hasSize(50);
        assertThat(decisions.stream().filter(d -> !d.granted()))
                .allSatisfy(d -> assertThat(d.retryAfter()).isPositive());
    }

    @Test
    void aRateLimitedSaleAnswersRetryAfterAndTakesNothing() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        String id = start(spec("s", a, 10).rateLimit(RateLimit.perSecond(2, 2)).build());
        bought(buy(id, "u1", 1));
        bought(buy(id, "u2", 1));
        assertThat(buy(id, "u3", 1)).isEqualTo(new PurchaseResult.RateLimited(Duration.ofMillis(500)));
        assertThat(state(id).held()).isEqualTo(8);
        clock.advance(Duration.ofMillis(500));
        bought(buy(id, "u3", 1));
    }

    // ------------------------------------------------------------------ lottery

    private String startLottery(String name, Sku sku, long quantity, long perUserLimit, int batchSize,
            Instant startsAt) {
        return start(spec(name, sku, quantity).perUserLimit(perUserLimit).startsAt(startsAt)
                .endsAt(startsAt.plus(Duration.ofHours(1)))
                .lottery(LotterySpec.builder().batchSize(batchSize).drawInterval(Duration.ofSeconds(10))
                        .tokenTtl(Duration.ofMinutes(5)).build())
                .build());
    }

    @Test
    void theLotteryShufflesEntrantsAndDrawsBatchesOfSignedTokens() {
        Sku a = sku("A");
        receive(a, "WH1", 1_000);
        Instant opening = clock.instant().plus(Duration.ofMinutes(1));
        String id = startLottery("s", a, 1_000, 1, 50, opening);
        Lottery lottery = flash.lottery(id);

        for (int i = 0; i < 300; i++) {
            assertThat(lottery.enter("e-" + i)).isInstanceOf(QueueStatus.Waiting.class);
        }
        Map<String, Long> positions = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            QueueStatus.Waiting w = (QueueStatus.Waiting) lottery.status("e-" + i);
            positions.put("e-" + i, w.position());
            assertThat(w.estimatedWait()).isEqualTo(Duration.ofSeconds(10 * ((w.position() - 1) / 50 + 1) + 60));
        }
        assertThat(new HashSet<>(positions.values())).as("places are a permutation of 1..300")
                .isEqualTo(LongStream.rangeClosed(1, 300).boxed().collect(Collectors.toSet()));
        assertThat(lottery.enter("e-7")).as("entering again keeps the place")
                .isEqualTo(lottery.status("e-7"));

        assertThat(lottery.drawBatch()).as("nobody is drawn before the start").isEqualTo(new Draw(List.of(), List.of()));
        clock.set(opening);
        Draw draw = lottery.drawBatch();

        assertThat(draw.winners()).hasSize(50);
        assertThat(won).containsExactlyElementsOf(draw.winners());
        Set<String> winners = draw.winners().stream().map(PurchaseToken::userId).collect(Collectors.toSet());
        Set<String> firstFifty = positions.entrySet().stream().filter(e -> e.getValue() <= 50).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(winners).as("the 50 best places win").isEqualTo(firstFifty);
        double meanEntryIndex = winners.stream().mapToInt(u -> Integer.parseInt(u.substring(2))).average().orElseThrow();
        assertThat(meanEntryIndex).as("entering early brings no advantage (mean 149.5 expected, sd 12)")
                .isBetween(90.0, 210.0);
        assertThat(draw.winners()).allSatisfy(t -> {
            assertThat(t.saleId()).isEqualTo(id);
            assertThat(t.sku()).isEqualTo(a);
            assertThat(t.expiresAt()).isEqualTo(opening.plus(Duration.ofMinutes(5)));
            assertThat(lottery.status(t.userId())).isEqualTo(new QueueStatus.Won(t));
        });
        String waiting = positions.entrySet().stream().filter(e -> e.getValue() == 51).findFirst().orElseThrow().getKey();
        assertThat(lottery.status(waiting)).isEqualTo(new QueueStatus.Waiting(1, Duration.ofSeconds(10)));

        PurchaseToken token = draw.winners().get(0);
        PurchaseResult.Purchased p = bought(record(lottery.redeem(token.value(), token.userId(), 1)));
        assertThat(p.hold().userId()).contains(token.userId());
        assertThat(state(id).sold()).isEqualTo(1);
    }

    @Test
    void forgedExpiredReusedAndMisboundTokensAreRejected() {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        String id = startLottery("s", a, 10, 2, 10, clock.instant());
        Lottery lottery = flash.lottery(id);
        lottery.enter("alice");
        lottery.enter("bob");
        Map<String, PurchaseToken> tokens = lottery.drawBatch().winners().stream()
                .collect(Collectors.toMap(PurchaseToken::userId, t -> t));
        PurchaseToken alice = tokens.get("alice");
        PurchaseToken bob = tokens.get("bob");

        assertThat(buy(id, "alice", 1)).isEqualTo(new PurchaseResult.TokenRejected(TokenProblem.MISSING));
        assertThat(lottery.redeem(alice.value(), "bob", 1)).isEqualTo(rejected(TokenProblem.WRONG_USER));
        String[] parts = alice.value().split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (id + "|" + a.value() + "|bob|" + alice.tokenId() + "|" + alice.expiresAt().toEpochMilli())
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(lottery.redeem(parts[0] + "." + otherPayload + "." + parts[2], "bob", 1))
                .as("payload swapped under the same signature").isEqualTo(rejected(TokenProblem.FORGED));
        PurchaseToken otherKey = PurchaseTokens.hmacSha256("another-key-of-at-least-thirty-two-bytes!".getBytes(
                StandardCharsets.UTF_8)).issue(id, a, "alice", alice.expiresAt());
        assertThat(lottery.redeem(otherKey.value(), "alice", 1)).isEqualTo(rejected(TokenProblem.FORGED));
        assertThat(lottery.redeem("garbage", "alice", 1)).isEqualTo(rejected(TokenProblem.FORGED));
        assertThat(lottery.redeem(parts[0] + "." + parts[1] + ".", "alice", 1)).isEqualTo(rejected(TokenProblem.FORGED));
        PurchaseToken otherSale = flash.tokens().issue(salePrefix + "other", a, "alice", alice.expiresAt());
        assertThat(lottery.redeem(otherSale.value(), "alice", 1)).isEqualTo(rejected(TokenProblem.WRONG_SALE));
        assertThat(state(id).sold()).isZero();

        assertThat(lottery.redeem(alice.value(), "alice", 3)).isInstanceOf(PurchaseResult.LimitReached.class);
        bought(record(lottery.redeem(alice.value(), "alice", 2)));
        assertThat(lottery.redeem(alice.value(), "alice", 1)).isEqualTo(rejected(TokenProblem.USED));
        assertThat(state(id).sold()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(5));
        assertThat(lottery.redeem(bob.value(), "bob", 1)).isEqualTo(rejected(TokenProblem.EXPIRED));
        assertThat(state(id).sold()).isEqualTo(2);
    }

    private static PurchaseResult rejected(TokenProblem problem) {
        return new PurchaseResult.TokenRejected(problem);
    }

    @Test
    void concurrentRedemptionsOfOneTokenBuyOnce() throws Exception {
        Sku a = sku("A");
        receive(a, "WH1", 10);
        String id = startLottery("s", a, 10, 5, 10, clock.instant());
        Lottery lottery = flash.lottery(id);
        lottery.enter("alice");
        PurchaseToken token = lottery.drawBatch().winners().get(0);

        List<PurchaseResult> results = race(ThreadMode.VIRTUAL, 32, i -> record(lottery.redeem(token.value(), "alice", 1)));

        assertThat(results.stream().filter(PurchaseResult::isPurchased)).hasSize(1);
        assertThat(results.stream().filter(r -> !r.isPurchased())).allSatisfy(
                r -> assertThat(r).isEqualTo(rejected(TokenProblem.USED)));
        assertThat(flash.bought(id, "alice")).isEqualTo(1);
    }

    @Test
    void aDrawAdmitsNoMoreWinnersThanUnitsAndClosingTellsTheRestTheyLost() {
        Sku a = sku("A");
        receive(a, "WH1", 3);
        String id = startLottery("s", a, 3, 1, 10, clock.instant());
        Lottery lottery = flash.lottery(id);
        for (int i = 0; i < 8; i++) {
            lottery.enter("e-" + i);
        }
        Draw first = lottery.drawBatch();
        assertThat(first.winners()).hasSize(3);
        assertThat(lottery.drawBatch().winners()).as("every unit has an outstanding token").isEmpty();
        PurchaseToken redeemed = first.winners().get(0);
        bought(record(lottery.redeem(redeemed.value(), redeemed.userId(), 1)));
        assertThat(lottery.drawBatch().winners()).as("2 units, 2 outstanding tokens").isEmpty();

        clock.advance(Duration.ofMinutes(5)); // the 2 unredeemed tokens expire
        Draw second = lottery.drawBatch();
        assertThat(second.winners()).hasSize(2);
        assertThat(won).hasSize(5);

        assertThat(flash.end(id)).isEqualTo(2);
        Set<String> drawn = new HashSet<>();
        first.winners().forEach(t -> drawn.add(t.userId()));
        second.winners().forEach(t -> drawn.add(t.userId()));
        assertThat(lost).hasSize(3).doesNotContainAnyElementsOf(drawn);
        assertThat(lottery.status(lost.get(0))).isEqualTo(new QueueStatus.Lost());
        assertThat(lottery.enter("newcomer")).isEqualTo(new QueueStatus.Closed(SaleStatus.ENDED));
        assertThat(lottery.drawBatch()).isEqualTo(new Draw(List.of(), List.of()));
        PurchaseToken late = second.winners().get(0);
        assertThat(lottery.redeem(late.value(), late.userId(), 1))
                .isEqualTo(new PurchaseResult.NotActive(id, SaleStatus.ENDED));
    }

    @Test
    void aDrawAfterTheEndClosesTheSaleAndTellsTheWaitingTheyLost() {
        Sku a = sku("A");
        receive(a, "WH1", 5);
        String id = startLottery("s", a, 5, 1, 1, clock.instant());
        Lottery lottery = flash.lottery(id);
        lottery.enter("e-1");
        lottery.enter("e-2");
        clock.advance(Duration.ofHours(1));
        Draw draw = lottery.drawBatch();
        assertThat(draw.winners()).isEmpty();
        assertThat(draw.losers()).containsExactlyInAnyOrder("e-1", "e-2");
        assertThat(state(id).status()).isEqualTo(SaleStatus.ENDED);
        assertQuantities(level(a, "WH1"), 5, 0, 0, 0, 5);
    }

    // ------------------------------------------------------------------ mixed traffic

    @ParameterizedTest
    @EnumSource(ThreadMode.class)
    void invariantsHoldUnderMixedConcurrentTraffic(ThreadMode mode) throws Exception {
        Sku a = sku("A");
        receive(a, "WH1", 200);
        String id = start(spec("s", a, 100).pools(4).perUserLimit(2).build());

        race(mode, 400, i -> {
            switch (i % 4) {
                case 0 -> assertThat(reserve(rid("n" + i), a, "WH1", 1).isSuccess()).isTrue();
                case 1 -> record(flash.purchase(id, "u" + (i % 40), 1));
                case 2 -> {
                    PurchaseResult r = record(flash.purchase(id, "v" + (i % 40), 1));
                    r.reservation().ifPresent(h -> inventory.reservations().release(h.id()));
                }
                default -> {
                    PurchaseResult r = record(flash.purchase(id, "w" + (i % 40), 2));
                    r.reservation().ifPresent(h -> inventory.reservations().confirm(h.id()));
                }
            }
            return i;
        });

        FlashSaleState s = state(id);
        assertThat(s.held() + s.sold()).isEqualTo(100);
        StockLevel level = level(a, "WH1");
        assertThat(level.reserved() + level.allocated()).as("100 normal holds + the sale's 100 units").isEqualTo(200);
        assertThat(level.available()).isZero();
        Invariants.check(store, skus, holds, events, this::heldBySales);
        assertThat(Arrays.asList("u", "v", "w")).allSatisfy(prefix -> IntStream.range(0, 40).forEach(
                n -> assertThat(flash.bought(id, prefix + n)).isLessThanOrEqualTo(2)));
    }
}
