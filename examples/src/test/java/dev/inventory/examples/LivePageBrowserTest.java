package dev.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live availability page in headless Chromium: a change made after the page loaded shows up. */
class LivePageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void showsAStockChangeMadeAfterThePageLoaded() throws Exception {
        Sku tee = Sku.of("TEE-M-BLUE");
        LocationId wh = LocationId.of("WH-1");
        try (Inventory inventory = Inventory.builder().withoutSweeper().build();
                LivePage page = new LivePage(inventory, 0, List.of(tee))) {
            inventory.stock().receive(tee, wh, 10);
            try (Chromium browser = Chromium.open(page.uri())) {
                String cell = "(document.getElementById('level-TEE-M-BLUE@WH-1') || {cells: [{}, {}]}).cells[1].textContent";
                Waits.until("the page to show the snapshot (available 10) and its stream to be open", WAIT,
                        () -> browser.eval(cell) + "|" + browser.eval("document.getElementById('status').textContent")
                                + "|" + page.subscribers(),
                        v -> v.equals("10|live|1"));
                assertThat(browser.eval("document.getElementById('updates').textContent")).isEqualTo("0");

                ReservationResult held = inventory.reservations().reserve(
                        ReservationRequest.builder("checkout-1").line(tee, wh, 3).build());
                assertThat(held).isInstanceOf(ReservationResult.Success.class);

                Waits.until("the page to show available 7 after the reservation", WAIT, () -> browser.eval(cell)
                        + "|" + browser.eval("document.getElementById('updates').textContent"), v -> v.equals("7|1"));
                String row = browser.eval("document.getElementById('level-TEE-M-BLUE@WH-1').innerText");
                assertThat(row).contains("inventory.reserved").contains("3"); // reserved 3, the event's name

                inventory.stock().receive(Sku.of("MUG-WHITE"), wh, 4); // a SKU the page did not know
                Waits.until("a new row for MUG-WHITE", WAIT, () -> browser.eval(
                        "(document.getElementById('level-MUG-WHITE@WH-1') || {cells: [{}, {}]}).cells[1].textContent"),
                        v -> v.equals("4"));
            }
        }
    }
}
