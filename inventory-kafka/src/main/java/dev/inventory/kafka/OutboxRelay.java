package dev.inventory.kafka;

import dev.inventory.core.spi.OutboxSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an {@link OutboxSource} (the JDBC outbox table, or the Redis journal streams) to Kafka,
 * at least once and in order per SKU x location.
 *
 * <pre>{@code
 * OutboxRelay relay = OutboxRelay.builder(outboxSource)
 *         .bootstrapServers("kafka:9092")
 *         .topic("inventory.events")
 *         .build();
 * relay.start();                                   // background thread; relay.close() stops it
 * relay.oldestUnpublishedAge();                    // for the "oldest unpublished event" gauge
 * }</pre>
 *
 * <p>Each round hands up to {@code batchSize} records to an idempotent producer
 * ({@code enable.idempotence=true}, {@code acks=all}, set explicitly), waits for the broker's
 * acknowledgements and returns only the acknowledged ids to the source, which marks exactly those:
 * a relay that dies between publishing and marking publishes the same records again (a duplicate,
 * never a loss; consumers skip it by event id). Records of one key are sent in order and a key stops
 * at its first failure, so its later records come again after it. The record key is
 * {@code sku:locationId}, the value the event JSON, the headers {@code eventId}, {@code eventType} and
 * {@code eventVersion} ({@link KafkaEvents}).
 *
 * <p>Several relays may run against one source: the source locks what it hands out (SKIP LOCKED
 * batches or an advisory-lock leader for JDBC, a consumer group for the Redis journal). Published
 * records older than the retention are purged periodically.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxSource source;
    private final KafkaPublisher publisher;
    private final String name;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration maxBackoff;
    private final Duration retention;
    private final Duration purgeInterval;
    private final int purgeBatchSize;
    private final Clock clock;
    private final Duration ackTimeout;
    private final ReentrantLock roundLock = new ReentrantLock();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failedRounds = new AtomicLong();
    private volatile boolean running;
    private volatile boolean closed;
    private Thread thread;

    private OutboxRelay(Builder b, Supplier<Producer<String, byte[]>> producers) {
        this.source = b.source;
        this.name = b.name;
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.maxBackoff = b.maxBackoff;
        this.retention = b.retention;
        this.purgeInterval = b.purgeInterval;
        this.purgeBatchSize = b.purgeBatchSize;
        this.clock = b.clock;
        this.ackTimeout = b.ackTimeout;
        this.publisher = new KafkaPublisher(producers, b.topic, b.ackTimeout);
    }

    /** A builder relaying {@code source}. */
    public static Builder builder(OutboxSource source) {
        return new Builder(source);
    }

    /**
     * Runs one round now: publishes up to {@code batchSize} records and lets the source mark the
     * acknowledged ones. Rounds of one relay never overlap.
     *
     * @return how many records the source marked published
     * @throws Exception what the source or the publisher threw; nothing was marked then
     */
    public int relayOnce() throws Exception {
        return round().marked;
    }

    private Round round() throws Exception {
        requireOpen();
        roundLock.lock();
        try {
            publisher.reset();
            int marked = source.relay(batchSize, publisher);
            published.addAndGet(marked);
            boolean failed = publisher.lastFailures() > 0;
            if (failed) {
                failedRounds.incrementAndGet();
            }
            return new Round(marked, failed);
        } finally {
            roundLock.unlock();
        }
    }

    /** What one round did. */
    private record Round(int marked, boolean failed) {
    }

    /**
     * Deletes published records older than the retention, in batches, until fewer than a batch remain.
     *
     * @return how many were deleted
     */
    public int purgeOnce() {
        requireOpen();
        Instant cutoff = clock.instant().minus(retention);
        int total = 0;
        int deleted;
        do {
            deleted = source.purgePublished(cutoff, purgeBatchSize);
            total += deleted;
        } while (deleted >= purgeBatchSize && !closed);
        return total;
    }

    /** How long the oldest unpublished record has waited, empty when none waits (a monitoring gauge). */
    public Optional<Duration> oldestUnpublishedAge() {
        Instant now = clock.instant();
        return source.oldestUnpublished().map(t -> t.isAfter(now) ? Duration.ZERO : Duration.between(t, now));
    }

    /** How many records this relay has had marked published since it was built. */
    public long publishedCount() {
        return published.get();
    }

    /** How many rounds had at least one record the broker did not acknowledge. */
    public long failedRounds() {
        return failedRounds.get();
    }

    /** Starts the background thread (once); it relays until {@link #close()}. */
    public synchronized void start() {
        requireOpen();
        if (thread != null) {
            throw new IllegalStateException("relay " + name + " is already started");
        }
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Ends the current wait of the background thread, for a host that just wrote events. */
    public void wakeUp() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Stops the background thread, waiting for the round in flight, and closes the producer. */
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
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(ackTimeout.plusSeconds(10).toMillis());
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean locked = false;
        try {
            locked = roundLock.tryLock(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!locked) {
                log.warn("relay {}: a round is still running; closing its producer under it", name);
            }
            publisher.close();
        } finally {
            if (locked) {
                roundLock.unlock();
            }
        }
    }

    private void loop() {
        int failures = 0;
        long nextPurge = System.nanoTime();
        while (running) {
            if (System.nanoTime() - nextPurge >= 0) {
                try {
                    int purged = purgeOnce();
                    if (purged > 0) {
                        log.debug("relay {}: purged {} published records", name, purged);
                    }
                } catch (RuntimeException e) {
                    log.warn("relay {}: purging published records failed; retrying in {}", name, purgeInterval, e);
                }
                nextPurge = System.nanoTime() + purgeInterval.toNanos();
            }
            long waitNanos;
            try {
                Round round = round();
                if (round.failed) {
                    failures++;
                    waitNanos = backoff(failures);
                } else {
                    failures = 0;
                    waitNanos = round.marked >= batchSize ? 0 : pollInterval.toNanos();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
                failures++;
                waitNanos = backoff(failures);
            } catch (Exception | LinkageError e) {
                if (!running) {
                    break;
                }
                failures++;
                waitNanos = backoff(failures);
                log.warn("relay {}: round failed (attempt {}); nothing of it was marked, retrying in {} ms", name,
                        failures, waitNanos / 1_000_000, e);
            }
            if (waitNanos > 0 && running) {
                LockSupport.parkNanos(this, waitNanos);
            }
        }
    }

    private long backoff(int failures) {
        long base = pollInterval.toNanos() * (1L << Math.min(failures - 1, 20));
        return Math.min(base, maxBackoff.toNanos());
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("relay " + name + " is closed");
        }
    }

    /**
     * Configures an {@link OutboxRelay}. Every setter validates its argument and names it in the error.
     */
    public static final class Builder {
        private final OutboxSource source;
        private final Map<String, Object> producerProperties = new HashMap<>();
        private String topic = KafkaEvents.DEFAULT_TOPIC;
        private String name = "inventory-outbox-relay";
        private int batchSize = 500;
        private Duration pollInterval = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration ackTimeout = Duration.ofSeconds(30);
        private Duration retention = Duration.ofDays(7);
        private Duration purgeInterval = Duration.ofMinutes(1);
        private int purgeBatchSize = 1_000;
        private Clock clock = Clock.systemUTC();

        private Builder(OutboxSource source) {
            this.source = Settings.notNull("source", source);
        }

        /** The Kafka bootstrap servers ({@code host:port,...}); required unless given as a producer property. */
        public Builder bootstrapServers(String servers) {
            producerProperties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, Settings.text("bootstrapServers",
                    servers));
            return this;
        }

        /**
         * Any other producer property (security, compression, linger). {@code enable.idempotence} and
         * {@code acks} may only be set to {@code true} and {@code all}; serializers are the relay's own.
         */
        public Builder producerProperty(String key, Object value) {
            producerProperties.put(Settings.text("producer property key", key), Settings.notNull(key, value));
            return this;
        }

        /** The topic (default {@value KafkaEvents#DEFAULT_TOPIC}). */
        public Builder topic(String topic) {
            this.topic = Settings.topic("topic", topic);
            return this;
        }

        /** The thread name and client id (default {@code inventory-outbox-relay}). */
        public Builder name(String name) {
            this.name = Settings.text("name", name);
            return this;
        }

        /** Records per round, 1 to 10000 (default 500). */
        public Builder batchSize(int batchSize) {
            this.batchSize = Settings.range("batchSize", batchSize, 1, 10_000);
            return this;
        }

        /** How long to wait after a round that was not full (default 200 ms); also the first backoff step. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Settings.duration("pollInterval", pollInterval, Duration.ofMillis(1),
                    Duration.ofMinutes(10));
            return this;
        }

        /** The longest wait after failed rounds (default 30 s); waits double from the poll interval. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Settings.duration("maxBackoff", maxBackoff, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * How long a round waits for the broker's acknowledgements (default 30 s); records not
         * acknowledged by then are not marked and are sent again.
         */
        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = Settings.duration("ackTimeout", ackTimeout, Duration.ofMillis(100),
                    Duration.ofMinutes(10));
            return this;
        }

        /** How long published records are kept before purging (default 7 days; zero purges at once). */
        public Builder retention(Duration retention) {
            this.retention = Settings.duration("retention", retention, Duration.ZERO, Duration.ofDays(3650));
            return this;
        }

        /** How often the background thread purges (default every minute), in batches of {@code batchSize}. */
        public Builder purge(Duration interval, int batchSize) {
            this.purgeInterval = Settings.duration("purgeInterval", interval, Duration.ofMillis(10),
                    Duration.ofDays(1));
            this.purgeBatchSize = Settings.range("purgeBatchSize", batchSize, 1, 100_000);
            return this;
        }

        /** The clock for retention and ages (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Settings.notNull("clock", clock);
            return this;
        }

        /** Builds the relay (the producer is created on the first round). */
        public OutboxRelay build() {
            Map<String, Object> config = ClientConfigs.producer(producerProperties, name);
            return new OutboxRelay(this, () -> new KafkaProducer<>(config));
        }
    }
}
