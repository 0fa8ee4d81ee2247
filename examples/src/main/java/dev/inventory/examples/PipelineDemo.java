package dev.inventory.examples;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.processing.WarehouseEventProcessor;
import dev.inventory.jdbc.PostgresInventoryStore;
import dev.inventory.jdbc.PostgresProcessedEvents;
import dev.inventory.kafka.KafkaEvents;
import dev.inventory.kafka.OutboxRelay;
import dev.inventory.kafka.ReliableConsumer;
import dev.inventory.kafka.WarehouseMessage;
import dev.inventory.kafka.InboundConsumers;
import dev.inventory.redis.RedisAvailabilityCache;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.JedisPooled;

/**
 * PostgreSQL + Redis display cache + Kafka, end to end: a {@link PostgresInventoryStore} writes every
 * change and its event in one transaction, an {@link OutboxRelay} publishes the outbox to a Kafka
 * topic, a checkout reserves, starts payment and confirms, then the warehouse's PICK_COMPLETE and
 * SHIP_COMPLETE go through a Kafka topic into {@code InboundConsumers.warehouse(...)} and the core's
 * processor. It prints each event as it flows and the stock after each step, and serves a live
 * availability page ({@link LivePage}) meanwhile.
 *
 * <p>Options: {@code --port N} (the page's port, 0 = a free one), {@code --wait-for-browser} (start the
 * steps once a browser has the page open), {@code --pace MS} (pause between steps),
 * {@code --linger S} (keep the page up S seconds at the end).
 */
final class PipelineDemo {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Sku TEE = Sku.of("TEE-M-BLUE");
    private static final Sku MUG = Sku.of("MUG-WHITE");
    private static final LocationId WH = LocationId.of("WH-1");

    private final PrintStream out;

    PipelineDemo(PrintStream out) {
        this.out = out;
    }

    /** The steps of the flow, in order, as {@link StepHook} sees them. */
    enum Step {
        /** 20 TEE and 5 MUG received. */
        RECEIVED,
        /** The checkout reserved 2 TEE + 1 MUG. */
        RESERVED,
        /** The hold moved to PENDING (payment started). */
        PAYMENT_STARTED,
        /** Payment confirmed: reserved became allocated. */
        CONFIRMED,
        /** PICK_COMPLETE went through Kafka into the warehouse consumer. */
        PICKED,
        /** SHIP_COMPLETE went through Kafka into the warehouse consumer: the stock left, the order is fulfilled. */
        SHIPPED
    }

    /** Called after each step has flowed through Kafka and its stock was printed, while the page is up. */
    @FunctionalInterface
    interface StepHook {
        StepHook NONE = step -> {
        };

        void after(Step step) throws Exception;
    }

    /**
     * The demo's options.
     *
     * @param onPage told the page's address once it serves, before the first step
     * @param afterStep called after every step (e.g. a test checking what a browser on the page shows)
     */
    record Options(int port, boolean waitForBrowser, Duration pace, Duration linger, Consumer<URI> onPage,
            StepHook afterStep) {
        Options(int port, boolean waitForBrowser, Duration pace, Duration linger, Consumer<URI> onPage) {
            this(port, waitForBrowser, pace, linger, onPage, StepHook.NONE);
        }

        static Options parse(String[] args) {
            int port = 0;
            boolean wait = false;
            long pace = 0;
            long linger = 0;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--wait-for-browser" -> wait = true;
                    case "--pace" -> pace = Long.parseLong(args[++i]);
                    case "--linger" -> linger = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; use --port N --wait-for-browser --pace MS --linger S");
                }
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            return new Options(port, wait, Duration.ofMillis(pace), Duration.ofSeconds(linger), uri -> {
            });
        }
    }

    static void main(String[] args, PrintStream out) throws Exception {
        new PipelineDemo(out).run(Options.parse(args));
    }

    void run(Options options) throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (DemoServers servers = new DemoServers(out)) {
            String postgres = servers.postgres();
            String kafka = servers.kafka();
            URI redisUri = servers.redis();
            String schema = "demo_pipeline_" + run;
            String eventsTopic = servers.createTopic("inventory.events");
            String wmsTopic = servers.createTopic("wms.events");
            out.println("postgres schema: " + schema + "; topics: " + eventsTopic + ", " + wmsTopic);

            try (JedisPooled jedis = new JedisPooled(redisUri.getHost(), redisUri.getPort());
                    PostgresInventoryStore store = PostgresInventoryStore.builder().jdbcUrl(postgres)
                            .schema(schema).maxPoolSize(4).build()) {
                RedisAvailabilityCache cache = RedisAvailabilityCache.builder(jedis).keyPrefix("demo-" + run + ":")
                        .build();
                try (Inventory inventory = Inventory.builder().store(store).availabilityCache(cache)
                        .listener(this::committed).build();
                        LivePage page = new LivePage(inventory, options.port(), List.of(TEE, MUG));
                        OutboxRelay relay = OutboxRelay.builder(store.outbox()).bootstrapServers(kafka)
                                .topic(eventsTopic).pollInterval(Duration.ofMillis(50)).build();
                        Tap tap = new Tap(kafka, eventsTopic);
                        // settled event ids in PostgreSQL: a redelivery stays a duplicate after a restart
                        WarehouseEventProcessor warehouse = WarehouseEventProcessor.builder(inventory)
                                .processedEvents(PostgresProcessedEvents.on(store)).build();
                        ReliableConsumer<WarehouseMessage> wms = InboundConsumers.warehouse(kafka, wmsTopic,
                                "demo-wms-" + run, warehouse);
                        KafkaProducer<String, String> wmsProducer = producer(kafka)) {
                    out.println("live page: " + page.uri() + " (stock per SKU, updated through Server-Sent Events)");
                    options.onPage().accept(page.uri());
                    relay.start();
                    tap.start();
                    wms.start();
                    if (options.waitForBrowser()) {
                        out.println("waiting for a browser on " + page.uri());
                        await("a browser on the live page", () -> page.subscribers() > 0, Duration.ofMinutes(10));
                    }
                    ReservationId order = ReservationId.of("order-" + run);

                    step("receive 20 " + TEE + " and 5 " + MUG + " at " + WH, options);
                    inventory.stock().receive(TEE, WH, 20);
                    inventory.stock().receive(MUG, WH, 5);
                    flowed(relay, tap);
                    show(inventory, cache);
                    options.afterStep().after(Step.RECEIVED);

                    step("checkout: reserve 2 " + TEE + " + 1 " + MUG + " as " + order, options);
                    ReservationResult held = inventory.reservations().reserve(ReservationRequest.builder(order)
                            .line(TEE, WH, 2).line(MUG, WH, 1).userId("alice").cartId("cart-" + run).build());
                    out.println("  result: " + held.getClass().getSimpleName());
                    flowed(relay, tap);
                    show(inventory, cache);
                    options.afterStep().after(Step.RESERVED);

                    step("checkout: start payment", options);
                    out.println("  result: " + inventory.reservations().startPayment(order).getClass().getSimpleName());
                    flowed(relay, tap);
                    show(inventory, cache);
                    options.afterStep().after(Step.PAYMENT_STARTED);

                    step("checkout: payment confirmed (reserved -> allocated)", options);
                    out.println("  result: " + inventory.reservations().confirm(order).getClass().getSimpleName());
                    flowed(relay, tap);
                    show(inventory, cache);
                    options.afterStep().after(Step.CONFIRMED);

                    step("warehouse: PICK_COMPLETE on " + wmsTopic + " (recorded; stock leaves at SHIP)", options);
                    send(wmsProducer, wmsTopic, "PICK_COMPLETE", order.value(), run);
                    await("the consumer to apply PICK_COMPLETE", () -> wms.stats().completed() >= 1, WAIT);
                    out.println("  consumer: " + wms.stats());
                    flowed(relay, tap);
                    show(inventory, cache);
                    options.afterStep().after(Step.PICKED);

                    step("warehouse: SHIP_COMPLETE on " + wmsTopic + " (the hold is fulfilled)", options);
                    send(wmsProducer, wmsTopic, "SHIP_COMPLETE", order.value(), run);
                    await("the consumer to apply SHIP_COMPLETE", () -> wms.stats().completed() >= 2, WAIT);
                    await("the order to be fulfilled", () -> inventory.reservations().find(order).orElseThrow()
                            .status() == dev.inventory.core.ReservationStatus.FULFILLED, WAIT);
                    out.println("  consumer: " + wms.stats() + "; " + order + " is "
                            + inventory.reservations().find(order).orElseThrow().status());
                    flowed(relay, tap);
                    show(inventory, cache);
                    options.afterStep().after(Step.SHIPPED);

                    step("monitoring", options);
                    out.println("  relay: published " + relay.publishedCount() + ", failed rounds "
                            + relay.failedRounds() + ", oldest unpublished " + relay.oldestUnpublishedAge()
                            .map(Duration::toString).orElse("none"));
                    out.println("  wms consumer: " + wms.stats() + (wms.failure().map(f -> ", failed: " + f)
                            .orElse("")));
                    if (!options.linger().isZero()) {
                        out.println("  the live page stays up for " + options.linger().toSeconds() + " s: "
                                + page.uri());
                        Thread.sleep(options.linger().toMillis());
                    }
                }
            }
        }
    }

    private void committed(InventoryEvent event) {
        out.printf("  store -> outbox   %-34s %s@%s v%d %s%n", event.type().wireName(), event.sku(),
                event.locationId(), event.version(), event.reference().map(r -> "ref=" + r).orElse(""));
    }

    /** Waits until the relay has published everything and the tap has read it back from Kafka. */
    private void flowed(OutboxRelay relay, Tap tap) {
        relay.wakeUp();
        await("the relay to publish the outbox", () -> relay.oldestUnpublishedAge().isEmpty(), WAIT);
        await("Kafka to deliver what the relay published", () -> tap.seen.get() >= relay.publishedCount(), WAIT);
    }

    private void show(Inventory inventory, RedisAvailabilityCache cache) {
        for (Sku sku : List.of(TEE, MUG)) {
            StockLevel l = inventory.level(sku, WH).orElseThrow();
            String page = inventory.availability(sku).message();
            String cached = cache.get(sku).map(a -> "cached available=" + a.available()).orElse("not cached");
            out.printf("  stock %s@%s onHand=%d reserved=%d allocated=%d available=%d v%d | page \"%s\" (Redis: %s)%n",
                    sku, WH, l.onHand(), l.reserved(), l.allocated(), l.available(), l.version(), page, cached);
        }
    }

    private void send(KafkaProducer<String, String> producer, String topic, String type, String orderId,
            String run) throws Exception {
        String eventId = "wms-" + run + "-" + type.toLowerCase();
        String json = "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + type + "\",\"timestamp\":\""
                + Instant.now() + "\",\"locationId\":\"" + WH + "\",\"source\":\"wms\",\"orderId\":\"" + orderId
                + "\",\"items\":[{\"sku\":\"" + TEE + "\",\"quantity\":2},{\"sku\":\"" + MUG + "\",\"quantity\":1}]}";
        producer.send(new ProducerRecord<>(topic, "wms:" + WH, json)).get(30, TimeUnit.SECONDS);
        out.println("  wms -> kafka      " + type + " " + eventId + " order " + orderId);
    }

    private static KafkaProducer<String, String> producer(String servers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private void step(String title, Options options) throws InterruptedException {
        if (!options.pace().isZero()) {
            Thread.sleep(options.pace().toMillis());
        }
        out.println();
        out.println("== " + title);
    }

    private static void await(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /** Reads the events topic back and prints what arrives. */
    private final class Tap implements AutoCloseable {
        final AtomicLong seen = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final KafkaConsumer<String, String> consumer;
        private final String topic;
        private Thread thread;

        Tap(String servers, String topic) {
            this.topic = topic;
            this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                    ConsumerConfig.GROUP_ID_CONFIG, "demo-tap-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new StringDeserializer());
        }

        void start() {
            consumer.subscribe(List.of(topic));
            thread = Thread.ofPlatform().name("demo-tap").daemon().start(() -> {
                try {
                    while (running.get()) {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                            out.printf("  kafka -> consumer %-34s key=%s v%s offset=%d%n",
                                    header(r, KafkaEvents.HEADER_EVENT_TYPE), r.key(),
                                    header(r, KafkaEvents.HEADER_EVENT_VERSION), r.offset());
                            seen.incrementAndGet();
                        }
                    }
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    // closing
                } finally {
                    consumer.close();
                }
            });
        }

        private String header(ConsumerRecord<String, String> r, String name) {
            Header h = r.headers().lastHeader(name);
            return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                consumer.wakeup();
                thread.join(10_000);
            } else {
                consumer.close();
            }
        }
    }
}
