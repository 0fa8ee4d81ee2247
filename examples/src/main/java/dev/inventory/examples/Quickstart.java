package dev.inventory.examples;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.InventoryEvent;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle of a hold on the in-memory store: receive, availability, reserve, start payment,
 * confirm, fulfil, and a second hold that expires. Prints every step's quantities and events.
 */
final class Quickstart {
    private final PrintStream out;

    Quickstart(PrintStream out) {
        this.out = out;
    }

    void run() {
        // a clock the demo can move, so the expiry happens without waiting 15 minutes
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T09:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        Sku tee = Sku.of("TEE-M-BLUE");
        LocationId wh = LocationId.of("WH-BERLIN");
        try (Inventory inventory = Inventory.builder()
                .clock(clock)
                .holdDuration(Duration.ofMinutes(15))
                .withoutSweeper()
                .listener(this::printEvent)
                .build()) {

            step("receive 10 units");
            inventory.stock().receive(tee, wh, 10);
            show(inventory, tee, wh);
            out.println("  product page: " + inventory.availability(tee).message());

            step("reserve 2 for checkout-1");
            ReservationId checkout = ReservationId.of("checkout-1");
            ReservationResult reserved = inventory.reservations().reserve(
                    ReservationRequest.builder(checkout).line(tee, wh, 2).cartId("cart-1").userId("alice").build());
            out.println("  result: " + reserved.getClass().getSimpleName());
            show(inventory, tee, wh);

            step("start payment (hold extended by 5 minutes)");
            inventory.reservations().startPayment(checkout);
            out.println("  expires at: " + inventory.reservations().find(checkout).orElseThrow().expiresAt());

            step("confirm: reserved becomes allocated");
            inventory.reservations().confirm(checkout);
            show(inventory, tee, wh);

            step("confirm again: idempotent, nothing changes");
            out.println("  result: " + inventory.reservations().confirm(checkout).getClass().getSimpleName());
            show(inventory, tee, wh);

            step("fulfil (shipped): allocated and onHand go down");
            inventory.reservations().fulfil(checkout);
            show(inventory, tee, wh);

            step("reserve 7 for checkout-2, then the buyer walks away");
            ReservationId abandoned = ReservationId.of("checkout-2");
            inventory.reservations().reserve(ReservationRequest.builder(abandoned).line(tee, wh, 7).build());
            show(inventory, tee, wh);
            out.println("  product page: " + inventory.availability(tee).message());

            step("16 minutes later the sweeper expires the hold and the stock is back");
            now.set(now.get().plus(Duration.ofMinutes(16)));
            int expired = inventory.sweeper().sweepOnce();
            out.println("  expired holds: " + expired + ", checkout-2 is "
                    + inventory.reservations().find(abandoned).orElseThrow().status());
            show(inventory, tee, wh);

            step("the ledger sums to onHand");
            inventory.ledger(tee, wh).forEach(e -> out.printf("  %-10s %+d -> %d (%s)%n", e.kind(), e.delta(),
                    e.onHandAfter(), e.reference().orElse("-")));
        }
    }

    private void step(String title) {
        out.println();
        out.println("== " + title);
    }

    private void show(Inventory inventory, Sku sku, LocationId location) {
        StockLevel l = inventory.level(sku, location).orElseThrow();
        out.printf("  %s@%s onHand=%d allocated=%d reserved=%d damaged=%d available=%d version=%d%n", sku, location,
                l.onHand(), l.allocated(), l.reserved(), l.damaged(), l.available(), l.version());
    }

    private void printEvent(InventoryEvent event) {
        out.printf("  event %-32s v%d %s%n", event.type().wireName(), event.version(),
                event.reference().map(r -> "ref=" + r).orElse(""));
    }
}
