package dev.inventory.kafka;

import dev.inventory.core.LocationId;
import dev.inventory.core.ProductAvailability;
import dev.inventory.core.Quantity;
import dev.inventory.core.Sku;
import dev.inventory.core.spi.AvailabilityCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The read side (CQRS): keeps the availability of every SKU current from the inventory events on
 * Kafka, without touching the store. Each event carries the level's quantities after the change and
 * its version, so the view keeps, per SKU x location, the quantities of the highest version seen and
 * drops older or repeated ones as {@link Outcome#stale() stale}; out-of-order or duplicate delivery
 * cannot move it backwards. After every applied event the SKU's {@link ProductAvailability} is
 * recomputed (same rules as {@code Inventory.availability}) and, when a display cache is configured,
 * written to it.
 *
 * <pre>{@code
 * AvailabilityProjection projection = AvailabilityProjection.builder()
 *         .bootstrapServers("kafka:9092")
 *         .cache(displayCache)                      // optional: keep the display cache warm
 *         .build();
 * projection.start();
 * projection.availability(Sku.of("TEE-M"));          // Optional<ProductAvailability>
 * }</pre>
 *
 * <p>The view lives in memory, so by default every instance uses its own consumer group and reads the
 * topic from the beginning on start (set {@link Builder#groupId} to share progress when the view is
 * kept elsewhere, such as the cache). Records that are not valid events go to the dead-letter topic.
 */
public final class AvailabilityProjection implements AutoCloseable {
    private final ConcurrentHashMap<Sku, Map<LocationId, LevelView>> levels = new ConcurrentHashMap<>();
    private final Set<Sku> cacheBehind = ConcurrentHashMap.newKeySet();
    private final long lowStockThreshold;
    private final Map<LocationId, String> regions;
    private final AvailabilityCache cache;
    private final ReliableConsumer<InventoryEventMessage> consumer;

    private AvailabilityProjection(Builder b) {
        this.lowStockThreshold = b.lowStockThreshold;
        this.regions = Map.copyOf(b.regions);
        this.cache = b.cache;
        if (b.bootstrapServers == null) {
            this.consumer = null;
            return;
        }
        String deadLetters = b.deadLetterTopic;
        ReliableConsumer.Builder<InventoryEventMessage> c = ReliableConsumer
                .builder(InventoryEventMessage.decoder(), this::apply)
                .bootstrapServers(b.bootstrapServers)
                .groupId(b.groupId != null ? b.groupId : "inventory-availability-" + UUID.randomUUID())
                .topics(b.topic)
                .name(b.name)
                .backoff(b.backoff)
                .pollTimeout(b.pollTimeout);
        if (deadLetters != null) {
            c.deadLetterTopic(t -> deadLetters);
        }
        b.consumerProperties.forEach(c::consumerProperty);
        this.consumer = c.build();
    }

    /** A builder with the defaults: topic {@value KafkaEvents#DEFAULT_TOPIC}, low stock at 5, no cache. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies one event to the view (what the consumer calls; usable directly with events from
     * elsewhere).
     *
     * @return {@link Outcome#applied()} when the event moved its level forward, {@link Outcome#stale()}
     *     when a newer or equal version was already applied
     */
    public Outcome apply(InventoryEventMessage event) {
        Settings.notNull("event", event);
        AtomicReference<Outcome> outcome = new AtomicReference<>(Outcome.stale());
        Map<LocationId, LevelView> after = levels.compute(event.sku(), (sku, byLocation) -> {
            LevelView known = byLocation == null ? null : byLocation.get(event.locationId());
            if (known != null && event.version() <= known.version()) {
                return byLocation;
            }
            Map<LocationId, LevelView> copy = byLocation == null ? new TreeMap<>() : new TreeMap<>(byLocation);
            copy.put(event.locationId(), new LevelView(event.sku(), event.locationId(), event.quantities(),
                    event.version(), event.occurredAt()));
            outcome.set(Outcome.applied());
            return Collections.unmodifiableMap(copy);
        });
        if (cache != null && (outcome.get() instanceof Outcome.Applied || cacheBehind.contains(event.sku()))) {
            // a failed write leaves the SKU marked, so the retried (now stale) event writes it again
            cacheBehind.add(event.sku());
            cache.put(availabilityOf(event.sku(), after));
            cacheBehind.remove(event.sku());
        }
        return outcome.get();
    }

    /** The availability of {@code sku} from the events seen so far; empty when none was seen. */
    public Optional<ProductAvailability> availability(Sku sku) {
        Settings.notNull("sku", sku);
        Map<LocationId, LevelView> byLocation = levels.get(sku);
        return byLocation == null ? Optional.empty() : Optional.of(availabilityOf(sku, byLocation));
    }

    /** The last known level of {@code sku} at {@code locationId}. */
    public Optional<LevelView> level(Sku sku, LocationId locationId) {
        Settings.notNull("sku", sku);
        Settings.notNull("locationId", locationId);
        Map<LocationId, LevelView> byLocation = levels.get(sku);
        return byLocation == null ? Optional.empty() : Optional.ofNullable(byLocation.get(locationId));
    }

    /** Starts consuming (once). */
    public void start() {
        if (consumer == null) {
            throw new IllegalStateException("bootstrapServers must be set to start the projection's consumer");
        }
        consumer.start();
    }

    /** The consumer's counters (all zero when it was never started). */
    public ConsumerStats stats() {
        return consumer == null ? new ConsumerStats(0, 0, 0, 0, 0) : consumer.stats();
    }

    /** Stops consuming; the view stays readable. */
    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
    }

    private ProductAvailability availabilityOf(Sku sku, Map<LocationId, LevelView> byLocationView) {
        List<ProductAvailability.Location> locations = new ArrayList<>(byLocationView.size());
        for (LevelView level : byLocationView.values()) {
            locations.add(new ProductAvailability.Location(level.locationId(), level.quantities().available(),
                    level.quantities().inTransitIn()));
        }
        return ProductAvailability.summarize(sku, locations, regions, lowStockThreshold);
    }

    /**
     * One level as the events last described it.
     *
     * @param sku the SKU
     * @param locationId the location
     * @param quantities the quantities after the last applied event
     * @param version that event's version
     * @param updatedAt when that change happened
     */
    public record LevelView(Sku sku, LocationId locationId, InventoryEventMessage.Quantities quantities,
            long version, Instant updatedAt) {
    }

    /** Configures an {@link AvailabilityProjection}; setters validate and name the bad argument. */
    public static final class Builder {
        private final Map<LocationId, String> regions = new HashMap<>();
        private final Map<String, Object> consumerProperties = new HashMap<>();
        private String bootstrapServers;
        private String topic = KafkaEvents.DEFAULT_TOPIC;
        private String groupId;
        private String name = "inventory-availability";
        private long lowStockThreshold = 5;
        private AvailabilityCache cache;
        private Backoff backoff = Backoff.defaults();
        private Duration pollTimeout = Duration.ofMillis(500);
        private String deadLetterTopic;

        private Builder() {
        }

        /** The Kafka bootstrap servers; without them the projection only takes {@link #apply} calls. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = Settings.text("bootstrapServers", servers);
            return this;
        }

        /** The events topic (default {@value KafkaEvents#DEFAULT_TOPIC}). */
        public Builder topic(String topic) {
            this.topic = Settings.topic("topic", topic);
            return this;
        }

        /** A shared consumer group (default: a new group per instance, reading from the beginning). */
        public Builder groupId(String groupId) {
            this.groupId = Settings.text("groupId", groupId);
            return this;
        }

        /** The consumer's thread name and client id (default {@code inventory-availability}). */
        public Builder name(String name) {
            this.name = Settings.text("name", name);
            return this;
        }

        /** Any other consumer property (see {@link ReliableConsumer.Builder#consumerProperty}). */
        public Builder consumerProperty(String key, Object value) {
            consumerProperties.put(Settings.text("consumer property key", key), Settings.notNull(key, value));
            return this;
        }

        /** Available at or below this (and above 0) shows as LOW_STOCK, "Only N left" (default 5). */
        public Builder lowStockThreshold(long threshold) {
            this.lowStockThreshold = Quantity.requireNonNegative("lowStockThreshold", threshold);
            return this;
        }

        /** Puts {@code locationId} in {@code region} for {@link ProductAvailability#byRegion()}. */
        public Builder region(LocationId locationId, String region) {
            regions.put(Settings.notNull("locationId", locationId), Settings.text("region", region));
            return this;
        }

        /** Writes every recomputed availability to this display cache. */
        public Builder cache(AvailabilityCache cache) {
            this.cache = Settings.notNull("cache", cache);
            return this;
        }

        /** Retry schedule for transient failures, such as a cache that is down (default {@link Backoff#defaults()}). */
        public Builder backoff(Backoff backoff) {
            this.backoff = Settings.notNull("backoff", backoff);
            return this;
        }

        /** The longest single poll (default 500 ms). */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = Settings.duration("pollTimeout", pollTimeout, Duration.ofMillis(1),
                    Duration.ofMinutes(1));
            return this;
        }

        /** The dead-letter topic for unreadable events (default {@code <topic>.DLT}). */
        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = Settings.topic("deadLetterTopic", topic);
            return this;
        }

        /** Builds the projection (its consumer starts with {@link AvailabilityProjection#start()}). */
        public AvailabilityProjection build() {
            return new AvailabilityProjection(this);
        }
    }
}
