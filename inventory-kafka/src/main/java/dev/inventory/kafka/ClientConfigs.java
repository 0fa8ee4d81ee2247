package dev.inventory.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Builds the client properties: the caller's, plus the settings reliability depends on, enforced. */
final class ClientConfigs {
    private static final Set<String> SERIALIZERS = Set.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    private static final Set<String> DESERIALIZERS = Set.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

    private ClientConfigs() {
    }

    /**
     * An idempotent producer that waits for every in-sync replica ({@code enable.idempotence=true} and
     * {@code acks=all}, both set explicitly), with a {@code String} key and {@code byte[]} value.
     */
    static Map<String, Object> producer(Map<String, Object> properties, String clientId) {
        Map<String, Object> p = withBootstrap(properties, "producer");
        requireUnsetOr(p, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        requireUnsetOr(p, ProducerConfig.ACKS_CONFIG, "all", "-1");
        for (String key : SERIALIZERS) {
            if (p.containsKey(key)) {
                throw new IllegalArgumentException("producer property " + key + " is set by the library, was "
                        + p.get(key));
            }
        }
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /** Like {@link #producer} but with {@code byte[]} keys, for dead letters (the key is copied as it came). */
    static Map<String, Object> rawProducer(Map<String, Object> properties, String clientId) {
        Map<String, Object> p = producer(properties, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * A consumer in {@code groupId} that never commits on its own ({@code enable.auto.commit=false}),
     * reading raw bytes (decoding is the library's job, so a bad record never breaks {@code poll}).
     */
    static Map<String, Object> consumer(Map<String, Object> properties, String groupId, String clientId,
            String defaultOffsetReset) {
        Map<String, Object> p = withBootstrap(properties, "consumer");
        requireUnsetOr(p, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        for (String key : DESERIALIZERS) {
            if (p.containsKey(key)) {
                throw new IllegalArgumentException("consumer property " + key + " is set by the library, was "
                        + p.get(key));
            }
        }
        Object group = p.get(ConsumerConfig.GROUP_ID_CONFIG);
        if (group != null && !group.toString().equals(groupId)) {
            throw new IllegalArgumentException("consumer property group.id conflicts with groupId " + groupId
                    + ", was " + group);
        }
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, defaultOffsetReset);
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    private static Map<String, Object> withBootstrap(Map<String, Object> properties, String client) {
        Map<String, Object> p = new HashMap<>(properties);
        Object servers = p.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.toString().isBlank()) {
            throw new IllegalArgumentException(client + " property bootstrap.servers must be set (bootstrapServers),"
                    + " was " + servers);
        }
        return p;
    }

    private static void requireUnsetOr(Map<String, Object> p, String key, String... allowed) {
        Object value = p.get(key);
        if (value == null) {
            return;
        }
        for (String ok : allowed) {
            if (ok.equalsIgnoreCase(value.toString().trim())) {
                return;
            }
        }
        throw new IllegalArgumentException("property " + key + " must be " + String.join(" or ", allowed)
                + " for reliable delivery, was " + value);
    }
}
