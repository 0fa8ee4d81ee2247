package dev.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartTest {
    @Test
    void printsTheWholeLifecycle() {
        var bytes = new ByteArrayOutputStream();
        new Quickstart(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("event inventory.restocked", "event inventory.reserved", "event inventory.reservation.pending",
                        "event inventory.confirmed", "event inventory.fulfilled", "event inventory.expired")
                .contains("onHand=8 allocated=0 reserved=0 damaged=0 available=8")
                .contains("expired holds: 1, checkout-2 is EXPIRED")
                .contains("Only 1 left");
    }
}
