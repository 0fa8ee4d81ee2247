package dev.inventory.redis;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.Sku;
import dev.inventory.core.event.EventJson;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.OutboxSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * The journal streams of a {@link RedisInventoryStore} as an {@link OutboxSource}, for the Kafka relay
 * (or any relay): every SKU's stream {@code <prefix>inv:{<sku>}:journal}, found through the registry
 * {@code <prefix>inv:{:reg}:skus}, read through one consumer group.
 *
 * <pre>{@code
 * OutboxSource journal = RedisOutboxSource.builder(jedis).keyPrefix("shop1:").build();
 * int published = journal.relay(500, records -> kafka.sendAndAcknowledge(records));
 * }</pre>
 *
 * <p>Delivery is at least once: an entry is acknowledged ({@code XACK}) only after the publisher returned
 * its id; an entry delivered but not acknowledged stays pending in the group and comes again first,
 * before newer entries, so each SKU x location is handed over in version order. A relay holds a
 * short lease on each stream it reads, so several relay instances never hand out one stream's entries
 * at the same time. {@link #purgePublished} trims only entries that every consumer group of the
 * stream has acknowledged (another group, e.g. a write-behind drainer to PostgreSQL, keeps its own
 * entries until it acknowledges them).
 *
 * <p>Cost: each call walks the registry of SKUs (a relay pass stops once it has {@code limit}
 * records and the next pass goes on from there); {@link #oldestUnpublished()} and
 * {@link #purgePublished} visit every stream.
 */
public final class RedisOutboxSource implements OutboxSource {
    private static final String CONSUMER = "relay";
    private static final int SCAN_COUNT = 256;

    private final UnifiedJedis jedis;
    private final Keys keys;
    private final String group;
    private final Duration lease;
    private final Set<String> groupsCreated = ConcurrentHashMap.newKeySet();
    private volatile String cursor = ScanParams.SCAN_POINTER_START;

    private RedisOutboxSource(Builder b) {
        this.jedis = b.jedis;
        this.keys = new Keys(b.keyPrefix);
        this.group = b.group;
        this.lease = b.lease;
    }

    /** Starts a builder over the same client and key prefix as the store. */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(jedis);
    }

    @Override
    public int relay(int limit, Publisher publisher) throws Exception {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        if (publisher == null) {
            throw new IllegalArgumentException("publisher must not be null");
        }
        String token = UUID.randomUUID().toString();
        Map<String, List<Entry>> batch = new LinkedHashMap<>();
        List<String> leased = new ArrayList<>();
        try {
            int taken = guard("relay", () -> collect(limit, token, batch, leased));
            if (taken == 0) {
                return 0;
            }
            List<OutboxRecord> records = new ArrayList<>(taken);
            for (List<Entry> entries : batch.values()) {
                for (Entry e : entries) {
                    if (e.record != null) {
                        records.add(e.record);
                    }
                }
            }
            Set<UUID> acked = records.isEmpty() ? Set.of() : publisher.publish(Collections.unmodifiableList(records));
            Set<UUID> ok = acked == null ? Set.of() : acked;
            return guard("relay", () -> acknowledge(batch, ok));
        } finally {
            guard("relay", () -> {
                for (String key : leased) {
                    Scripts.eval(jedis, Scripts.LEASE, key, List.of(keys.prefix, "", "0", "0", "release", token));
                }
                return null;
            });
        }
    }

    /** Takes leases on streams and reads up to {@code limit} entries: each stream's pending ones first. */
    private int collect(int limit, String token, Map<String, List<Entry>> batch, List<String> leased) {
        int taken = 0;
        String start = cursor;
        String at = start;
        boolean wrapped = false;
        while (taken < limit) {
            ScanResult<String> page = jedis.sscan(keys.registrySkus(), at, new ScanParams().count(SCAN_COUNT));
            for (String sku : page.getResult()) {
                if (taken >= limit) {
                    break;
                }
                String stream = keys.journal(Sku.of(sku));
                String leaseKey = keys.journalLease(Sku.of(sku));
                if (!"OK".equals(jedis.set(leaseKey, token, SetParams.setParams().nx().px(lease.toMillis())))) {
                    continue;
                }
                leased.add(leaseKey);
                ensureGroup(stream);
                List<Entry> entries = read(stream, new StreamEntryID(), limit - taken);
                if (entries.size() < limit - taken) {
                    entries.addAll(read(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY, limit - taken - entries.size()));
                }
                if (!entries.isEmpty()) {
                    batch.put(stream, entries);
                    taken += entries.size();
                }
            }
            at = page.getCursor();
            if (at.equals(ScanParams.SCAN_POINTER_START)) {
                if (wrapped || start.equals(ScanParams.SCAN_POINTER_START)) {
                    break;
                }
                wrapped = true;
            }
            if (wrapped && at.equals(start)) {
                break;
            }
        }
        cursor = at;
        return taken;
    }

    private List<Entry> read(String stream, StreamEntryID from, int count) {
        List<Entry> out = new ArrayList<>();
        List<Map.Entry<String, List<StreamEntry>>> reply = jedis.xreadGroup(group, CONSUMER,
                XReadGroupParams.xReadGroupParams().count(count), Map.of(stream, from));
        if (reply == null) {
            return out;
        }
        for (Map.Entry<String, List<StreamEntry>> e : reply) {
            for (StreamEntry entry : e.getValue()) {
                out.add(new Entry(entry.getID(), entry.getFields() == null || entry.getFields().isEmpty()
                        ? null
                        : record(entry)));
            }
        }
        return out;
    }

    /** Acknowledges, per aggregate, the acknowledged prefix of what was handed out. */
    private int acknowledge(Map<String, List<Entry>> batch, Set<UUID> acked) {
        int marked = 0;
        for (Map.Entry<String, List<Entry>> e : batch.entrySet()) {
            Set<String> blocked = new HashSet<>();
            List<StreamEntryID> ids = new ArrayList<>();
            for (Entry entry : e.getValue()) {
                if (entry.record == null) {
                    ids.add(entry.id); // trimmed while pending: nothing to publish
                    continue;
                }
                String aggregate = entry.record.aggregateId();
                if (!blocked.contains(aggregate) && acked.contains(entry.record.id())) {
                    ids.add(entry.id);
                    marked++;
                } else {
                    blocked.add(aggregate);
                }
            }
            if (!ids.isEmpty()) {
                jedis.xack(e.getKey(), group, ids.toArray(StreamEntryID[]::new));
            }
        }
        return marked;
    }

    @Override
    public Optional<Instant> oldestUnpublished() {
        return guard("oldestUnpublished", () -> {
            Instant oldest = null;
            for (String sku : allSkus()) {
                String stream = keys.journal(Sku.of(sku));
                StreamEntry first = firstUnpublished(stream);
                if (first != null) {
                    Instant at = Codec.millis(Codec.journalFields(first.getFields()).get("at"));
                    if (oldest == null || at.isBefore(oldest)) {
                        oldest = at;
                    }
                }
            }
            return Optional.ofNullable(oldest);
        });
    }

    private StreamEntry firstUnpublished(String stream) {
        if (!jedis.exists(stream)) {
            return null;
        }
        StreamGroupInfo info = groupInfo(stream);
        if (info == null) {
            List<StreamEntry> first = jedis.xrange(stream, "-", "+", 1);
            return first.isEmpty() ? null : first.get(0);
        }
        if (info.getPending() > 0) {
            StreamPendingSummary pending = jedis.xpending(stream, group);
            List<StreamEntry> e = jedis.xrange(stream, pending.getMinId().toString(), "+", 1);
            if (!e.isEmpty()) {
                return e.get(0);
            }
        }
        List<StreamEntry> next = jedis.xrange(stream, "(" + info.getLastDeliveredId(), "+", 1);
        return next.isEmpty() ? null : next.get(0);
    }

    @Override
    public int purgePublished(Instant cutoff, int limit) {
        if (cutoff == null) {
            throw new IllegalArgumentException("cutoff must not be null");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        return guard("purgePublished", () -> {
            int purged = 0;
            for (String sku : allSkus()) {
                if (purged >= limit) {
                    break;
                }
                purged += purge(keys.journal(Sku.of(sku)), cutoff.toEpochMilli(), limit - purged);
            }
            return purged;
        });
    }

    /** Trims the prefix of {@code stream} that every group acknowledged and that was written before the cutoff. */
    private int purge(String stream, long cutoffMs, int limit) {
        if (!jedis.exists(stream)) {
            return 0;
        }
        List<StreamGroupInfo> groups = jedis.xinfoGroups(stream);
        if (groups.isEmpty()) {
            return 0;
        }
        // the last entry every group has acknowledged: before the oldest pending one, at most the last delivered
        StreamEntryID safe = null;
        boolean exclusive = false;
        for (StreamGroupInfo g : groups) {
            StreamEntryID bound = g.getLastDeliveredId();
            boolean open = false;
            if (g.getPending() > 0) {
                bound = jedis.xpending(stream, g.getName()).getMinId();
                open = true;
            }
            if (safe == null || bound.compareTo(safe) < 0 || bound.equals(safe) && open) {
                safe = bound;
                exclusive = open;
            }
        }
        String end = (exclusive ? "(" : "") + safe;
        List<StreamEntry> entries = jedis.xrange(stream, "-", end, limit);
        StreamEntryID last = null;
        int n = 0;
        for (StreamEntry e : entries) {
            String at = Codec.journalFields(e.getFields()).get("at");
            if (at == null || Long.parseLong(at) >= cutoffMs) {
                break;
            }
            last = e.getID();
            n++;
        }
        if (last == null) {
            return 0;
        }
        jedis.xtrim(stream, XTrimParams.xTrimParams().minId(last.getTime() + "-" + (last.getSequence() + 1))
                .exactTrimming());
        return n;
    }

    private StreamGroupInfo groupInfo(String stream) {
        for (StreamGroupInfo g : jedis.xinfoGroups(stream)) {
            if (g.getName().equals(group)) {
                return g;
            }
        }
        return null;
    }

    private List<String> allSkus() {
        List<String> out = new ArrayList<>();
        String at = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.sscan(keys.registrySkus(), at, new ScanParams().count(SCAN_COUNT));
            out.addAll(page.getResult());
            at = page.getCursor();
        } while (!at.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    private void ensureGroup(String stream) {
        if (groupsCreated.contains(stream)) {
            return;
        }
        try {
            jedis.xgroupCreate(stream, group, new StreamEntryID(), true);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
        groupsCreated.add(stream);
    }

    private static OutboxRecord record(StreamEntry entry) {
        InventoryEvent event = Codec.event(Codec.journalFields(entry.getFields()));
        StreamEntryID id = entry.getID();
        return new OutboxRecord(event.eventId(), "inventory", event.sku().value() + ":" + event.locationId().value(),
                event.type().wireName(), EventJson.toJson(event), event.version(), event.occurredAt(),
                id.getTime() * 1_000_000L + id.getSequence());
    }

    private static <T> T guard(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (JedisException e) {
            throw new InventoryStoreException("Redis failed during " + what + " of the journal: " + e.getMessage(), e,
                    true);
        }
    }

    /** One stream entry handed out: its id, and its record (null when the entry was trimmed meanwhile). */
    private record Entry(StreamEntryID id, OutboxRecord record) {
    }

    /** Builds a {@link RedisOutboxSource}; every setter validates and names the field in its error. */
    public static final class Builder {
        private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

        private final UnifiedJedis jedis;
        private String keyPrefix = "";
        private String group = "outbox-relay";
        private Duration lease = Duration.ofSeconds(60);

        private Builder(UnifiedJedis jedis) {
            if (jedis == null) {
                throw new IllegalArgumentException("jedis must not be null");
            }
            this.jedis = jedis;
        }

        /** The store's key prefix (default none). */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Keys.requireNamespace(keyPrefix);
            return this;
        }

        /** The consumer group the relay reads through (default {@code outbox-relay}). */
        public Builder group(String group) {
            if (group == null || !GROUP.matcher(group).matches()) {
                throw new IllegalArgumentException("group must be 1-64 characters of A-Z a-z 0-9 . _ - :, was "
                        + (group == null ? "null" : "\"" + group + "\""));
            }
            this.group = group;
            return this;
        }

        /**
         * How long a relay may hold one stream between reading and acknowledging (default 60 s): longer
         * than a publish takes, or another relay may hand the same entries out again meanwhile.
         */
        public Builder lease(Duration lease) {
            if (lease == null || lease.toMillis() < 1 || lease.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("lease must be between 1 ms and 1 h, was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /** Builds the source. */
        public RedisOutboxSource build() {
            return new RedisOutboxSource(this);
        }
    }
}
