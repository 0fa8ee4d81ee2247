package dev.inventory.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Inventory;
import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.contract.Await;
import dev.inventory.core.processing.WarehouseEventProcessor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBroker.class)
class ReliableConsumerKafkaTest {
    private static final LocationId WH = LocationId.of("WH-1");

    private Inventory inventory;
    private WarehouseEventProcessor warehouse;
    private KafkaProducer<String, String> producer;
    private final List<ReliableConsumer<?>> consumers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        inventory = Inventory.builder().withoutSweeper().build();
        warehouse = WarehouseEventProcessor.builder(inventory).build();
        producer = Topics.producer();
    }

    @AfterEach
    void tearDown() {
        consumers.forEach(ReliableConsumer::close);
        producer.close();
        warehouse.close();
        inventory.close();
    }

    private <T> ReliableConsumer<T> start(ReliableConsumer.Builder<T> builder) {
        ReliableConsumer<T> c = builder.bootstrapServers(KafkaBroker.bootstrapServers())
                .pollTimeout(Duration.ofMillis(100)).build();
        consumers.add(c);
        c.start();
        return c;
    }

    private long onHand(String sku) {
        return inventory.level(Sku.of(sku), WH).map(StockLevel::onHand).orElse(0L);
    }

    @Test
    void aConsumerKilledBeforeCommittingGetsTheRecordAgainAndItIsAppliedOnce() {
        String topic = KafkaBroker.createTopic("wms-kill", 1);
        String group = KafkaBroker.group("kill");
        for (int i = 1; i <= 5; i++) {
            Topics.send(producer, topic, "K:WH-1", InboundJson.receipt("wms-" + i, "K", 1));
        }
        WarehouseEventHandler real = new WarehouseEventHandler(warehouse);
        RecordHandler<WarehouseMessage> dying = message -> {
            Outcome outcome = real.handle(message);
            if (message.eventId().equals("wms-3")) {
                throw new ProcessDeath(); // applied and durable, offset not committed yet
            }
            return outcome;
        };
        ReliableConsumer<WarehouseMessage> first = start(ReliableConsumer.builder(WarehouseMessage.decoder(), dying)
                .groupId(group).topics(topic).name("first"));
        Await.until("the first consumer dies", KafkaBroker.WAIT, () -> first.failure().isPresent());
        assertThat(first.failure().get()).isInstanceOf(ProcessDeath.class);
        assertThat(first.isRunning()).isFalse();
        assertThat(onHand("K")).isEqualTo(3);
        long committedByFirst = Topics.committed(group).getOrDefault(new TopicPartition(topic, 0), 0L);
        assertThat(committedByFirst).isLessThanOrEqualTo(2);

        ReliableConsumer<WarehouseMessage> second = start(ReliableConsumer.builder(WarehouseMessage.decoder(), real)
                .groupId(group).topics(topic).name("second"));
        Await.until("everything committed", KafkaBroker.WAIT,
                () -> Topics.committed(group).getOrDefault(new TopicPartition(topic, 0), 0L) == 5L);
        assertThat(onHand("K")).isEqualTo(5);
        assertThat(inventory.ledger(Sku.of("K"), WH)).hasSize(5);
        assertThat(second.stats().applied()).isEqualTo(2);
        assertThat(second.stats().duplicates()).isEqualTo(3 - committedByFirst);
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithSpringKafkaHeadersAndLaterRecordsKeepFlowing() throws Exception {
        String topic = KafkaBroker.createTopic("wms-poison", 1);
        String deadLetters = KafkaBroker.createTopic(topic + ".DLT", 1);
        String group = KafkaBroker.group("poison");
        Topics.send(producer, topic, "P:WH-1", InboundJson.receipt("ok-1", "P", 1));
        Topics.send(producer, topic, "P:WH-1", "this is not json");
        Topics.send(producer, topic, "P:WH-1", InboundJson.receipt("bad-qty", "P", 0));
        Topics.send(producer, topic, "P:WH-1", InboundJson.receipt("ok-2", "P", 2));
        inventory.stock().setFlags(Sku.of("B"), WH, true, true);
        Topics.send(producer, topic, "B:WH-1", InboundJson.receipt("blocked", "B", 1));
        Topics.send(producer, topic, "P:WH-1", InboundJson.receipt("ok-3", "P", 4));
        ReliableConsumer<WarehouseMessage> c = start(ReliableConsumer
                .builder(WarehouseMessage.decoder(), new WarehouseEventHandler(warehouse))
                .groupId(group).topics(topic).deadLetterTopic(t -> deadLetters));

        Await.until("all six committed", KafkaBroker.WAIT,
                () -> Topics.committed(group).getOrDefault(new TopicPartition(topic, 0), 0L) == 6L);
        assertThat(onHand("P")).isEqualTo(7);
        assertThat(c.stats()).isEqualTo(new ConsumerStats(3, 0, 0, 3, 0));

        List<ConsumerRecord<byte[], byte[]>> letters = Topics.readAll(deadLetters, 3, KafkaBroker.WAIT);
        assertThat(letters).hasSize(3);
        assertThat(letters).extracting(r -> Topics.header(r, DeadLetterHeaders.EXCEPTION_FQCN)).containsExactly(
                InvalidMessageException.class.getName(), InvalidMessageException.class.getName(),
                RejectedRecordException.class.getName());
        assertThat(letters).extracting(r -> ByteBuffer.wrap(
                r.headers().lastHeader(DeadLetterHeaders.ORIGINAL_OFFSET).value()).getLong())
                .containsExactly(1L, 2L, 4L);

        ConsumerRecord<byte[], byte[]> notJson = letters.get(0);
        assertThat(Topics.text(notJson.value())).isEqualTo("this is not json");
        assertThat(Topics.text(notJson.key())).isEqualTo("P:WH-1");
        assertThat(notJson.partition()).isZero();
        assertThat(Topics.header(notJson, DeadLetterHeaders.EXCEPTION_MESSAGE)).startsWith("the value is not JSON");
        assertThat(Topics.header(notJson, DeadLetterHeaders.EXCEPTION_CAUSE_FQCN)).contains("jackson");
        assertThat(Topics.header(notJson, DeadLetterHeaders.EXCEPTION_STACKTRACE))
                .startsWith(InvalidMessageException.class.getName()).contains("at dev.inventory.kafka.");
        assertThat(Topics.header(notJson, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(topic);
        assertThat(ByteBuffer.wrap(notJson.headers().lastHeader(DeadLetterHeaders.ORIGINAL_PARTITION).value())
                .getInt()).isZero();
        assertThat(notJson.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TIMESTAMP).value()).hasSize(8);
        assertThat(Topics.header(notJson, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE)).isEqualTo("CreateTime");
        assertThat(Topics.header(notJson, DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP)).isEqualTo(group);
        assertThat(Topics.header(letters.get(1), DeadLetterHeaders.EXCEPTION_MESSAGE))
                .isEqualTo("items[0].quantity must be between 1 and 1000000000, was 0");
        assertThat(Topics.header(letters.get(2), DeadLetterHeaders.EXCEPTION_MESSAGE))
                .startsWith("RECEIVING_BLOCKED: receiving is blocked for B at WH-1");
    }

    @Test
    void transientFailuresAreRetriedWithBackoffByPausingOnlyThatPartitionWhileTheConsumerStaysInItsGroup() {
        String topic = KafkaBroker.createTopic("wms-retry", 2);
        String group = KafkaBroker.group("retry");
        WarehouseEventHandler real = new WarehouseEventHandler(warehouse);
        AtomicInteger failuresLeft = new AtomicInteger(3);
        List<String> order = new CopyOnWriteArrayList<>();
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        RecordHandler<WarehouseMessage> flaky = message -> {
            attempts.merge(message.eventId(), 1, Integer::sum);
            if (message.eventId().equals("slow-1") && failuresLeft.getAndDecrement() > 0) {
                throw new InventoryStoreException("database unreachable", null, true);
            }
            if (message.eventId().equals("never")) {
                throw new InventoryStoreException("still unreachable", null, true);
            }
            if (message.eventId().equals("bug")) {
                throw new IllegalStateException("a bug, not worth retrying");
            }
            order.add(message.eventId());
            return real.handle(message);
        };
        // the consumer must keep polling during the retries: waits add up to more than max.poll.interval.ms
        ReliableConsumer<WarehouseMessage> c = start(ReliableConsumer.builder(WarehouseMessage.decoder(), flaky)
                .groupId(group).topics(topic).consumerProperty("max.poll.interval.ms", 1_500)
                .backoff(new Backoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(2), 4)));
        Await.until("the consumer joined", KafkaBroker.WAIT, () -> Topics.members(group).size() == 1);
        Set<String> membersBefore = Topics.members(group);

        Topics.send(producer, topic, "slow", "{\"eventId\":\"slow-1\",\"eventType\":\"RECEIVING_COMPLETE\","
                + "\"timestamp\":\"2026-03-01T10:00:00Z\",\"locationId\":\"WH-1\",\"items\":[{\"sku\":\"S\","
                + "\"quantity\":1}]}");
        int slowPartition = partitionOf(topic, "slow-1");
        producer.send(new ProducerRecord<>(topic, 1 - slowPartition, "fast", InboundJson.receipt("fast-1", "F", 1)));
        producer.flush();
        Await.until("slow-1 applied after its retries", KafkaBroker.WAIT, () -> order.contains("slow-1"));
        assertThat(order).as("the other partition went on meanwhile").containsSubsequence("fast-1", "slow-1");
        assertThat(attempts.get("slow-1")).isEqualTo(4);
        assertThat(onHand("S")).isEqualTo(1);
        assertThat(Topics.members(group)).as("same member: it never left the group").isEqualTo(membersBefore);

        Topics.send(producer, topic, "slow", InboundJson.receipt("never", "S", 1));
        Topics.send(producer, topic, "slow", InboundJson.receipt("bug", "S", 1));
        Topics.send(producer, topic, "slow", InboundJson.receipt("after", "S", 1));
        Await.until("after applied", KafkaBroker.WAIT, () -> order.contains("after"));
        assertThat(attempts.get("never")).as("retried up to maxAttempts, then dead-lettered").isEqualTo(4);
        assertThat(attempts.get("bug")).as("not retried").isEqualTo(1);
        assertThat(c.stats().deadLettered()).isEqualTo(2);
        assertThat(c.stats().retries()).isEqualTo(6);
        List<ConsumerRecord<byte[], byte[]>> letters = Topics.readAll(topic + ".DLT", 2, KafkaBroker.WAIT);
        assertThat(letters).extracting(r -> Topics.header(r, DeadLetterHeaders.EXCEPTION_FQCN))
                .containsExactly(InventoryStoreException.class.getName(), IllegalStateException.class.getName());
        assertThat(onHand("S")).isEqualTo(2);
    }

    @Test
    void staleEventsAreDroppedByVersion() {
        String topic = KafkaBroker.createTopic("orders-stale", 1);
        String group = KafkaBroker.group("stale");
        List<String> seen = new CopyOnWriteArrayList<>();
        RecordHandler<OrderMessage> handler = m -> {
            seen.add(m.eventId());
            return Outcome.applied();
        };
        Topics.send(producer, topic, "o-1", order("e-2", "order.payment.confirmed", 2));
        Topics.send(producer, topic, "o-1", order("e-1", "order.placed", 1));
        Topics.send(producer, topic, "o-1", order("e-2", "order.payment.confirmed", 2));
        Topics.send(producer, topic, "o-1", order("e-3", "order.shipped", 3));
        ReliableConsumer<OrderMessage> c = start(ReliableConsumer.builder(OrderMessage.decoder(), handler)
                .groupId(group).topics(topic).versions(OrderMessage::stamp, VersionTracker.inMemory()));
        Await.until("four records done", KafkaBroker.WAIT, () -> c.stats().completed() == 4);
        assertThat(seen).containsExactly("e-2", "e-3");
        assertThat(c.stats().stale()).isEqualTo(2);
    }

    private static String order(String eventId, String type, long version) {
        return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + type + "\",\"timestamp\":\"2026-03-01T10:00:00Z\","
                + "\"orderId\":\"o-1\",\"version\":" + version
                + ",\"items\":[{\"sku\":\"TEE-M\",\"locationId\":\"WH-1\",\"quantity\":1}]}";
    }

    private static int partitionOf(String topic, String eventId) {
        return Topics.readAll(topic, 1, KafkaBroker.WAIT).stream()
                .filter(r -> Topics.text(r.value()).contains(eventId)).findFirst().orElseThrow().partition();
    }

    /** Stands for the process dying: an Error the consumer does not catch. */
    static final class ProcessDeath extends Error {
        private static final long serialVersionUID = 1L;
    }
}
