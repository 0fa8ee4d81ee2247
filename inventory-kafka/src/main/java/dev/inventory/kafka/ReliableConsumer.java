package dev.inventory.kafka;

import dev.inventory.core.InventoryStoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer that never loses a record and never blocks a partition forever (DESIGN section 6).
 *
 * <pre>{@code
 * ReliableConsumer<WarehouseMessage> consumer = ReliableConsumer
 *         .builder(WarehouseMessage.decoder(), warehouseHandler)
 *         .bootstrapServers("kafka:9092")
 *         .groupId("inventory-warehouse")
 *         .topics("wms.events")
 *         .build();
 * consumer.start();                 // one background thread; consumer.close() stops it
 * }</pre>
 *
 * <p>For every record, in offset order per partition:
 * <ol>
 *   <li>the {@link RecordDecoder} reads it; if it throws, the record is poison and goes to the
 *       dead-letter topic (default {@code <topic>.DLT}) at once;
 *   <li>if a version tracker is configured and the message's version is at or below the highest one
 *       applied for its key, it is dropped as stale;
 *   <li>the {@link RecordHandler} applies it: {@link Outcome#applied() applied},
 *       {@link Outcome#duplicate() duplicate} (the store skipped a known event id) and
 *       {@link Outcome#stale() stale} move on; {@link Outcome#rejected(String) rejected} is
 *       dead-lettered; a transient exception ({@link InventoryStoreException#isRetrySafe()}, a Kafka
 *       {@link RetriableException}, or what {@link Builder#retryWhen} accepts) is retried with
 *       exponential {@link Backoff} by seeking back and pausing only that partition while the consumer
 *       keeps polling (so it stays in its group); after the last attempt, or for any other exception,
 *       the record is dead-lettered.
 * </ol>
 *
 * <p>Offsets are committed by hand after each polled batch, and only up to the last record that was
 * applied, skipped or dead-lettered (the dead letter acknowledged by the broker): no record is
 * committed that was neither applied nor dead-lettered. If the dead-letter topic cannot be written,
 * the record is retried with backoff, never skipped. When partitions are revoked, their processed
 * offsets are committed first. A consumer that dies (an {@link Error} from the handler, a crash)
 * commits nothing more: its uncommitted records go to the next owner, whose store skips the ones
 * already applied by event id.
 *
 * <p>Dead letters keep the original key, value and headers and add Spring Kafka's headers
 * ({@link DeadLetterHeaders}); they go to the original partition when the dead-letter topic has it,
 * else to the partition of their key.
 *
 * @param <T> the message type
 */
public final class ReliableConsumer<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReliableConsumer.class);
    private static final int MAX_STACKTRACE_CHARS = 16_000;

    private final RecordDecoder<T> decoder;
    private final RecordHandler<T> handler;
    private final Function<? super T, Optional<VersionTracker.Stamp>> stampOf;
    private final VersionTracker tracker;
    private final Backoff backoff;
    private final Predicate<? super Exception> retryWhen;
    private final UnaryOperator<String> deadLetterTopic;
    private final Duration pollTimeout;
    private final Duration deadLetterTimeout;
    private final String groupId;
    private final String name;
    private final List<String> topics;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;

    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    private volatile boolean running;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile Consumer<byte[], byte[]> consumer;
    private Thread thread;

    // confined to the consumer thread
    private Producer<byte[], byte[]> deadLetterProducer;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final Map<TopicPartition, Retry> retryState = new HashMap<>();

    private ReliableConsumer(Builder<T> b) {
        this.decoder = b.decoder;
        this.handler = b.handler;
        this.stampOf = b.stampOf;
        this.tracker = b.tracker;
        this.backoff = b.backoff;
        this.retryWhen = b.retryWhen;
        this.deadLetterTopic = b.deadLetterTopic;
        this.pollTimeout = b.pollTimeout;
        this.deadLetterTimeout = b.deadLetterTimeout;
        this.groupId = b.groupId;
        this.name = b.name;
        this.topics = List.copyOf(b.topics);
        this.consumerConfig = ClientConfigs.consumer(b.consumerProperties, b.groupId, b.name, "earliest");
        this.producerConfig = ClientConfigs.rawProducer(b.producerProperties, b.name + "-dlt");
    }

    /** A builder for a consumer that reads with {@code decoder} and applies with {@code handler}. */
    public static <T> Builder<T> builder(RecordDecoder<T> decoder, RecordHandler<T> handler) {
        return new Builder<>(decoder, handler);
    }

    /**
     * Whether the default classification retries {@code e}: an {@link InventoryStoreException} that
     * is retry-safe, or a Kafka {@link RetriableException}, anywhere in its cause chain.
     */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InventoryStoreException) {
                return ((InventoryStoreException) t).isRetrySafe();
            }
            if (t instanceof RetriableException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Subscribes and starts the background thread (once).
     *
     * @throws org.apache.kafka.common.KafkaException when the client configuration is invalid
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("consumer " + name + " is closed");
        }
        if (thread != null) {
            throw new IllegalStateException("consumer " + name + " is already started");
        }
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig);
        try {
            deadLetterProducer = new KafkaProducer<>(producerConfig);
        } catch (RuntimeException e) {
            c.close(Duration.ZERO);
            throw e;
        }
        consumer = c;
        running = true;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the background thread is consuming. */
    public boolean isRunning() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    /** What stopped the consumer, if it died (an {@link Error} from the handler, a fatal client error). */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The counters so far. */
    public ConsumerStats stats() {
        return new ConsumerStats(applied.get(), duplicates.get(), stale.get(), deadLettered.get(), retries.get());
    }

    /**
     * Stops consuming: the record in progress finishes, processed offsets are committed, the consumer
     * leaves its group.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
            t = thread;
        }
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ the consumer thread

    private void run() {
        Consumer<byte[], byte[]> c = consumer;
        boolean graceful = false;
        try {
            c.subscribe(topics, new Rebalance());
            while (running) {
                resumeDue();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = c.poll(nextPollTimeout());
                } catch (WakeupException e) {
                    continue;
                }
                for (TopicPartition tp : records.partitions()) {
                    if (!running) {
                        break;
                    }
                    processPartition(tp, records.records(tp));
                }
                commitPending();
            }
            graceful = true;
        } catch (Throwable e) {
            failure = e;
            running = false;
            log.error("consumer {} (group {}) stopped without committing its last records; they will be"
                    + " delivered again", name, groupId, e);
        } finally {
            if (graceful) {
                commitPending();
            }
            try {
                c.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                log.warn("consumer {}: close failed", name, e);
            }
            try {
                deadLetterProducer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                log.warn("consumer {}: closing the dead-letter producer failed", name, e);
            }
        }
    }

    private void processPartition(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!process(tp, record)) {
                return; // paused for a retry; the rest of this batch is fetched again after the seek
            }
            pending.put(tp, new OffsetAndMetadata(record.offset() + 1));
        }
    }

    /** @return true when the partition may move past {@code record} */
    private boolean process(TopicPartition tp, ConsumerRecord<byte[], byte[]> record) {
        Retry retry = retryState.get(tp);
        if (retry != null && retry.offset != record.offset()) {
            retryState.remove(tp);
            retry = null;
        }
        if (retry != null && retry.deadLetterCause != null) {
            return deadLetter(tp, record, retry.deadLetterCause, retry.attempts);
        }
        int attempt = retry == null ? 1 : retry.attempts + 1;
        T message;
        try {
            message = decoder.decode(record);
            if (message == null) {
                throw new IllegalArgumentException("the decoder returned nothing");
            }
        } catch (Exception e) {
            return deadLetter(tp, record, e, 0);
        }
        Outcome outcome;
        try {
            Optional<VersionTracker.Stamp> stamp = stampOf == null ? Optional.empty() : stampOf.apply(message);
            if (stamp.isPresent() && tracker.isStale(stamp.get().key(), stamp.get().version())) {
                outcome = Outcome.stale();
            } else {
                outcome = handler.handle(message);
                if (outcome == null) {
                    throw new IllegalStateException("the handler returned no outcome");
                }
                if (stamp.isPresent() && (outcome instanceof Outcome.Applied || outcome instanceof Outcome.Duplicate)) {
                    tracker.applied(stamp.get().key(), stamp.get().version());
                }
            }
        } catch (Exception e) {
            if ((isTransient(e) || retryWhen.test(e)) && backoff.allowsAnotherAttempt(attempt)) {
                Duration delay = backoff.delay(attempt);
                log.warn("consumer {}: transient failure on {}-{}@{} (attempt {}), retrying in {} ms", name,
                        tp.topic(), tp.partition(), record.offset(), attempt, delay.toMillis(), e);
                pauseForRetry(tp, new Retry(record.offset(), attempt, System.nanoTime() + delay.toNanos(), null));
                return false;
            }
            return deadLetter(tp, record, e, 0);
        }
        if (outcome instanceof Outcome.Rejected) {
            return deadLetter(tp, record, new RejectedRecordException(((Outcome.Rejected) outcome).reason()), 0);
        }
        (outcome instanceof Outcome.Applied ? applied : outcome instanceof Outcome.Duplicate ? duplicates : stale)
                .incrementAndGet();
        retryState.remove(tp);
        return true;
    }

    /**
     * Publishes {@code record} to its dead-letter topic and waits for the broker. If that fails the
     * partition is paused and the dead letter retried, never skipped.
     *
     * @param failedSends how many earlier attempts to dead-letter this record failed
     */
    private boolean deadLetter(TopicPartition tp, ConsumerRecord<byte[], byte[]> record, Exception cause,
            int failedSends) {
        String topic = deadLetterTopic.apply(record.topic());
        try {
            ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic,
                    partitionIn(topic, record.partition()), null, record.key(), record.value(),
                    deadLetterHeaders(record, cause));
            deadLetterProducer.send(letter).get(deadLetterTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + describe(record), e);
        } catch (Exception e) {
            int sends = failedSends + 1;
            Duration delay = backoff.delay(Math.min(sends, 30));
            log.error("consumer {}: could not write {} to dead-letter topic {} (attempt {}); the partition waits"
                    + " {} ms and tries again", name, describe(record), topic, sends, delay.toMillis(), e);
            pauseForRetry(tp, new Retry(record.offset(), sends, System.nanoTime() + delay.toNanos(), cause));
            return false;
        }
        deadLettered.incrementAndGet();
        retryState.remove(tp);
        log.warn("consumer {}: {} sent to {}: {}", name, describe(record), topic, cause.toString());
        return true;
    }

    private Integer partitionIn(String topic, int partition) {
        List<PartitionInfo> partitions = deadLetterProducer.partitionsFor(topic);
        return partition < partitions.size() ? partition : null;
    }

    private Headers deadLetterHeaders(ConsumerRecord<byte[], byte[]> record, Exception cause) {
        RecordHeaders h = new RecordHeaders(record.headers().toArray());
        h.add(DeadLetterHeaders.EXCEPTION_FQCN, utf8(cause.getClass().getName()));
        if (cause.getCause() != null) {
            h.add(DeadLetterHeaders.EXCEPTION_CAUSE_FQCN, utf8(cause.getCause().getClass().getName()));
        }
        if (cause.getMessage() != null) {
            h.add(DeadLetterHeaders.EXCEPTION_MESSAGE, utf8(cause.getMessage()));
        }
        h.add(DeadLetterHeaders.EXCEPTION_STACKTRACE, utf8(stackTrace(cause)));
        addOnce(h, DeadLetterHeaders.ORIGINAL_TOPIC, utf8(record.topic()));
        addOnce(h, DeadLetterHeaders.ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES)
                .putInt(record.partition()).array());
        addOnce(h, DeadLetterHeaders.ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(record.offset())
                .array());
        addOnce(h, DeadLetterHeaders.ORIGINAL_TIMESTAMP, ByteBuffer.allocate(Long.BYTES)
                .putLong(record.timestamp()).array());
        addOnce(h, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE, utf8(record.timestampType().toString()));
        addOnce(h, DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP, utf8(groupId));
        return h;
    }

    private static void addOnce(Headers h, String key, byte[] value) {
        if (h.lastHeader(key) == null) {
            h.add(key, value);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() <= MAX_STACKTRACE_CHARS ? s : s.substring(0, MAX_STACKTRACE_CHARS) + "...";
    }

    private static String describe(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }

    private void pauseForRetry(TopicPartition tp, Retry retry) {
        retries.incrementAndGet();
        retryState.put(tp, retry);
        consumer.seek(tp, retry.offset);
        consumer.pause(List.of(tp));
    }

    private void resumeDue() {
        if (retryState.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> due = new ArrayList<>();
        for (Map.Entry<TopicPartition, Retry> e : retryState.entrySet()) {
            if (paused.contains(e.getKey()) && now - e.getValue().resumeAt >= 0) {
                due.add(e.getKey());
            }
        }
        if (!due.isEmpty()) {
            consumer.resume(due);
        }
    }

    private Duration nextPollTimeout() {
        long timeout = pollTimeout.toNanos();
        if (!retryState.isEmpty()) {
            long now = System.nanoTime();
            for (Retry r : retryState.values()) {
                timeout = Math.min(timeout, Math.max(0, r.resumeAt - now));
            }
        }
        return Duration.ofNanos(timeout);
    }

    private void commitPending() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(pending));
            pending.clear();
        } catch (WakeupException e) {
            // close() woke us: the final commit after the loop takes over
        } catch (CommitFailedException e) {
            // the group moved these partitions elsewhere; their new owner gets the records again and
            // skips the applied ones by event id
            log.info("consumer {}: commit failed after a rebalance; {} partitions' last records will be"
                    + " delivered again", name, pending.size(), e);
            pending.clear();
        } catch (RuntimeException e) {
            log.warn("consumer {}: commit failed, will try again", name, e);
        }
    }

    /** Commits what was processed before partitions leave, and forgets their state. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata offset = pending.get(tp);
                if (offset != null) {
                    leaving.put(tp, offset);
                }
            }
            if (!leaving.isEmpty()) {
                try {
                    consumer.commitSync(leaving);
                } catch (RuntimeException e) {
                    log.warn("consumer {}: commit on revocation of {} failed; their last records will be"
                            + " delivered again", name, leaving.keySet(), e);
                }
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.debug("consumer {}: assigned {}", name, partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                pending.remove(tp);
                retryState.remove(tp);
            }
        }
    }

    /**
     * A partition waiting to retry the record at {@code offset}.
     *
     * @param deadLetterCause set when the record is already judged and only its dead letter failed
     */
    private record Retry(long offset, int attempts, long resumeAt, Exception deadLetterCause) {
    }

    /**
     * Configures a {@link ReliableConsumer}. Every setter validates its argument and names it in the error.
     *
     * @param <T> the message type
     */
    public static final class Builder<T> {
        private final RecordDecoder<T> decoder;
        private final RecordHandler<T> handler;
        private final Map<String, Object> consumerProperties = new HashMap<>();
        private final Map<String, Object> producerProperties = new HashMap<>();
        private final List<String> topics = new ArrayList<>();
        private Function<? super T, Optional<VersionTracker.Stamp>> stampOf;
        private VersionTracker tracker;
        private Backoff backoff = Backoff.defaults();
        private Predicate<? super Exception> retryWhen = e -> false;
        private UnaryOperator<String> deadLetterTopic = t -> t + DeadLetterHeaders.DEFAULT_SUFFIX;
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration deadLetterTimeout = Duration.ofSeconds(30);
        private String groupId;
        private String name = "inventory-consumer";

        private Builder(RecordDecoder<T> decoder, RecordHandler<T> handler) {
            this.decoder = Settings.notNull("decoder", decoder);
            this.handler = Settings.notNull("handler", handler);
        }

        /** The Kafka bootstrap servers, for the consumer and the dead-letter producer. */
        public Builder<T> bootstrapServers(String servers) {
            String s = Settings.text("bootstrapServers", servers);
            consumerProperties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, s);
            producerProperties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, s);
            return this;
        }

        /** The consumer group (required). */
        public Builder<T> groupId(String groupId) {
            this.groupId = Settings.text("groupId", groupId);
            return this;
        }

        /** The topics to read (at least one). */
        public Builder<T> topics(String... topics) {
            Settings.notNull("topics", topics);
            for (String t : topics) {
                this.topics.add(Settings.topic("topics", t));
            }
            return this;
        }

        /**
         * Any other consumer property. {@code enable.auto.commit} may only be {@code false};
         * deserializers are the library's own ({@code byte[]}); {@code auto.offset.reset} defaults to
         * {@code earliest}, so a new group misses nothing.
         */
        public Builder<T> consumerProperty(String key, Object value) {
            consumerProperties.put(Settings.text("consumer property key", key), Settings.notNull(key, value));
            return this;
        }

        /** Any other property of the dead-letter producer (idempotent, {@code acks=all}). */
        public Builder<T> producerProperty(String key, Object value) {
            producerProperties.put(Settings.text("producer property key", key), Settings.notNull(key, value));
            return this;
        }

        /** Where a record of a topic goes when it is dead-lettered (default {@code <topic>.DLT}). */
        public Builder<T> deadLetterTopic(UnaryOperator<String> topicOf) {
            this.deadLetterTopic = Settings.notNull("deadLetterTopic", topicOf);
            return this;
        }

        /** The retry schedule of transient failures (default {@link Backoff#defaults()}). */
        public Builder<T> backoff(Backoff backoff) {
            this.backoff = Settings.notNull("backoff", backoff);
            return this;
        }

        /** Also treats the exceptions {@code predicate} accepts as transient (retried with backoff). */
        public Builder<T> retryWhen(Predicate<? super Exception> predicate) {
            this.retryWhen = Settings.notNull("retryWhen", predicate);
            return this;
        }

        /**
         * Drops stale messages: {@code stampOf} gives a message's aggregate key and version, and a
         * message at or below the highest version {@code tracker} recorded for its key is stale. Applied
         * and duplicate messages are recorded.
         */
        public Builder<T> versions(Function<? super T, Optional<VersionTracker.Stamp>> stampOf,
                VersionTracker tracker) {
            this.stampOf = Settings.notNull("stampOf", stampOf);
            this.tracker = Settings.notNull("tracker", tracker);
            return this;
        }

        /** The longest single poll (default 500 ms), 1 ms to 1 minute. */
        public Builder<T> pollTimeout(Duration pollTimeout) {
            this.pollTimeout = Settings.duration("pollTimeout", pollTimeout, Duration.ofMillis(1),
                    Duration.ofMinutes(1));
            return this;
        }

        /** How long to wait for the broker to acknowledge a dead letter (default 30 s). */
        public Builder<T> deadLetterTimeout(Duration timeout) {
            this.deadLetterTimeout = Settings.duration("deadLetterTimeout", timeout, Duration.ofMillis(100),
                    Duration.ofMinutes(10));
            return this;
        }

        /** The thread name and client id (default {@code inventory-consumer}). */
        public Builder<T> name(String name) {
            this.name = Settings.text("name", name);
            return this;
        }

        /** Builds the consumer; {@link ReliableConsumer#start()} subscribes. */
        public ReliableConsumer<T> build() {
            if (groupId == null) {
                throw new IllegalArgumentException("groupId must be set");
            }
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("topics must name at least one topic");
            }
            return new ReliableConsumer<>(this);
        }
    }
}
