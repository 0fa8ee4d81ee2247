package dev.inventory.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.spi.OutboxSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the relay tests share: a relay on the test broker, and reading ids and versions from records. */
final class RelayFixtures {
    private RelayFixtures() {
    }

    /** A relay builder for {@code source} on the test broker, polling every 20 ms. */
    static OutboxRelay.Builder relay(OutboxSource source, String topic) {
        return OutboxRelay.builder(source).bootstrapServers(KafkaBroker.bootstrapServers()).topic(topic)
                .pollInterval(Duration.ofMillis(20));
    }

    /**
     * Asserts that the records of each key have increasing versions and are all on one partition
     * (records of one key are on one partition, and a partition is read in offset order).
     *
     * @return the partition of each key
     */
    static Map<String, Integer> assertVersionOrderPerKey(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Long> lastVersion = new HashMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = Topics.text(r.key());
            long version = Long.parseLong(Topics.header(r, KafkaEvents.HEADER_EVENT_VERSION));
            assertThat(version).as("version order of %s", key).isGreaterThan(lastVersion.getOrDefault(key, 0L));
            lastVersion.put(key, version);
            assertThat(partitionOfKey.computeIfAbsent(key, k -> r.partition())).isEqualTo(r.partition());
        }
        return partitionOfKey;
    }

    /** The event id header of a record. */
    static UUID eventId(ConsumerRecord<byte[], byte[]> r) {
        return UUID.fromString(Topics.header(r, KafkaEvents.HEADER_EVENT_ID));
    }

    /** The event ids of the records. */
    static Set<UUID> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(RelayFixtures::eventId).collect(Collectors.toSet());
    }
}
