package dev.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FulfillmentDemoTest {
    @Test
    void printsPlansAndHoldsStockWhereItShipsFrom() {
        var bytes = new ByteArrayOutputStream();
        new FulfillmentDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("== single shipment preferred", "center   | lines", "total cost");
        String single = out.substring(out.indexOf("== single shipment preferred"), out.indexOf("== plan and reserve"));
        assertThat(single).contains("1 shipment(s)").contains("DS-POT");
        assertThat(out).doesNotContain("WH-MUC |").doesNotContain("not reserved");
        // the reserved locations are exactly the plan's centers
        String reserve = out.substring(out.indexOf("== plan and reserve"));
        assertThat(reserve).contains("held: ");
        for (String line : reserve.split("\n")) {
            if (line.contains("held: ")) {
                String center = line.substring(line.indexOf(" at ") + 4).trim().split(" ")[0];
                assertThat(reserve).contains("  " + center + " ");
            }
        }
    }
}
