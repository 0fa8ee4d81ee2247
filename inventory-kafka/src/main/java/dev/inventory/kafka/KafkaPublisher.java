package dev.inventory.kafka;

import dev.inventory.core.spi.OutboxSource;
import dev.inventory.core.spi.OutboxSource.OutboxRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one batch of outbox records with an idempotent producer and answers the ids the broker
 * acknowledged. Per key it answers a prefix: once a record of a key fails (or is not acknowledged in
 * time), no later record of that key in the batch is sent or answered, so the source hands them over
 * again, in order. After any failure the producer is closed and a fresh one is created for the next
 * batch (a failed idempotent producer may be unusable). Confined to the relay's lock.
 */
final class KafkaPublisher implements OutboxSource.Publisher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

    private final Supplier<Producer<String, byte[]>> factory;
    private final String topic;
    private final Duration ackTimeout;
    private volatile Producer<String, byte[]> producer;
    private int lastFailures;

    KafkaPublisher(Supplier<Producer<String, byte[]>> factory, String topic, Duration ackTimeout) {
        this.factory = factory;
        this.topic = topic;
        this.ackTimeout = ackTimeout;
    }

    @Override
    public Set<UUID> publish(List<OutboxRecord> records) throws InterruptedException {
        lastFailures = 0;
        if (records.isEmpty()) {
            return Set.of();
        }
        Producer<String, byte[]> p = producer();
        Set<String> failedKeys = new HashSet<>();
        List<Sent> sent = new ArrayList<>(records.size());
        Exception firstFailure = null;
        for (OutboxRecord r : records) {
            if (failedKeys.contains(r.aggregateId())) {
                continue;
            }
            try {
                Future<RecordMetadata> ack = p.send(toProducerRecord(r));
                if (ack.isDone()) {
                    ack.get(); // a record the client refused at once (too large, no metadata): stop its key now
                }
                sent.add(new Sent(r, ack));
            } catch (RuntimeException | ExecutionException e) {
                failedKeys.add(r.aggregateId());
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        Set<UUID> acked = new LinkedHashSet<>();
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        for (Sent s : sent) {
            String key = s.record.aggregateId();
            if (failedKeys.contains(key)) {
                continue;
            }
            try {
                s.ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acked.add(s.record.id());
            } catch (ExecutionException | TimeoutException e) {
                failedKeys.add(key);
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        lastFailures = records.size() - acked.size();
        if (firstFailure != null) {
            log.warn("relay: {} of {} outbox records not acknowledged by Kafka (topic {}); they will be sent again",
                    lastFailures, records.size(), topic, firstFailure);
            discardProducer();
        }
        return acked;
    }

    /** Forgets the last batch's failures (a round whose source had nothing calls no publish). */
    void reset() {
        lastFailures = 0;
    }

    /** How many records of the last batch were not acknowledged. */
    int lastFailures() {
        return lastFailures;
    }

    ProducerRecord<String, byte[]> toProducerRecord(OutboxRecord r) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaEvents.HEADER_EVENT_ID, r.id().toString().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaEvents.HEADER_EVENT_TYPE, r.type().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaEvents.HEADER_EVENT_VERSION,
                Long.toString(r.aggregateVersion()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, r.occurredAt().toEpochMilli(), r.aggregateId(),
                r.payload().getBytes(StandardCharsets.UTF_8), headers);
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = factory.get();
        }
        return producer;
    }

    private void discardProducer() {
        Producer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(Duration.ZERO);
            } catch (RuntimeException e) {
                log.debug("relay: closing the failed producer failed", e);
            }
        }
    }

    @Override
    public void close() {
        Producer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(ackTimeout);
        }
    }

    private record Sent(OutboxRecord record, Future<RecordMetadata> ack) {
    }
}
