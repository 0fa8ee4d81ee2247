/**
 * Redis as the inventory's hot store: {@link dev.inventory.redis.RedisInventoryStore} (every operation
 * one atomic Lua script, cluster-safe keys, expiry index, journal streams),
 * {@link dev.inventory.redis.RedisOutboxSource} (the journal as the core's outbox port, for relays) and
 * {@link dev.inventory.redis.RedisAvailabilityCache} (the display cache). Everything else in the
 * package is internal. No method in this package returns or accepts {@code null}; absent values are
 * {@link java.util.Optional}.
 */
package dev.inventory.redis;
