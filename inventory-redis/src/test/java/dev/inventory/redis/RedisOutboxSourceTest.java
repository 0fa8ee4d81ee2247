package dev.inventory.redis;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;

/** The journal streams: written in the same script as the change, relayed at least once, trimmed only when acknowledged. */
class RedisOutboxSourceTest {
    private static final LocationId WH = LocationId.of("WH1");

    private final List<InventoryEvent> events = new CopyOnWriteArrayList<>();
    private JedisPooled jedis;
    private String prefix;
    private MutableClock clock;
    private Inventory inventory;
    private RedisOutboxSource journal;

    @BeforeEach
    void setUp() {
        jedis = TestRedis.single().client;
        prefix = TestRedis.newPrefix();
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        inventory = Inventory.builder().store(RedisInventoryStore.builder(jedis).keyPrefix(prefix).build()).clock(clock)
                .withoutSweeper().listener(events::add).build();
        journal = RedisOutboxSource.builder(jedis).keyPrefix(prefix).build();
    }

    @AfterEach
    void tearDown() {
        inventory.close();
        TestRedis.single().deleteKeys(prefix);
    }

    @Test
    void everyEventIsInTheJournalWithTheSameIdAndDocument() throws Exception {
        Sku a = Sku.of("A");
        Sku b = Sku.of("B");
        inventory.stock().receive(a, WH, 5);
        inventory.stock().receive(b, WH, 5);
        inventory.reservations().reserve(ReservationRequest.builder("r1").line(a, WH, 2).line(b, WH, 1).build());
        inventory.reservations().confirm(ReservationId.of("r1"));

        List<OutboxRecord> published = new ArrayList<>();
        int marked = journal.relay(100, records -> {
            published.addAll(records);
            return ids(records);
        });

        assertThat(marked).isEqualTo(events.size());
        assertThat(published).extracting(OutboxRecord::id)
                .containsExactlyInAnyOrderElementsOf(events.stream().map(InventoryEvent::eventId).toList());
        for (InventoryEvent event : events) {
            OutboxRecord record = published.stream().filter(r -> r.id().equals(event.eventId())).findFirst().orElseThrow();
            assertThat(record.payload()).isEqualTo(EventJson.toJson(event));
            assertThat(record.aggregateId()).isEqualTo(event.sku() + ":" + event.locationId());
            assertThat(record.aggregateVersion()).isEqualTo(event.version());
            assertThat(record.type()).isEqualTo(event.type().wireName());
        }
        assertThat(journal.relay(100, records -> ids(records))).isZero();
        assertThat(journal.oldestUnpublished()).isEmpty();
    }

    @Test
    void anUnacknowledgedRecordComesAgainWithTheLaterRecordsOfItsAggregateInOrder() throws Exception {
        Sku a = Sku.of("A");
        Sku b = Sku.of("B");
        for (int i = 0; i < 3; i++) {
            inventory.stock().receive(a, WH, 1);
            inventory.stock().receive(b, WH, 1);
        }
        List<UUID> aIds = events.stream().filter(e -> e.sku().equals(a)).map(InventoryEvent::eventId).toList();
        List<UUID> bIds = events.stream().filter(e -> e.sku().equals(b)).map(InventoryEvent::eventId).toList();

        // the broker takes everything but A's second record
        int marked = journal.relay(100, records -> {
            Set<UUID> acked = ids(records);
            acked.remove(aIds.get(1));
            return acked;
        });
        assertThat(marked).isEqualTo(1 + 3);
        assertThat(journal.oldestUnpublished()).isPresent();

        List<OutboxRecord> again = new ArrayList<>();
        assertThat(journal.relay(100, records -> {
            again.addAll(records);
            return ids(records);
        })).isEqualTo(2);
        assertThat(again).extracting(OutboxRecord::id).containsExactly(aIds.get(1), aIds.get(2));
        assertThat(again).extracting(OutboxRecord::aggregateVersion).containsExactly(2L, 3L);
        assertThat(bIds).hasSize(3);
        assertThat(journal.oldestUnpublished()).isEmpty();
    }

    @Test
    void aPublisherThatThrowsMarksNothing() throws Exception {
        Sku a = Sku.of("A");
        inventory.stock().receive(a, WH, 1);
        assertThatThrownBy(() -> journal.relay(10, records -> {
            throw new IllegalStateException("broker down");
        })).hasMessage("broker down");
        List<OutboxRecord> later = new ArrayList<>();
        assertThat(journal.relay(10, records -> {
            later.addAll(records);
            return ids(records);
        })).isEqualTo(1);
        assertThat(later).extracting(OutboxRecord::id).containsExactly(events.get(0).eventId());
    }

    @Test
    void purgeTrimsOnlyWhatEveryGroupAcknowledgedAndWasWrittenBeforeTheCutoff() throws Exception {
        Sku a = Sku.of("A");
        String stream = prefix + "inv:{A}:journal";
        inventory.stock().receive(a, WH, 1);
        clock.advance(Duration.ofHours(1));
        inventory.stock().receive(a, WH, 1);
        Instant betweenTheTwo = clock.instant().minusSeconds(60);

        assertThat(journal.purgePublished(clock.instant().plusSeconds(1), 100)).as("nothing relayed yet").isZero();
        journal.relay(100, records -> ids(records));
        // a second reader (a write-behind drainer, say) has read nothing yet
        jedis.xgroupCreate(stream, "drainer", new StreamEntryID(), false);
        assertThat(journal.purgePublished(clock.instant().plusSeconds(1), 100)).isZero();
        assertThat(jedis.xlen(stream)).isEqualTo(2);
        jedis.xgroupDestroy(stream, "drainer");

        assertThat(journal.purgePublished(betweenTheTwo, 100)).isEqualTo(1);
        assertThat(jedis.xlen(stream)).isEqualTo(1);
        assertThat(journal.purgePublished(clock.instant().plusSeconds(1), 100)).isEqualTo(1);
        assertThat(jedis.xlen(stream)).isZero();
    }

    @Test
    void oldestUnpublishedIsTheFirstEventNotYetAcknowledged() throws Exception {
        Sku a = Sku.of("A");
        Instant first = clock.instant();
        inventory.stock().receive(a, WH, 1);
        clock.advance(Duration.ofMinutes(5));
        inventory.stock().receive(a, WH, 1);
        assertThat(journal.oldestUnpublished()).contains(first);
        journal.relay(1, records -> ids(records));
        assertThat(journal.oldestUnpublished()).contains(first.plus(Duration.ofMinutes(5)));
    }

    @Test
    void relaysRunningAtOnceHandEachRecordOutOnce() throws Exception {
        for (int s = 0; s < 8; s++) {
            for (int i = 0; i < 5; i++) {
                inventory.stock().receive(Sku.of("S" + s), WH, 1);
            }
        }
        List<UUID> seen = Collections.synchronizedList(new ArrayList<>());
        OutboxSource other = RedisOutboxSource.builder(jedis).keyPrefix(prefix).build();
        List<java.util.concurrent.Future<Integer>> relays = new ArrayList<>();
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (OutboxSource source : List.of(journal, other)) {
                relays.add(executor.submit(() -> {
                    int total = 0;
                    int n;
                    while ((n = source.relay(7, records -> {
                        records.forEach(r -> seen.add(r.id()));
                        return ids(records);
                    })) > 0) {
                        total += n;
                    }
                    return total;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : relays) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS); // a relay that failed fails the test here
            }
        } finally {
            executor.shutdownNow();
        }
        // a relay that found every stream leased by the other stops early: drain what is left
        while (journal.relay(100, records -> {
            records.forEach(r -> seen.add(r.id()));
            return ids(records);
        }) > 0) {
            // next batch
        }
        assertThat(seen).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(events.stream().map(InventoryEvent::eventId).toList());
    }

    @Test
    void aStoreBuiltWithoutTheJournalWritesNoStream() {
        String quiet = TestRedis.newPrefix();
        try (Inventory inventory = Inventory.builder()
                .store(RedisInventoryStore.builder(jedis).keyPrefix(quiet).journal(false).build()).withoutSweeper()
                .build()) {
            Sku a = Sku.of("A");
            inventory.stock().receive(a, WH, 3);
            inventory.reservations().reserve(ReservationRequest.builder("r1").line(a, WH, 1).build());
            assertThat(inventory.level(a, WH).orElseThrow().reserved()).isEqualTo(1);
            assertThat(jedis.exists(quiet + "inv:{A}:journal")).isFalse();
            assertThat(jedis.exists(quiet + "inv:{A}:lvl:WH1")).isTrue();
        } finally {
            TestRedis.single().deleteKeys(quiet);
        }
    }

    @Test
    void builderNamesTheBadValue() {
        assertThatThrownBy(() -> RedisOutboxSource.builder(jedis).keyPrefix("a{b}"))
                .hasMessageContaining("keyPrefix").hasMessageContaining("a{b}");
        assertThatThrownBy(() -> RedisOutboxSource.builder(jedis).group(""))
                .hasMessageContaining("group");
        assertThatThrownBy(() -> RedisOutboxSource.builder(jedis).lease(Duration.ZERO))
                .hasMessageContaining("lease").hasMessageContaining("PT0S");
    }

    private static Set<UUID> ids(List<OutboxRecord> records) {
        Set<UUID> out = new HashSet<>();
        records.forEach(r -> out.add(r.id()));
        return out;
    }
}
