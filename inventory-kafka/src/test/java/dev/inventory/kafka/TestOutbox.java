package dev.inventory.kafka;

import dev.inventory.core.event.EventJson;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.event.InventoryListener;
import dev.inventory.core.spi.OutboxSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The other side of the {@link OutboxSource} port for these tests: an outbox in memory, filled by an
 * {@link InventoryListener} on an in-memory inventory (one record per domain event, in the order the
 * changes happened). It keeps the port's contract: one relay at a time (a lock, like the JDBC
 * source's advisory-lock leader), oldest first, marks only what the publisher returned and, per key,
 * nothing after a record that was not returned. {@link #crashAfterNextPublish()} simulates a relay
 * process dying after the broker acknowledged a batch and before the marks were written.
 */
final class TestOutbox implements OutboxSource, InventoryListener {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Row> rows = new ArrayList<>();
    private final AtomicBoolean crashAfterPublish = new AtomicBoolean();
    private long sequence;

    @Override
    public void onEvent(InventoryEvent event) {
        add(new OutboxRecord(event.eventId(), "inventory", KafkaEvents.key(event.sku(), event.locationId()),
                event.type().wireName(), EventJson.toJson(event), event.version(), event.occurredAt(), 0));
    }

    /** Adds a record as given (its sequence is assigned here). */
    void add(OutboxRecord r) {
        lock.lock();
        try {
            sequence++;
            rows.add(new Row(new OutboxRecord(r.id(), r.aggregateType(), r.aggregateId(), r.type(), r.payload(),
                    r.aggregateVersion(), r.occurredAt(), sequence)));
        } finally {
            lock.unlock();
        }
    }

    /** The next {@link #relay} publishes, then throws {@link SimulatedCrash} before marking anything. */
    void crashAfterNextPublish() {
        crashAfterPublish.set(true);
    }

    @Override
    public int relay(int limit, Publisher publisher) throws Exception {
        lock.lock();
        try {
            List<OutboxRecord> batch = new ArrayList<>();
            for (Row row : rows) {
                if (!row.published && batch.size() < limit) {
                    batch.add(row.record);
                }
            }
            if (batch.isEmpty()) {
                return 0;
            }
            Set<UUID> acked = publisher.publish(List.copyOf(batch));
            if (crashAfterPublish.getAndSet(false)) {
                throw new SimulatedCrash("relay died after the broker acknowledged " + acked.size()
                        + " records and before marking them");
            }
            Set<String> stopped = new HashSet<>();
            Map<UUID, Row> byId = new LinkedHashMap<>();
            for (Row row : rows) {
                byId.put(row.record.id(), row);
            }
            int marked = 0;
            for (OutboxRecord r : batch) {
                if (stopped.contains(r.aggregateId()) || !acked.contains(r.id())) {
                    stopped.add(r.aggregateId());
                    continue;
                }
                Row row = byId.get(r.id());
                row.published = true;
                marked++;
            }
            return marked;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Instant> oldestUnpublished() {
        lock.lock();
        try {
            return rows.stream().filter(r -> !r.published).map(r -> r.record.occurredAt()).min(Instant::compareTo);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int purgePublished(Instant cutoff, int limit) {
        lock.lock();
        try {
            int deleted = 0;
            for (var it = rows.iterator(); it.hasNext() && deleted < limit;) {
                Row row = it.next();
                if (row.published && row.record.occurredAt().isBefore(cutoff)) {
                    it.remove();
                    deleted++;
                }
            }
            return deleted;
        } finally {
            lock.unlock();
        }
    }

    /** Every record still held, oldest first. */
    List<OutboxRecord> records() {
        lock.lock();
        try {
            return rows.stream().map(r -> r.record).toList();
        } finally {
            lock.unlock();
        }
    }

    /** The ids of the records not yet marked published. */
    Set<UUID> unpublished() {
        lock.lock();
        try {
            Set<UUID> ids = new HashSet<>();
            rows.stream().filter(r -> !r.published).forEach(r -> ids.add(r.record.id()));
            return ids;
        } finally {
            lock.unlock();
        }
    }

    private static final class Row {
        final OutboxRecord record;
        boolean published;

        Row(OutboxRecord record) {
            this.record = record;
        }
    }

    /** A simulated process death. */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String message) {
            super(message);
        }
    }
}
