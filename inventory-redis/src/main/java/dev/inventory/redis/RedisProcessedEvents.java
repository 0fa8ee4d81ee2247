package dev.inventory.redis;

import dev.inventory.core.processing.ProcessedEvents;
import java.time.Duration;
import java.time.Instant;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The processors' record of settled inbound event ids in Redis, next to the inventory store's keys:
 * one key per id ({@code <ns>inv:pe:{<id>}}), kept for a retention (default 7 days) and then
 * forgotten by Redis itself; a redelivery older than that falls back to the stores' own idempotency.
 * Survives a restart of the host and is shared by every instance. Pass it to the processors:
 *
 * <pre>{@code
 * WarehouseEventProcessor.builder(inventory).processedEvents(RedisProcessedEvents.on(store)).build();
 * }</pre>
 */
public final class RedisProcessedEvents implements ProcessedEvents {
    /** How long an id is kept unless told otherwise. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private final UnifiedJedis jedis;
    private final String prefix;
    private final long retentionMillis;

    private RedisProcessedEvents(RedisInventoryStore store, Duration retention) {
        this.jedis = store.jedis;
        this.prefix = store.keyPrefix() + "inv:pe:{";
        this.retentionMillis = retention.toMillis();
    }

    /** The record beside {@code store}'s keys, keeping ids for {@link #DEFAULT_RETENTION}. */
    public static RedisProcessedEvents on(RedisInventoryStore store) {
        return on(store, DEFAULT_RETENTION);
    }

    /**
     * The record beside {@code store}'s keys, keeping ids for {@code retention}.
     *
     * @throws IllegalArgumentException when {@code retention} is shorter than a second
     */
    public static RedisProcessedEvents on(RedisInventoryStore store, Duration retention) {
        require("store", store);
        require("retention", retention);
        if (retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("retention must be at least 1 second, was " + retention);
        }
        return new RedisProcessedEvents(store, retention);
    }

    @Override
    public boolean contains(String eventId) {
        return jedis.exists(key(eventId));
    }

    @Override
    public boolean record(String eventId, Instant at) {
        String key = key(eventId);
        require("at", at);
        return "OK".equals(jedis.set(key, at.toString(), SetParams.setParams().nx().px(retentionMillis)));
    }

    private String key(String eventId) {
        require("eventId", eventId);
        if (eventId.isEmpty() || eventId.length() > 256) {
            throw new IllegalArgumentException("eventId must be 1 to 256 characters, was " + eventId.length());
        }
        return prefix + eventId + "}";
    }

    private static <T> T require(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }
}
