package dev.inventory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.contract.MutableClock;
import dev.inventory.core.event.EventJson;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.OutboxSource;
import dev.inventory.core.spi.OutboxSource.OutboxRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transactional outbox: one row per event, in version order per level, and its relay port. */
class PostgresOutboxTest {
    private static final LocationId WH1 = LocationId.of("WH1");
    private static final LocationId WH2 = LocationId.of("WH2");

    private String schema;
    private PostgresInventoryStore store;
    private MutableClock clock;
    private Inventory inventory;
    private final List<InventoryEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        schema = TestPostgres.newSchema();
        store = TestPostgres.newStore(schema);
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        inventory = Inventory.builder().store(store).clock(clock).withoutSweeper().listener(events::add).build();
    }

    @AfterEach
    void tearDown() {
        try {
            inventory.close();
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    @Test
    void everyEventIsExactlyOneOutboxRowWrittenWithItsChange() throws SQLException {
        Sku a = Sku.of("TEE-M");
        Sku b = Sku.of("CAP");
        var stock = inventory.stock();
        stock.receive(a, WH1, 10);
        stock.receive(b, WH1, 3);
        stock.setThresholds(a, WH1, 4, 1, 40);
        var holds = inventory.reservations();
        holds.reserve(ReservationRequest.builder("r1").line(a, WH1, 6).line(b, WH1, 3).build()); // crossings
        holds.startPayment(ReservationId.of("r1"));
        holds.confirm(ReservationId.of("r1"));
        holds.fulfil(ReservationId.of("r1"));
        holds.reserve(ReservationRequest.builder("r2").line(b, WH1, 1).build()); // insufficient: no event
        stock.receive(b, WH1, 2);
        holds.reserve(ReservationRequest.builder("r3").line(b, WH1, 2).build());
        clock.advance(Duration.ofMinutes(20));
        holds.reserve(ReservationRequest.builder("r4").line(b, WH1, 2).build()); // lazy expiry of r3 first
        stock.transferOut(a, WH1, WH2, 1);
        stock.transferIn(a, WH1, WH2, 1);
        stock.markDamaged(a, WH1, 1);
        stock.adjust(b, WH1, 1, "found one");

        List<Row> rows = outboxRows();
        assertThat(events).hasSizeGreaterThan(15);
        assertThat(rows).extracting(Row::id).containsExactlyElementsOf(events.stream().map(InventoryEvent::eventId)
                .toList());
        Map<UUID, InventoryEvent> byId = events.stream().collect(Collectors.toMap(InventoryEvent::eventId, e -> e));
        for (Row row : rows) {
            InventoryEvent e = byId.get(row.id());
            assertThat(row.aggregateType()).isEqualTo("inventory");
            assertThat(row.aggregateId()).isEqualTo(e.sku().value() + ":" + e.locationId().value());
            assertThat(row.type()).isEqualTo(e.type().wireName());
            assertThat(row.version()).isEqualTo(e.version());
            assertThat(row.occurredAt()).isEqualTo(e.occurredAt());
            assertThat(sameJson(row.payload(), EventJson.toJson(e))).as("payload of %s", e.type()).isTrue();
        }
        assertVersionOrderPerAggregate(rows);
        assertThat(rows).extracting(Row::type).contains("inventory.out_of_stock", "inventory.level.below_threshold",
                "inventory.expired", "inventory.transfer.received");
    }

    @Test
    void concurrentChangesOfOneLevelLeaveItsRowsInVersionOrder() throws Exception {
        Sku hot = Sku.of("HOT");
        inventory.stock().receive(hot, WH1, 200);
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int n = t;
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        inventory.reservations().reserve(ReservationRequest.builder("c" + n + "-" + i)
                                .line(hot, WH1, 1).build());
                        if (i % 3 == 0) {
                            inventory.stock().receive(hot, WH1, 1);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        List<Row> rows = outboxRows();
        assertThat(rows).hasSize(events.size()).hasSize(1 + 80 + 32);
        assertVersionOrderPerAggregate(rows);
        assertThat(rows.get(rows.size() - 1).version()).isEqualTo(store.level(hot, WH1).orElseThrow().version());
    }

    @Test
    void relayHandsOverOldestFirstAndMarksWhatWasAcknowledged() throws Exception {
        receiveEach("A", "B", "A", "C");
        OutboxSource outbox = store.outbox();
        assertThat(outbox.oldestUnpublished()).contains(clock.instant());
        List<OutboxRecord> seen = new ArrayList<>();

        int marked = outbox.relay(100, batch -> {
            seen.addAll(batch);
            return ids(batch);
        });

        assertThat(marked).isEqualTo(4);
        assertThat(seen).extracting(OutboxRecord::id).containsExactlyElementsOf(events.stream()
                .map(InventoryEvent::eventId).toList());
        assertThat(seen).extracting(OutboxRecord::sequence).isSorted().doesNotHaveDuplicates();
        OutboxRecord first = seen.get(0);
        assertThat(first.aggregateType()).isEqualTo("inventory");
        assertThat(first.aggregateId()).isEqualTo("A:WH1");
        assertThat(first.type()).isEqualTo("inventory.restocked");
        assertThat(first.aggregateVersion()).isEqualTo(1);
        assertThat(first.occurredAt()).isEqualTo(clock.instant());
        assertThat(sameJson(first.payload(), EventJson.toJson(events.get(0)))).isTrue();
        assertThat(outbox.relay(100, batch -> {
            throw new AssertionError("nothing is left to publish, got " + batch);
        })).isZero();
        assertThat(outbox.oldestUnpublished()).isEmpty();
    }

    @Test
    void anUnacknowledgedRecordHoldsBackTheLaterRecordsOfItsAggregateOnly() throws Exception {
        receiveEach("K", "L", "K", "L", "K");
        List<UUID> k = idsOf("K:WH1");
        List<UUID> l = idsOf("L:WH1");
        OutboxSource outbox = store.outbox();

        int marked = outbox.relay(10, batch -> {
            Set<UUID> acked = ids(batch);
            acked.remove(k.get(1)); // the broker refused K's second record
            return acked;
        });

        assertThat(marked).as("K's first and both of L's").isEqualTo(3);
        List<OutboxRecord> again = new ArrayList<>();
        assertThat(outbox.relay(10, batch -> {
            again.addAll(batch);
            return ids(batch);
        })).isEqualTo(2);
        assertThat(again).extracting(OutboxRecord::id).containsExactly(k.get(1), k.get(2));
        assertThat(l).hasSize(2);
    }

    @Test
    void aFailingPublisherMarksNothingAndItsExceptionComesOut() throws Exception {
        receiveEach("A", "B");
        IllegalStateException brokerDown = new IllegalStateException("broker down");
        assertThatThrownBy(() -> store.outbox().relay(10, batch -> {
            throw brokerDown;
        })).isSameAs(brokerDown);
        assertThat(store.outbox().relay(10, OutboxTestSupport::ackAll)).isEqualTo(2);
    }

    @Test
    void twoRelaysAtOnceNeverPublishARecordBeforeAnOlderOneOfItsAggregate() throws Exception {
        receiveEach("K", "L", "K", "L", "M", "M", "K");
        OutboxSource outbox = store.outbox();
        List<String> published = Collections.synchronizedList(new ArrayList<>()); // "aggregate@version" in publish order
        CountDownLatch firstHoldsItsBatch = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            // relay 1 locks the two oldest records (K@1, L@1) and publishes them only after relay 2 ran
            Future<Integer> first = executor.submit(() -> outbox.relay(2, batch -> {
                firstHoldsItsBatch.countDown();
                if (!secondDone.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("relay 2 did not finish");
                }
                record(published, batch);
                return ids(batch);
            }));
            assertThat(firstHoldsItsBatch.await(60, TimeUnit.SECONDS)).isTrue();
            List<OutboxRecord> secondGot = new ArrayList<>();
            int second = outbox.relay(100, batch -> {
                secondGot.addAll(batch);
                record(published, batch);
                return ids(batch);
            });
            secondDone.countDown();
            // relay 2 skipped the locked records and left K and L alone: it may publish only M
            assertThat(secondGot).extracting(OutboxRecord::aggregateId).containsOnly("M:WH1");
            assertThat(second).isEqualTo(2);
            assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(2);
        } finally {
            executor.shutdownNow();
        }
        assertThat(outbox.relay(100, batch -> {
            record(published, batch);
            return ids(batch);
        })).isEqualTo(3);
        for (String aggregate : List.of("K:WH1", "L:WH1", "M:WH1")) {
            List<Long> versions = published.stream().filter(p -> p.startsWith(aggregate + "@"))
                    .map(p -> Long.parseLong(p.substring(p.indexOf('@') + 1))).toList();
            assertThat(versions).as("publish order of %s", aggregate).isSorted().doesNotHaveDuplicates();
        }
        assertThat(published).hasSize(7);
    }

    @Test
    void purgeDeletesOnlyPublishedRecordsOlderThanTheCutoff() throws Exception {
        receiveEach("A", "B", "C");
        OutboxSource outbox = store.outbox();
        assertThat(outbox.relay(2, OutboxTestSupport::ackAll)).isEqualTo(2);
        Instant writtenAt = clock.instant();
        assertThat(outbox.purgePublished(writtenAt, 100)).as("not older than the cutoff").isZero();
        assertThat(outbox.purgePublished(writtenAt.plusSeconds(1), 1)).isEqualTo(1);
        assertThat(outbox.purgePublished(writtenAt.plusSeconds(1), 100)).isEqualTo(1);
        assertThat(TestPostgres.queryLong("SELECT count(*) FROM " + schema + ".outbox")).isEqualTo(1);
        assertThat(outbox.oldestUnpublished()).contains(writtenAt);
    }

    // ------------------------------------------------------------------ helpers

    private record Row(UUID id, String aggregateType, String aggregateId, String type, String payload, long version,
            Instant occurredAt, long seq) {
    }

    private List<Row> outboxRows() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = TestPostgres.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, aggregatetype, aggregateid, type, payload::text,"
                     + " aggregate_version, occurred_at, seq FROM " + schema + ".outbox ORDER BY seq");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getObject(7, java.time.OffsetDateTime.class).toInstant(),
                        rs.getLong(8)));
            }
        }
        return rows;
    }

    /** Per aggregate, in sequence order: versions never go down, and each version's change event is there once. */
    private static void assertVersionOrderPerAggregate(List<Row> rows) {
        Map<String, List<Row>> byAggregate = new HashMap<>();
        for (Row row : rows) {
            byAggregate.computeIfAbsent(row.aggregateId(), k -> new ArrayList<>()).add(row);
        }
        for (var entry : byAggregate.entrySet()) {
            List<Long> versions = entry.getValue().stream().map(Row::version).toList();
            assertThat(versions).as("versions of %s in outbox order", entry.getKey()).isSorted();
            List<Long> changeVersions = entry.getValue().stream().filter(r -> !isThreshold(r.type()))
                    .map(Row::version).toList();
            assertThat(changeVersions).as("change events of %s", entry.getKey()).doesNotHaveDuplicates()
                    .containsExactlyElementsOf(new LinkedHashSet<>(versions));
        }
    }

    private static boolean isThreshold(String type) {
        return type.equals("inventory.out_of_stock") || type.equals("inventory.back_in_stock")
                || type.equals("inventory.level.below_threshold");
    }

    private static boolean sameJson(String a, String b) {
        return TestPostgres.queryLong("SELECT CASE WHEN ?::jsonb = ?::jsonb THEN 1 ELSE 0 END", a, b) == 1;
    }

    private void receiveEach(String... skus) {
        for (String sku : skus) {
            assertThat(inventory.stock().receive(Sku.of(sku), WH1, 1).isApplied()).isTrue();
        }
    }

    private List<UUID> idsOf(String aggregateId) {
        return events.stream().filter(e -> (e.sku().value() + ":" + e.locationId().value()).equals(aggregateId))
                .map(InventoryEvent::eventId).toList();
    }

    private static Set<UUID> ids(List<OutboxRecord> batch) {
        return batch.stream().map(OutboxRecord::id).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static void record(List<String> published, List<OutboxRecord> batch) {
        for (OutboxRecord r : batch) {
            published.add(r.aggregateId() + "@" + r.aggregateVersion());
        }
    }

    /** A publisher that acknowledges everything. */
    static final class OutboxTestSupport {
        private OutboxTestSupport() {
        }

        static Set<UUID> ackAll(List<OutboxRecord> batch) {
            return ids(batch);
        }
    }
}
