package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.Transition;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A process that dies between the steps of a reservation over several cluster slots leaves nothing held
 * past the hold's expiry, and a retry before then completes the hold. The dying process is a real child
 * JVM that halts right after a step ({@link CrashingReserver}); a transition abandoned between slots is
 * completed by calling it again.
 */
class CrashBetweenStepsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration HOLD = Duration.ofMinutes(15);
    private static final LocationId WH = LocationId.of("WH1");

    private TestRedis.Cluster cluster;
    private String prefix;
    private RedisInventoryStore store;
    private Sku a;
    private Sku b;

    @BeforeEach
    void setUp() {
        cluster = TestRedis.cluster();
        prefix = TestRedis.newPrefix();
        store = RedisInventoryStore.builder(cluster.client).keyPrefix(prefix).build();
        // two SKUs in slots served by different masters
        List<Sku> skus = cluster.skusOnDifferentMasters("crash", 2);
        a = skus.get(0);
        b = skus.get(1);
        for (Sku sku : List.of(a, b)) {
            assertThat(store.apply(new StockCommand.Receive(sku, WH, 10, Origin.NONE), NOW).value().isApplied()).isTrue();
        }
    }

    @AfterEach
    void tearDown() {
        cluster.deleteKeys(prefix);
    }

    @Test
    void killedAfterTheAnchorStepNothingIsHeldAfterExpiry() throws Exception {
        ReservationId id = ReservationId.of("crash-1");
        runChildUntil("anchor", id, 3, 4);

        // the dead process held the anchor's line (the hold is not visible: it was never committed)
        assertThat(level(a).reserved()).isEqualTo(3);
        assertThat(level(b).reserved()).isZero();
        assertThat(store.reservation(id)).isEmpty();
        assertThat(store.transition(id, Transition.CONFIRM, NOW, Duration.ZERO).value())
                .isInstanceOf(ReservationResult.NotFound.class);

        // not yet due: the sweeper leaves it
        assertThat(store.expireDue(NOW.plus(HOLD).minusSeconds(1), 100).events()).isEmpty();
        assertThat(level(a).reserved()).isEqualTo(3);

        var swept = store.expireDue(NOW.plus(HOLD), 100);
        assertThat(level(a).reserved()).isZero();
        assertThat(level(b).reserved()).isZero();
        assertThat(swept.value()).as("a hold that never existed is not reported as expired").isEmpty();
        assertThat(swept.events()).extracting(InventoryEvent::type).containsExactly(EventType.EXPIRED);
        assertThat(store.reservation(id)).isEmpty();
    }

    @Test
    void killedAfterEveryStepButTheCommitNothingIsHeldAfterExpiry() throws Exception {
        ReservationId id = ReservationId.of("crash-2");
        runChildUntil("group 1", id, 3, 4);

        assertThat(level(a).reserved()).isEqualTo(3);
        assertThat(level(b).reserved()).isEqualTo(4);
        assertThat(store.reservation(id)).isEmpty();

        // lazy expiry on the SKU whose part is not the anchor: it expires through the anchor
        var reserve = store.reserve(hold("other", NOW.plus(HOLD), new ReservationLine(b, WH, 10)), NOW.plus(HOLD));
        assertThat(reserve.value()).isInstanceOf(ReservationResult.Success.class);
        assertThat(level(a).reserved()).isZero();
        assertThat(level(b).reserved()).isEqualTo(10);
        assertThat(store.reservation(id)).isEmpty();
    }

    @Test
    void aPartWhoseAnchorIsGoneIsReleasedWhenDue() throws Exception {
        ReservationId id = ReservationId.of("crash-5");
        runChildUntil("group 1", id, 3, 4);
        // the anchor was aborted but the process that aborted it died before it released the other part,
        // and the anchor's tombstone has since timed out
        Keys keys = new Keys(prefix);
        String anchorKey = keys.hold(a, id);
        String token = Codec.part(cluster.client.hgetAll(anchorKey)).get("tk");
        Object abort = Scripts.eval(cluster.client, Scripts.HOLD, keys.base(a), List.of(keys.prefix,
                Codec.eventIdBase(), Long.toString(NOW.toEpochMilli()),
                "1", "abort", id.value(), a.value(), token, "R", "1,0"));
        assertThat(Reply.of(abort).code()).isEqualTo("ABORTED");
        cluster.client.del(anchorKey);
        assertThat(level(a).reserved()).isZero();
        assertThat(level(b).reserved()).isEqualTo(4);

        var swept = store.expireDue(NOW.plus(HOLD), 100);
        assertThat(level(b).reserved()).isZero();
        assertThat(swept.events()).extracting(InventoryEvent::type).containsExactly(EventType.RELEASED);
    }

    @Test
    void aRetryBeforeExpiryCompletesTheHoldTheDeadProcessStarted() throws Exception {
        ReservationId id = ReservationId.of("crash-3");
        runChildUntil("anchor", id, 3, 4);

        var retry = store.reserve(hold(id.value(), NOW, new ReservationLine(a, WH, 3), new ReservationLine(b, WH, 4)),
                NOW.plusSeconds(30));
        assertThat(retry.value()).isInstanceOf(ReservationResult.Success.class);
        Reservation held = store.reservation(id).orElseThrow();
        assertThat(held.status()).isEqualTo(ReservationStatus.ACTIVE);
        assertThat(held.expiresAt()).as("the hold keeps the expiry its first attempt gave it").isEqualTo(NOW.plus(HOLD));
        assertThat(level(a).reserved()).isEqualTo(3);
        assertThat(level(b).reserved()).isEqualTo(4);
        assertThat(store.transition(id, Transition.CONFIRM, NOW.plusSeconds(60), Duration.ZERO).value())
                .isInstanceOf(ReservationResult.Success.class);
        assertThat(level(a).allocated()).isEqualTo(3);
        assertThat(level(b).allocated()).isEqualTo(4);
    }

    @Test
    void aTransitionAbandonedBetweenSlotsCompletesWhenCalledAgain() {
        ReservationId id = ReservationId.of("crash-4");
        assertThat(store.reserve(hold(id.value(), NOW, new ReservationLine(a, WH, 2), new ReservationLine(b, WH, 5)), NOW)
                .value()).isInstanceOf(ReservationResult.Success.class);
        RedisInventoryStore dying = RedisInventoryStore.builder(cluster.client).keyPrefix(prefix)
                .stepHook((step, rid) -> {
                    if (step.equals("transition CONFIRM")) {
                        throw new IllegalStateException("process dies here");
                    }
                }).build();
        try {
            dying.transition(id, Transition.CONFIRM, NOW.plusSeconds(10), Duration.ZERO);
        } catch (IllegalStateException expected) {
            // the anchor is confirmed, the other slot not yet
        }
        assertThat(level(a).allocated()).isEqualTo(2);
        assertThat(level(b).allocated()).isZero();
        assertThat(store.reservation(id).orElseThrow().status()).isEqualTo(ReservationStatus.CONFIRMED);

        var again = store.transition(id, Transition.CONFIRM, NOW.plusSeconds(20), Duration.ZERO);
        assertThat(again.value()).isInstanceOf(ReservationResult.Replayed.class);
        assertThat(again.events()).extracting(InventoryEvent::type).containsExactly(EventType.CONFIRMED);
        assertThat(level(b).allocated()).isEqualTo(5);
        assertThat(level(b).reserved()).isZero();
        // and a sweep long after changes nothing: a confirmed hold never expires
        assertThat(store.expireDue(NOW.plus(Duration.ofDays(2)), 100).events()).isEmpty();
    }

    private StockLevel level(Sku sku) {
        return store.level(sku, WH).orElseThrow();
    }

    private static Reservation hold(String id, Instant at, ReservationLine... lines) {
        return new Reservation(ReservationId.of(id), List.of(lines), Optional.empty(), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, at, at.plus(HOLD), at);
    }

    private void runChildUntil(String step, ReservationId id, long qa, long qb) throws IOException, InterruptedException {
        String nodes = cluster.nodes.stream().map(n -> n.getHost() + ":" + n.getPort()).collect(Collectors.joining(","));
        String lines = Codec.lines(List.of(new ReservationLine(a, WH, qa), new ReservationLine(b, WH, qb)));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), CrashingReserver.class.getName(), nodes, prefix, step,
                id.value(), Long.toString(NOW.toEpochMilli()), Long.toString(HOLD.toMillis()), lines));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ends").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as("child output").contains("halting after " + step);
        assertThat(child.exitValue()).isZero();
    }
}
