package dev.inventory.redis;

import dev.inventory.core.AvailabilityStatus;
import dev.inventory.core.LocationId;
import dev.inventory.core.ProductAvailability;
import dev.inventory.core.Sku;
import dev.inventory.core.spi.AvailabilityCache;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The display cache (DESIGN section 4, layer 1) in Redis: a SKU's availability under
 * {@code <prefix>inv:{<sku>}:avail} for a short time (default 30 s), dropped by the inventory after
 * every change of the SKU. Configure it with {@code Inventory.builder().availabilityCache(cache)}.
 *
 * <p>It is a cache: a Redis failure makes {@link #get} answer empty (the inventory then reads the
 * store) and {@link #put}/{@link #invalidate} do nothing but log, so the page still renders. A value
 * computed just before a change and stored just after its invalidation can be served until the TTL
 * ends: the eventual consistency the design accepts for product pages.
 */
public final class RedisAvailabilityCache implements AvailabilityCache {
    private static final Logger log = LoggerFactory.getLogger(RedisAvailabilityCache.class);
    private static final String FORMAT = "v1";

    private final UnifiedJedis jedis;
    private final Keys keys;
    private final Duration ttl;

    private RedisAvailabilityCache(Builder b) {
        this.jedis = b.jedis;
        this.keys = new Keys(b.keyPrefix);
        this.ttl = b.ttl;
    }

    /** Starts a builder over {@code jedis}. */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(jedis);
    }

    /** How long an entry lives. */
    public Duration ttl() {
        return ttl;
    }

    @Override
    public Optional<ProductAvailability> get(Sku sku) {
        if (sku == null) {
            throw new IllegalArgumentException("sku must not be null");
        }
        try {
            String value = jedis.get(key(sku));
            return value == null ? Optional.empty() : decode(sku, value);
        } catch (JedisException e) {
            log.warn("display cache unavailable, reading {} from the store: {}", sku, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void put(ProductAvailability availability) {
        if (availability == null) {
            throw new IllegalArgumentException("availability must not be null");
        }
        try {
            jedis.set(key(availability.sku()), encode(availability), SetParams.setParams().px(ttl.toMillis()));
        } catch (JedisException e) {
            log.warn("display cache unavailable, {} not cached: {}", availability.sku(), e.getMessage());
        }
    }

    @Override
    public void invalidate(Sku sku) {
        if (sku == null) {
            throw new IllegalArgumentException("sku must not be null");
        }
        try {
            jedis.unlink(key(sku));
        } catch (JedisException e) {
            log.warn("display cache unavailable, {} not invalidated (it ends within {}): {}", sku, ttl,
                    e.getMessage());
        }
    }

    private String key(Sku sku) {
        return keys.base(sku) + "avail";
    }

    static String encode(ProductAvailability a) {
        StringBuilder b = new StringBuilder(128);
        b.append(FORMAT).append('\n').append(a.available()).append('\n').append(a.incoming()).append('\n')
                .append(a.status().name()).append('\n').append(enc(a.message())).append('\n');
        appendMap(b, a.byRegion());
        b.append('\n');
        Map<String, Long> byLocation = new LinkedHashMap<>();
        a.byLocation().forEach((k, v) -> byLocation.put(k.value(), v));
        appendMap(b, byLocation);
        return b.toString();
    }

    static Optional<ProductAvailability> decode(Sku sku, String value) {
        String[] p = value.split("\n", -1);
        if (p.length != 7 || !p[0].equals(FORMAT)) {
            return Optional.empty(); // written by another version: recompute
        }
        Map<LocationId, Long> byLocation = new LinkedHashMap<>();
        parseMap(p[6]).forEach((k, v) -> byLocation.put(LocationId.of(k), v));
        return Optional.of(new ProductAvailability(sku, Long.parseLong(p[1]), parseMap(p[5]), byLocation,
                Long.parseLong(p[2]), AvailabilityStatus.valueOf(p[3]), dec(p[4])));
    }

    private static void appendMap(StringBuilder b, Map<String, Long> map) {
        boolean first = true;
        for (Map.Entry<String, Long> e : map.entrySet()) {
            if (!first) {
                b.append('&');
            }
            first = false;
            b.append(enc(e.getKey())).append('=').append(e.getValue());
        }
    }

    private static Map<String, Long> parseMap(String s) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String item : s.split("&")) {
            int eq = item.lastIndexOf('=');
            out.put(dec(item.substring(0, eq)), Long.parseLong(item.substring(eq + 1)));
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Builds a {@link RedisAvailabilityCache}; every setter validates and names the field in its error. */
    public static final class Builder {

        private final UnifiedJedis jedis;
        private String keyPrefix = "";
        private Duration ttl = Duration.ofSeconds(30);

        private Builder(UnifiedJedis jedis) {
            if (jedis == null) {
                throw new IllegalArgumentException("jedis must not be null");
            }
            this.jedis = jedis;
        }

        /** The key prefix (namespace), usually the store's (default none). */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Keys.requireNamespace(keyPrefix);
            return this;
        }

        /** How long an entry lives (default 30 s): 1 ms to 1 day. */
        public Builder ttl(Duration ttl) {
            if (ttl == null || ttl.toMillis() < 1 || ttl.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("ttl must be between 1 ms and 1 day, was " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /** Builds the cache. */
        public RedisAvailabilityCache build() {
            return new RedisAvailabilityCache(this);
        }
    }
}
