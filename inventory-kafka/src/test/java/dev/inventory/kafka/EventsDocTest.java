package dev.inventory.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.event.EventJson;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/events.md} shows, for every event type, exactly the JSON the core writes, and every
 * inbound sample in it is accepted by the decoders and by the handlers' mapping to the core's events:
 * the documentation cannot drift from the code.
 */
class EventsDocTest {
    private static final Path DOC = Path.of("..", "docs", "events.md");

    private static String doc() throws IOException {
        return Files.readString(DOC, StandardCharsets.UTF_8);
    }

    @Test
    void everyOutboundEventTypeIsDocumentedWithItsExactJson() throws Exception {
        List<InventoryEvent> samples = SampleEvents.all();
        assertThat(samples).extracting(InventoryEvent::type).containsExactly(EventType.values());
        StringBuilder expected = new StringBuilder();
        for (InventoryEvent e : samples) {
            String json = EventJson.toJson(e);
            expected.append("### `").append(e.type().wireName()).append("`\n\n```json\n").append(json)
                    .append("\n```\n\n");
            InventoryEventMessage read = InventoryEventMessage.fromJson(json);
            assertThat(read.type()).isEqualTo(e.type());
            assertThat(read.version()).isEqualTo(e.version());
            assertThat(read.quantities().available()).isEqualTo(e.level().available());
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "events-expected.md"), expected);
        String doc = doc();
        for (InventoryEvent e : samples) {
            assertThat(doc).as("docs/events.md shows %s as the core writes it (see target/events-expected.md)",
                    e.type().wireName()).contains("### `" + e.type().wireName() + "`\n")
                    .contains("```json\n" + EventJson.toJson(e) + "\n```");
        }
    }

    @Test
    void everyInboundSampleInTheDocDecodes() throws Exception {
        List<String> warehouse = blocks(doc(), "json wms");
        List<String> orders = blocks(doc(), "json order");
        List<WarehouseEventType> seen = new ArrayList<>();
        for (String json : warehouse) {
            WarehouseMessage message = WarehouseMessage.fromJson(json);
            seen.add(message.type());
            assertThat(WarehouseEventHandler.toEvents(message)).as("core events of %s", json).hasSize(1);
        }
        assertThat(seen).containsExactlyInAnyOrder(WarehouseEventType.values());
        List<OrderEventType> orderTypes = new ArrayList<>();
        for (String json : orders) {
            OrderMessage message = OrderMessage.fromJson(json);
            orderTypes.add(message.type());
            assertThat(OrderEventHandler.toEvent(message).orderId()).isEqualTo(message.orderId());
        }
        assertThat(orderTypes).containsExactlyInAnyOrder(OrderEventType.values());
    }

    private static List<String> blocks(String doc, String info) {
        Matcher m = Pattern.compile("```" + Pattern.quote(info) + "\n(.*?)\n```", Pattern.DOTALL).matcher(doc);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
