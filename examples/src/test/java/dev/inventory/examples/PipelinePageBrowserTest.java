package dev.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The {@code pipeline} demo's live page in headless Chromium, while the demo runs on real PostgreSQL,
 * Redis and Kafka (embedded unless INVENTORY_DEMO_* are set): after every step the page, which only
 * learns about stock through its Server-Sent Events stream, shows the new level; in particular the
 * warehouse's SHIP_COMPLETE, sent to a Kafka topic and applied by the warehouse consumer, takes the
 * shipped units off onHand on the open page.
 */
class PipelinePageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TEE = "TEE-M-BLUE@WH-1";
    private static final String MUG = "MUG-WHITE@WH-1";

    /** What each step must show: per row "available|onHand|reserved|allocated|last event". */
    private static final Map<PipelineDemo.Step, Map<String, String>> EXPECTED = Map.of(
            PipelineDemo.Step.RECEIVED, Map.of(TEE, "20|20|0|0|inventory.restocked",
                    MUG, "5|5|0|0|inventory.restocked"),
            PipelineDemo.Step.RESERVED, Map.of(TEE, "18|20|2|0|inventory.reserved",
                    MUG, "4|5|1|0|inventory.reserved"),
            PipelineDemo.Step.PAYMENT_STARTED, Map.of(TEE, "18|20|2|0|inventory.reservation.pending",
                    MUG, "4|5|1|0|inventory.reservation.pending"),
            PipelineDemo.Step.CONFIRMED, Map.of(TEE, "18|20|0|2|inventory.confirmed",
                    MUG, "4|5|0|1|inventory.confirmed"),
            // PICK_COMPLETE is recorded, no stock moves: the page still shows the units on hand
            PipelineDemo.Step.PICKED, Map.of(TEE, "18|20|0|2|inventory.confirmed",
                    MUG, "4|5|0|1|inventory.confirmed"),
            // SHIP_COMPLETE through Kafka: the units leave onHand and the allocation is gone
            PipelineDemo.Step.SHIPPED, Map.of(TEE, "18|18|0|0|inventory.fulfilled",
                    MUG, "4|4|0|0|inventory.fulfilled"));

    @Test
    void theOpenPageShowsEachStepOfThePipelineIncludingTheShipmentArrivingThroughKafka() throws Exception {
        var bytes = new ByteArrayOutputStream();
        AtomicReference<Chromium> browser = new AtomicReference<>();
        List<PipelineDemo.Step> seen = new ArrayList<>();
        PipelineDemo.StepHook checkPage = step -> {
            Chromium b = browser.get();
            for (var row : EXPECTED.get(step).entrySet()) {
                Waits.until("the page to show " + row.getKey() + " = " + row.getValue() + " after " + step, WAIT,
                        () -> row(b, row.getKey()), v -> v.equals(row.getValue()));
            }
            if (step == PipelineDemo.Step.SHIPPED) {
                // every change reached the open page as a pushed update: 2 SKUs x restocked, reserved,
                // pending, confirmed, fulfilled (the page does not count snapshot rows as updates)
                assertThat(b.eval("document.getElementById('updates').textContent")).isEqualTo("10");
                assertThat(b.eval("document.getElementById('status').textContent")).isEqualTo("live");
            }
            seen.add(step);
        };
        try {
            // --wait-for-browser: the demo starts its steps once the page's stream has a subscriber
            new PipelineDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(new PipelineDemo.Options(
                    0, true, Duration.ZERO, Duration.ZERO, uri -> browser.set(open(uri)), checkPage));

            assertThat(seen).containsExactly(PipelineDemo.Step.values());
        } finally {
            if (browser.get() != null) {
                browser.get().close();
            }
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("waiting for a browser on http://127.0.0.1:")
                .contains("wms -> kafka      SHIP_COMPLETE")
                .contains("stock TEE-M-BLUE@WH-1 onHand=18 reserved=0 allocated=0 available=18")
                .contains("is FULFILLED");
    }

    private static Chromium open(java.net.URI uri) {
        try {
            return Chromium.open(uri);
        } catch (Exception e) {
            throw new AssertionError("could not open " + uri + " in Chromium: " + e, e);
        }
    }

    /** The row of {@code key} as "available|onHand|reserved|allocated|last event", or "no row". */
    private static String row(Chromium browser, String key) {
        return browser.eval("(() => { const r = document.getElementById('level-" + key + "');"
                + " return r ? [1, 2, 3, 4, 6].map(i => r.cells[i].textContent).join('|') : 'no row'; })()");
    }
}
