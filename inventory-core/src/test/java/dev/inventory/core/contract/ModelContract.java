package dev.inventory.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random model-based tests: thousands of random operation sequences checked step by step against a
 * small reference model written independently of the stores, and a multi-threaded random run
 * checked against the invariants at the end.
 *
 * <p>In the single-threaded run the sweeper is punctual (it runs right after every clock move), so
 * every store agrees on when a hold expires; late sweepers and lazy expiry have their own tests.
 */
public abstract class ModelContract extends StoreFixture {

    static final int SEQUENCES = 1500;
    static final int STEPS = 10;
    static final String[] LOCATIONS = {"L1", "L2"};

    /** The reference model of one level. */
    static final class ModelLevel {
        long onHand;
        long allocated;
        long reserved;
        long damaged;
        long safety;

        long available() {
            return Math.max(0, onHand - damaged - allocated - reserved - safety);
        }

        long unpromised() {
            return onHand - allocated - reserved - damaged;
        }
    }

    /** The reference model of one hold. */
    static final class ModelHold {
        final List<ReservationLine> lines;
        String status = "ACTIVE";
        Instant expiresAt;

        ModelHold(List<ReservationLine> lines, Instant expiresAt) {
            this.lines = lines;
            this.expiresAt = expiresAt;
        }
    }

    /** One sequence's model: levels by "sku@loc", holds by id. */
    final class Model {
        final Map<String, ModelLevel> levels = new HashMap<>();
        final Map<ReservationId, ModelHold> holdsById = new LinkedHashMap<>();

        ModelLevel level(Sku sku, String location) {
            return levels.computeIfAbsent(sku + "@" + location, k -> new ModelLevel());
        }

        ModelLevel level(ReservationLine line) {
            return level(line.sku(), line.locationId().value());
        }

        String reserve(ReservationId id, List<ReservationLine> lines) {
            ModelHold existing = holdsById.get(id);
            if (existing != null) {
                return existing.lines.equals(lines) ? "Replayed" : "IdConflict";
            }
            for (ReservationLine line : lines) {
                if (line.quantity() > level(line).available()) {
                    return "InsufficientStock:" + line.sku() + "@" + line.locationId() + ":" + level(line).available();
                }
            }
            for (ReservationLine line : lines) {
                level(line).reserved += line.quantity();
            }
            holdsById.put(id, new ModelHold(lines, clock.instant().plus(HOLD)));
            return "Success";
        }

        String move(ReservationId id, String transition) {
            ModelHold h = holdsById.get(id);
            if (h == null) {
                return "NotFound";
            }
            String s = h.status;
            switch (transition) {
                case "startPayment" -> {
                    if (s.equals("PENDING")) {
                        return "Replayed";
                    }
                    if (s.equals("EXPIRED")) {
                        return "Expired";
                    }
                    if (!s.equals("ACTIVE")) {
                        return "IllegalTransition";
                    }
                    h.status = "PENDING";
                    h.expiresAt = h.expiresAt.plus(EXTENSION);
                }
                case "confirm" -> {
                    if (s.equals("CONFIRMED") || s.equals("FULFILLED")) {
                        return "Replayed";
                    }
                    if (s.equals("EXPIRED")) {
                        return "Expired";
                    }
                    if (!s.equals("ACTIVE") && !s.equals("PENDING")) {
                        return "IllegalTransition";
                    }
                    for (ReservationLine l : h.lines) {
                        level(l).reserved -= l.quantity();
                        level(l).allocated += l.quantity();
                    }
                    h.status = "CONFIRMED";
                }
                case "fulfil" -> {
                    if (s.equals("FULFILLED")) {
                        return "Replayed";
                    }
                    if (s.equals("EXPIRED")) {
                        return "Expired";
                    }
                    if (!s.equals("CONFIRMED")) {
                        return "IllegalTransition";
                    }
                    for (ReservationLine l : h.lines) {
                        level(l).allocated -= l.quantity();
                        level(l).onHand -= l.quantity();
                    }
                    h.status = "FULFILLED";
                }
                case "cancel" -> {
                    if (s.equals("CANCELLED")) {
                        return "Replayed";
                    }
                    if (s.equals("EXPIRED")) {
                        return "Expired";
                    }
                    if (!s.equals("CONFIRMED")) {
                        return "IllegalTransition";
                    }
                    for (ReservationLine l : h.lines) {
                        level(l).allocated -= l.quantity();
                    }
                    h.status = "CANCELLED";
                }
                case "release" -> {
                    if (s.equals("RELEASED")) {
                        return "Replayed";
                    }
                    if (s.equals("EXPIRED")) {
                        return "Expired";
                    }
                    if (!s.equals("ACTIVE") && !s.equals("PENDING")) {
                        return "IllegalTransition";
                    }
                    for (ReservationLine l : h.lines) {
                        level(l).reserved -= l.quantity();
                    }
                    h.status = "RELEASED";
                }
                default -> throw new IllegalArgumentException(transition);
            }
            return "Success";
        }

        int sweep() {
            int n = 0;
            for (ModelHold h : holdsById.values()) {
                if ((h.status.equals("ACTIVE") || h.status.equals("PENDING")) && !clock.instant().isBefore(h.expiresAt)) {
                    for (ReservationLine l : h.lines) {
                        level(l).reserved -= l.quantity();
                    }
                    h.status = "EXPIRED";
                    n++;
                }
            }
            return n;
        }
    }

    static String outcome(ReservationResult r) {
        if (r instanceof ReservationResult.InsufficientStock s) {
            return "InsufficientStock:" + s.line().sku() + "@" + s.line().locationId() + ":" + s.available();
        }
        return r.getClass().getSimpleName();
    }

    static String outcome(StockResult r) {
        if (r instanceof StockResult.Rejected rej) {
            return "Rejected:" + rej.reason();
        }
        return r.getClass().getSimpleName();
    }

    @Test
    void randomSequencesMatchTheReferenceModel() {
        Random random = new Random(20261122L);
        for (int seq = 0; seq < SEQUENCES; seq++) {
            runSequence(seq, random);
        }
    }

    private void runSequence(int seq, Random random) {
        Model model = new Model();
        List<Sku> items = List.of(sku("s" + seq + "a"), sku("s" + seq + "b"));
        List<ReservationId> ids = new ArrayList<>();
        List<String> trace = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            Sku sku = items.get(random.nextInt(items.size()));
            String location = LOCATIONS[random.nextInt(LOCATIONS.length)];
            int op = random.nextInt(100);
            String expected;
            String actual;
            if (op < 22) {
                long q = 1 + random.nextInt(5);
                trace.add("receive " + sku + "@" + location + " " + q);
                model.level(sku, location).onHand += q;
                expected = "Applied";
                actual = outcome(inventory.stock().receive(sku, loc(location), q));
            } else if (op < 50) {
                ReservationId id;
                List<ReservationLine> lines = new ArrayList<>();
                if (!ids.isEmpty() && random.nextInt(6) == 0) {
                    id = ids.get(random.nextInt(ids.size()));
                    ModelHold h = model.holdsById.get(id);
                    if (h != null && random.nextBoolean()) {
                        lines.addAll(h.lines);
                    }
                } else {
                    id = rid("s" + seq + "-" + step);
                }
                if (lines.isEmpty()) {
                    lines.add(new ReservationLine(sku, loc(location), 1 + random.nextInt(3)));
                    if (random.nextInt(3) == 0) {
                        Sku other = items.get(random.nextInt(items.size()));
                        String otherLoc = LOCATIONS[random.nextInt(LOCATIONS.length)];
                        if (!(other.equals(sku) && otherLoc.equals(location))) {
                            lines.add(new ReservationLine(other, loc(otherLoc), 1 + random.nextInt(3)));
                        }
                    }
                }
                var request = ReservationRequest.builder(id).lines(lines).build();
                trace.add("reserve " + id + " " + request.lines());
                expected = model.reserve(id, request.lines());
                actual = outcome(inventory.reservations().reserve(request));
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            } else if (op < 72) {
                if (ids.isEmpty()) {
                    continue;
                }
                ReservationId id = ids.get(random.nextInt(ids.size()));
                String[] moves = {"startPayment", "confirm", "confirm", "fulfil", "cancel", "release"};
                String move = moves[random.nextInt(moves.length)];
                trace.add(move + " " + id);
                expected = model.move(id, move);
                var reservations = inventory.reservations();
                actual = outcome(switch (move) {
                    case "startPayment" -> reservations.startPayment(id);
                    case "confirm" -> reservations.confirm(id);
                    case "fulfil" -> reservations.fulfil(id);
                    case "cancel" -> reservations.cancel(id);
                    default -> reservations.release(id);
                });
            } else if (op < 84) {
                Duration d = Duration.ofMinutes(random.nextInt(12));
                trace.add("advance " + d + " and sweep");
                clock.advance(d);
                expected = "swept " + model.sweep();
                actual = "swept " + inventory.sweeper().sweepOnce();
            } else if (op < 90) {
                long delta = random.nextBoolean() ? 1 + random.nextInt(3) : -(1 + random.nextInt(3));
                trace.add("adjust " + sku + "@" + location + " " + delta);
                ModelLevel m = model.level(sku, location);
                if (m.onHand + delta < m.allocated + m.reserved + m.damaged) {
                    expected = "Rejected:BELOW_COMMITTED";
                } else {
                    m.onHand += delta;
                    expected = "Applied";
                }
                actual = outcome(inventory.stock().adjust(sku, loc(location), delta, "model"));
            } else if (op < 95) {
                long q = 1 + random.nextInt(2);
                trace.add("damage " + sku + "@" + location + " " + q);
                ModelLevel m = model.level(sku, location);
                if (m.unpromised() < q) {
                    expected = "Rejected:INSUFFICIENT_STOCK";
                } else {
                    m.damaged += q;
                    expected = "Applied";
                }
                actual = outcome(inventory.stock().markDamaged(sku, loc(location), q));
            } else {
                long safety = random.nextInt(4);
                trace.add("safety " + sku + "@" + location + " " + safety);
                model.level(sku, location).safety = safety;
                expected = "Applied";
                actual = outcome(inventory.stock().setThresholds(sku, loc(location), 0, safety, 0));
            }
            assertThat(actual).as("sequence %d step %d outcome; trace:%n%s", seq, step, String.join("\n", trace))
                    .isEqualTo(expected);
            for (Sku s : items) {
                for (StockLevel level : store.levels(s)) {
                    ModelLevel m = model.level(s, level.locationId().value());
                    assertThat(new long[] {level.onHand(), level.allocated(), level.reserved(), level.damaged(),
                                    level.available()})
                            .as("sequence %d step %d %s; trace:%n%s", seq, step, level, String.join("\n", trace))
                            .containsExactly(m.onHand, m.allocated, m.reserved, m.damaged, m.available());
                }
            }
        }
        // close the sequence: every hold it left expires now, so the next sequence's sweeps see only its own
        clock.advance(Duration.ofDays(1));
        assertThat(inventory.sweeper().sweepOnce()).as("sequence %d final sweep", seq).isEqualTo(model.sweep());
    }

    @Test
    void randomConcurrentOperationsKeepTheInvariants() throws Exception {
        List<Sku> items = List.of(sku("cA"), sku("cB"), sku("cC"));
        for (Sku s : items) {
            for (String l : LOCATIONS) {
                receive(s, l, 20);
            }
        }
        List<ReservationId> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        race(ThreadMode.PLATFORM, 8, t -> {
            Random random = new Random(1000L + t);
            for (int step = 0; step < 300; step++) {
                Sku sku = items.get(random.nextInt(items.size()));
                String location = LOCATIONS[random.nextInt(LOCATIONS.length)];
                int op = random.nextInt(100);
                if (op < 10) {
                    inventory.stock().receive(sku, loc(location), 1 + random.nextInt(3));
                } else if (op < 45) {
                    ReservationId id = rid("c" + t + "-" + step);
                    var b = ReservationRequest.builder(id).line(sku, loc(location), 1 + random.nextInt(3));
                    Sku other = items.get(random.nextInt(items.size()));
                    if (!other.equals(sku) && random.nextBoolean()) {
                        b.line(other, loc(location), 1 + random.nextInt(2));
                    }
                    if (inventory.reservations().reserve(b.build()).isSuccess()) {
                        ids.add(id);
                    }
                } else if (op < 80) {
                    if (ids.isEmpty()) {
                        continue;
                    }
                    ReservationId id = ids.get(random.nextInt(ids.size()));
                    switch (random.nextInt(5)) {
                        case 0 -> inventory.reservations().startPayment(id);
                        case 1 -> inventory.reservations().confirm(id);
                        case 2 -> inventory.reservations().fulfil(id);
                        case 3 -> inventory.reservations().cancel(id);
                        default -> inventory.reservations().release(id);
                    }
                } else if (op < 88) {
                    clock.advance(Duration.ofMinutes(random.nextInt(4)));
                    if (random.nextBoolean()) {
                        inventory.sweeper().sweepOnce();
                    }
                } else if (op < 94) {
                    inventory.stock().adjust(sku, loc(location), random.nextBoolean() ? 2 : -2, "chaos");
                } else if (op < 97) {
                    inventory.stock().markDamaged(sku, loc(location), 1);
                } else {
                    String to = location.equals("L1") ? "L2" : "L1";
                    if (random.nextBoolean()) {
                        inventory.stock().transferOut(sku, loc(location), loc(to), 1);
                    } else {
                        inventory.stock().transferIn(sku, loc(to), loc(location), 1);
                    }
                }
            }
            return null;
        });
        // quiet now: every level must satisfy I1-I6 (checked again after the test with the holds)
        Invariants.check(store, skus, holds, events);
        clock.advance(Duration.ofDays(1));
        inventory.sweeper().sweepOnce();
        for (Sku s : items) {
            for (StockLevel level : store.levels(s)) {
                assertThat(level.reserved()).as("no hold outlives a day: %s", level).isZero();
            }
        }
    }
}
