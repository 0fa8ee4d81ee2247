package dev.inventory.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.InventoryStoreException;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashSet;
import java.util.Set;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.contract.Await;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import org.junit.jupiter.api.Test;

/**
 * The drainer applies the Redis journal to PostgreSQL exactly once, also after its JVM is killed
 * mid-batch (a real child process, SIGKILLed after committing part of a batch and acknowledging none).
 */
class TieredDrainerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    static Reservation hold(String id, Instant now, ReservationLine... lines) {
        return new Reservation(ReservationId.of(id), List.of(lines), Optional.of("cart"), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, now, now.plus(Duration.ofMinutes(15)), now);
    }

    @Test
    void drainerJvmKilledMidBatchIsResumedAndEveryChangeIsAppliedExactlyOnce() throws Exception {
        try (TieredFixture f = new TieredFixture(TestServers.redis(), TestServers.pg())) {
            // 6 SKUs x 2 levels written on Redis only: the journal is all PostgreSQL will get
            List<Sku> skus = new ArrayList<>();
            List<ReservationId> holds = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Sku sku = Sku.of(f.prefix.replace(":", "") + "-S" + i);
                skus.add(sku);
                f.bypass().apply(new StockCommand.Receive(sku, TieredFixture.loc("WH1"), 10, Origin.event("rcv-" + i)), T0);
                f.bypass().apply(new StockCommand.Receive(sku, TieredFixture.loc("WH2"), 5, Origin.NONE), T0);
                String id = f.prefix.replace(":", "") + "-h" + i;
                holds.add(ReservationId.of(id));
                assertThat(f.bypass().reserve(hold(id, T0, new ReservationLine(sku, TieredFixture.loc("WH1"), 2),
                        new ReservationLine(sku, TieredFixture.loc("WH2"), 1)), T0).value())
                        .isInstanceOf(ReservationResult.Success.class);
                if (i % 2 == 0) {
                    f.bypass().transition(ReservationId.of(id), Transition.CONFIRM, T0.plusSeconds(5), Duration.ZERO);
                    f.bypass().transition(ReservationId.of(id), Transition.FULFIL, T0.plusSeconds(6), Duration.ZERO);
                }
                f.bypass().apply(new StockCommand.Adjust(sku, TieredFixture.loc("WH2"), -1, "shrink", Origin.NONE),
                        T0.plusSeconds(7));
            }
            Set<String> journalIds = journalEventIds(f, skus);
            assertThat(journalIds).hasSize(42);

            // a drainer in another JVM commits 7 entries of its batch, acknowledges none, and is SIGKILLed
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), DrainerChild.class.getName(), TestServers.pgUrl(),
                    f.schema, TestServers.redisUrl(), f.prefix, "6", "500");
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
                    try {
                        String line;
                        while ((line = out.readLine()) != null) {
                            output.add(line);
                            if (line.equals("waiting to be killed")) {
                                return true;
                            }
                        }
                        return false;
                    } catch (IOException e) {
                        return false;
                    }
                });
                assertThat(waiting.get(90, TimeUnit.SECONDS)).as("child output %s", output).isTrue();
            } finally {
                child.destroyForcibly();
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            assertThat(output).filteredOn(l -> l.startsWith("committed ")).hasSize(7);
            // mid-batch for real: 7 entries are in PostgreSQL (their outbox rows), none acknowledged
            assertThat(TestServers.queryLong("SELECT count(*) FROM " + f.schema + ".outbox")).isEqualTo(7);
            assertThat(pending(f, skus)).as("the dead drainer's batch is pending").isEqualTo(journalIds.size());

            // a new drainer takes the batch over once the dead one's lease ran out, and applies all of it
            TieredDrainer resumed = TieredDrainer.builder(f.store, f.jedis).lease(Duration.ofMillis(500)).outbox(true)
                    .build();
            AtomicLong drained = new AtomicLong();
            Await.until("the journal drained after the kill", Duration.ofSeconds(30), () -> {
                drained.addAndGet(resumed.drainAll(50));
                return pending(f, skus) == 0 && drained.get() >= journalIds.size();
            });
            assertThat(drained.get()).as("every journal entry drained once by the new drainer")
                    .isEqualTo(journalIds.size());
            assertThat(resumed.drainOnce(1000)).as("nothing left unacknowledged").isZero();
            f.assertTruthEqualsHot(skus, holds);
            // ledger = onHand in PostgreSQL, per level
            for (Sku sku : skus) {
                for (String loc : List.of("WH1", "WH2")) {
                    long onHand = f.store.truth().level(sku, TieredFixture.loc(loc)).orElseThrow().onHand();
                    long sum = f.store.truth().ledger(sku, TieredFixture.loc(loc)).stream()
                            .mapToLong(LedgerEntry::delta).sum();
                    assertThat(sum).as("ledger sum of %s@%s", sku, loc).isEqualTo(onHand);
                }
            }
            // the outbox has every journal event exactly once, by event id
            assertThat(TestServers.queryLong("SELECT count(*) FROM " + f.schema + ".outbox"))
                    .isEqualTo(journalIds.size());
            assertThat(TestServers.queryLong("SELECT count(DISTINCT id) FROM " + f.schema + ".outbox"))
                    .isEqualTo(journalIds.size());
            for (String id : journalIds) {
                assertThat(TestServers.queryLong("SELECT count(*) FROM " + f.schema + ".outbox WHERE id = ?::uuid", id))
                        .as("outbox row of event %s", id).isEqualTo(1);
            }
            // the inbound event ids came along: PostgreSQL alone would refuse the repeats
            assertThat(TestServers.queryLong("SELECT count(*) FROM " + f.schema + ".processed_events"
                    + " WHERE event_id LIKE 'rcv-%'")).isEqualTo(6);
        }
    }

    /** The event ids in the SKUs' journal streams. */
    static Set<String> journalEventIds(TieredFixture f, List<Sku> skus) {
        Set<String> ids = new LinkedHashSet<>();
        for (Sku sku : skus) {
            for (StreamEntry e : f.jedis.xrange(f.prefix + "inv:{" + sku.value() + "}:journal", (StreamEntryID) null,
                    (StreamEntryID) null)) {
                ids.add(journalField(e, "id"));
            }
        }
        return ids;
    }

    /**
     * A field of a journal entry: the scripts write an entry as one field {@code e}, the event's fields
     * and values joined by newlines; hold.lua's and stock.lua's events are field lists.
     */
    static String journalField(StreamEntry e, String field) {
        String packed = e.getFields().get("e");
        if (packed == null) {
            return e.getFields().get(field);
        }
        String[] v = packed.split("\n", -1);
        for (int i = 0; i + 1 < v.length; i += 2) {
            if (v[i].equals(field)) {
                return v[i + 1];
            }
        }
        return null;
    }

    /** Entries of the drainer's group not acknowledged yet (delivered and pending, or never delivered). */
    static long pending(TieredFixture f, List<Sku> skus) {
        long n = 0;
        for (Sku sku : skus) {
            String stream = f.prefix + "inv:{" + sku.value() + "}:journal";
            long len = f.jedis.xlen(stream);
            StreamGroupInfo group = f.jedis.xinfoGroups(stream).stream()
                    .filter(g -> g.getName().equals("tiered-drainer")).findFirst().orElse(null);
            if (group == null) {
                n += len;
                continue;
            }
            Object lag = group.getGroupInfo().get("lag");
            n += group.getPending() + (lag == null ? 0 : ((Number) lag).longValue());
        }
        return n;
    }

    @Test
    void drainingWhatTheWriteThroughAlreadyCopiedChangesNothing() {
        try (TieredFixture f = new TieredFixture(TestServers.redis(), TestServers.pg())) {
            Sku sku = Sku.of(f.prefix.replace(":", "") + "-A");
            f.store.apply(new StockCommand.Receive(sku, TieredFixture.loc("WH1"), 4, Origin.NONE), T0);
            String id = f.prefix.replace(":", "") + "-h";
            f.store.reserve(hold(id, T0, new ReservationLine(sku, TieredFixture.loc("WH1"), 3)), T0);
            f.store.transition(ReservationId.of(id), Transition.CONFIRM, T0, Duration.ZERO);
            f.assertTruthEqualsHot(List.of(sku), List.of(ReservationId.of(id)));
            long ledgerRows = f.store.truth().ledger(sku, TieredFixture.loc("WH1")).size();
            assertThat(TieredDrainer.builder(f.store, f.jedis).build().drainAll(100)).isEqualTo(3);
            f.assertTruthEqualsHot(List.of(sku), List.of(ReservationId.of(id)));
            assertThat(f.store.truth().ledger(sku, TieredFixture.loc("WH1"))).hasSize((int) ledgerRows);
        }
    }
}
