package dev.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The pipeline end to end on real PostgreSQL, Redis and Kafka (embedded unless INVENTORY_DEMO_* are set). */
class PipelineDemoTest {
    @Test
    void eventsFlowFromTheOutboxThroughKafkaAndWarehouseEventsFulfilTheOrder() throws Exception {
        var bytes = new ByteArrayOutputStream();
        AtomicReference<URI> page = new AtomicReference<>();
        new PipelineDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .run(new PipelineDemo.Options(0, false, Duration.ZERO, Duration.ZERO, page::set));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(page.get()).isNotNull();
        assertThat(page.get().getHost()).isEqualTo("127.0.0.1");
        for (String type : new String[] {"inventory.restocked", "inventory.reserved", "inventory.reservation.pending",
                "inventory.confirmed", "inventory.fulfilled"}) {
            assertThat(out).containsPattern("store -> outbox +" + type.replace(".", "\\.") + " ")
                    .containsPattern("kafka -> consumer +" + type.replace(".", "\\.") + " +key=TEE-M-BLUE:WH-1");
        }
        assertThat(out)
                .contains("wms -> kafka      PICK_COMPLETE", "wms -> kafka      SHIP_COMPLETE")
                .contains("stock TEE-M-BLUE@WH-1 onHand=20 reserved=2 allocated=0 available=18")
                .contains("stock TEE-M-BLUE@WH-1 onHand=20 reserved=0 allocated=2 available=18")
                .contains("stock TEE-M-BLUE@WH-1 onHand=18 reserved=0 allocated=0 available=18")
                .contains("stock MUG-WHITE@WH-1 onHand=4 reserved=0 allocated=0 available=4")
                .contains("is FULFILLED")
                .contains("relay: published 10, failed rounds 0, oldest unpublished none")
                .contains("ConsumerStats[applied=2, duplicates=0, stale=0, deadLettered=0, retries=0]");
    }
}
