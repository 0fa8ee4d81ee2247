package dev.inventory.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.contract.Await;
import dev.inventory.core.processing.WarehouseEventProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three partitions, two consumers in one group, rebalances while records are being applied (a second
 * consumer joins mid-stream, later the first one leaves mid-stream): every receipt is applied to
 * stock exactly once by the core's warehouse processor. The handlers take a permit per record, so the
 * test decides how far the stream has got when the group changes, without sleeping.
 */
@ExtendWith(KafkaBroker.class)
class RebalanceKafkaTest {
    private static final LocationId WH = LocationId.of("WH-1");
    private static final int SKUS = 12;
    private static final int EVENTS = 600;

    @Test
    void everyEventIsAppliedExactlyOnceAcrossRebalances() throws Exception {
        String topic = KafkaBroker.createTopic("rebalance", 3);
        String group = KafkaBroker.group("rebalance");
        try (Inventory inventory = Inventory.builder().withoutSweeper().build();
                WarehouseEventProcessor processor = WarehouseEventProcessor.builder(inventory).build();
                KafkaProducer<String, String> producer = Topics.producer()) {
            for (int i = 0; i < EVENTS; i++) {
                String sku = "R-" + (i % SKUS);
                producer.send(new ProducerRecord<>(topic, sku + ":WH-1",
                        InboundJson.receipt("receipt-" + i, sku, 1)));
            }
            producer.flush();

            Semaphore permits = new Semaphore(0);
            AtomicLong handled = new AtomicLong();
            WarehouseEventHandler real = new WarehouseEventHandler(processor);
            RecordHandler<WarehouseMessage> gated = message -> {
                if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("no permit for " + message.eventId());
                }
                Outcome outcome = real.handle(message);
                handled.incrementAndGet();
                return outcome;
            };
            List<ReliableConsumer<WarehouseMessage>> consumers = new ArrayList<>();
            try {
                consumers.add(consumer(topic, group, "first", gated));
                long released = release(permits, 150, handled, 0);
                consumers.add(consumer(topic, group, "second", gated)); // joins while the first is mid-stream
                while (released < 450) {
                    released = release(permits, 30, handled, released);
                }
                permits.release(EVENTS); // let the rest (and any redeliveries) through
                consumers.get(0).close(); // leaves mid-stream: its partitions move to the second
                Await.until("every receipt applied", KafkaBroker.WAIT, () -> totalOnHand(inventory) >= EVENTS);
                Await.until("all offsets committed", KafkaBroker.WAIT,
                        () -> Topics.committed(group).values().stream().mapToLong(Long::longValue).sum() == EVENTS);
            } finally {
                consumers.forEach(ReliableConsumer::close);
            }

            assertThat(totalOnHand(inventory)).isEqualTo(EVENTS);
            List<String> appliedIds = new ArrayList<>();
            for (int s = 0; s < SKUS; s++) {
                for (LedgerEntry e : inventory.ledger(Sku.of("R-" + s), WH)) {
                    appliedIds.add(e.eventId().orElseThrow());
                }
            }
            assertThat(appliedIds).hasSize(EVENTS).doesNotHaveDuplicates().allMatch(id -> id.endsWith(":1"));
            ConsumerStats first = consumers.get(0).stats();
            ConsumerStats second = consumers.get(1).stats();
            assertThat(first.applied()).as("first applied some").isPositive();
            assertThat(second.applied()).as("second applied some").isPositive();
            assertThat(first.applied() + second.applied()).isEqualTo(EVENTS);
            assertThat(first.deadLettered() + second.deadLettered()).isZero();
        }
    }

    private static ReliableConsumer<WarehouseMessage> consumer(String topic, String group, String name,
            RecordHandler<WarehouseMessage> handler) {
        ReliableConsumer<WarehouseMessage> c = ReliableConsumer.builder(WarehouseMessage.decoder(), handler)
                .bootstrapServers(KafkaBroker.bootstrapServers()).groupId(group).topics(topic).name(name)
                .pollTimeout(Duration.ofMillis(100)).consumerProperty("max.poll.records", 20).build();
        c.start();
        return c;
    }

    /** Lets {@code n} more records through and waits until they were handled. */
    private static long release(Semaphore permits, int n, AtomicLong handled, long releasedSoFar) {
        permits.release(n);
        long target = releasedSoFar + n;
        Await.until(target + " records handled", KafkaBroker.WAIT, () -> handled.get() >= target);
        return target;
    }

    private static long totalOnHand(Inventory inventory) {
        long total = 0;
        for (int s = 0; s < SKUS; s++) {
            total += inventory.level(Sku.of("R-" + s), WH).map(StockLevel::onHand).orElse(0L);
        }
        return total;
    }
}
