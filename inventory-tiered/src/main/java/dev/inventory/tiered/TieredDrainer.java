package dev.inventory.tiered;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.Sku;
import dev.inventory.core.spi.OutboxSource.OutboxRecord;
import dev.inventory.redis.RedisOutboxSource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;

/**
 * Applies the Redis journal to PostgreSQL: reads the journal streams through its own consumer group
 * (pending entries first, so a drainer that died mid-batch has its batch again), copies the levels and
 * holds each entry names from Redis to PostgreSQL in one transaction, and acknowledges ({@code XACK})
 * only after that commit. The copy is idempotent (by version per level, forward-only per hold, ledger by
 * version), so an entry applied twice, or one already copied by the write-through, changes nothing: every
 * change lands in PostgreSQL exactly once. A drainer whose process dies mid-batch leaves the batch
 * pending (nothing acknowledged); another drainer takes it over once the dead one's lease has run out.
 * A copy read from a Redis that has restarted since is refused (the store's epoch fence) and the batch
 * stays pending. With {@link Builder#outbox(boolean)} each entry is also written to the PostgreSQL
 * outbox, once per event id.
 */
public final class TieredDrainer {

    private static final Pattern RESERVATION = Pattern.compile("\"reservationId\"\\s*:\\s*\"([^\"]+)\"");

    private final TieredInventoryStore store;
    private final RedisOutboxSource journal;
    private final Clock clock;
    private final BatchHook hook;
    private final boolean outbox;

    /** Called after each entry of a batch is committed to PostgreSQL, before the batch is acknowledged. */
    @FunctionalInterface
    interface BatchHook {
        void afterCommit(int index);
    }

    private TieredDrainer(Builder b) {
        this.store = b.store;
        this.journal = RedisOutboxSource.builder(b.jedis).keyPrefix(store.hot().keyPrefix()).group(b.group)
                .lease(b.lease).build();
        this.clock = b.clock;
        this.hook = b.hook;
        this.outbox = b.outbox;
    }

    /**
     * A builder.
     *
     * @param store the tiered store whose journal to drain
     * @param jedis the client of the store's Redis
     */
    public static Builder builder(TieredInventoryStore store, UnifiedJedis jedis) {
        return new Builder(store, jedis);
    }

    /**
     * Drains up to {@code limit} journal entries.
     *
     * @return how many entries were applied and acknowledged
     * @throws InventoryStoreException when Redis or PostgreSQL fails; nothing of the batch is acknowledged
     *     and the next call takes it again
     */
    public int drainOnce(int limit) {
        try {
            return journal.relay(limit, this::apply);
        } catch (InventoryStoreException e) {
            throw e;
        } catch (Exception e) {
            throw new InventoryStoreException("drain failed: " + e.getMessage()
                    + "; the batch stays pending and the next drain applies it", e, true);
        }
    }

    /** Drains until the journal has nothing left for this drainer's group. */
    public long drainAll(int batch) {
        long total = 0;
        int n;
        while ((n = drainOnce(batch)) > 0) {
            total += n;
        }
        return total;
    }

    private Set<UUID> apply(List<OutboxRecord> records) throws Exception {
        Set<UUID> done = new LinkedHashSet<>();
        int i = 0;
        for (OutboxRecord r : records) {
            Set<TieredInventoryStore.Key> levels = new LinkedHashSet<>();
            int colon = r.aggregateId().lastIndexOf(':');
            levels.add(new TieredInventoryStore.Key(Sku.of(r.aggregateId().substring(0, colon)),
                    LocationId.of(r.aggregateId().substring(colon + 1))));
            Set<ReservationId> holds = new LinkedHashSet<>();
            Matcher m = RESERVATION.matcher(r.payload());
            if (m.find()) {
                holds.add(ReservationId.of(m.group(1)));
            }
            store.copy(levels, holds, outbox ? List.of(r) : List.of(), null, clock.instant());
            done.add(r.id());
            hook.afterCommit(i++);
        }
        return done;
    }

    /** Builds a {@link TieredDrainer}. */
    public static final class Builder {
        private final TieredInventoryStore store;
        private final UnifiedJedis jedis;
        private String group = "tiered-drainer";
        private Duration lease = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private BatchHook hook = i -> { };
        private boolean outbox;

        private Builder(TieredInventoryStore store, UnifiedJedis jedis) {
            this.store = Objects.requireNonNull(store, "store");
            this.jedis = Objects.requireNonNull(jedis, "jedis");
        }

        /** The consumer group (default {@code tiered-drainer}); distinct from the Kafka relay's group. */
        public Builder group(String group) {
            if (group == null || group.isBlank()) {
                throw new IllegalArgumentException("group must not be blank, got " + group);
            }
            this.group = group;
            return this;
        }

        /** How long a drainer holds a stream between read and ack (default 30 s). */
        public Builder lease(Duration lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /** The clock stamping {@code processed_at} of copied event ids (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether each journal entry is also written to the PostgreSQL store's outbox table (by event id,
         * once: an entry applied again leaves the row alone), in the same transaction as its copy
         * (default false). Turn it on to relay events from PostgreSQL (the library's {@code JdbcOutbox}
         * relay or CDC) instead of from the Redis journal; relay from one of them only, and purge
         * published rows ({@code JdbcOutbox.purgePublished}).
         */
        public Builder outbox(boolean enabled) {
            this.outbox = enabled;
            return this;
        }

        Builder hook(BatchHook hook) {
            this.hook = hook;
            return this;
        }

        /** The drainer. */
        public TieredDrainer build() {
            return new TieredDrainer(this);
        }
    }
}
