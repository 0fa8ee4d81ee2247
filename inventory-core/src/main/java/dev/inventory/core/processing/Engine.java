package dev.inventory.core.processing;

import dev.inventory.core.Inventory;
import dev.inventory.core.ReservationId;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.event.InventoryListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both processors share: duplicate detection, the parking of events whose predecessor is
 * missing, their replay when an inventory event shows the predecessor applied, their expiry, and
 * the settled-event callback.
 */
final class Engine<E> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final int MAX_DRAIN_ROUNDS = 100;
    private static final String TRANSFER_PREFIX = "transfer:";

    /** What a handler decided about one event. */
    record Step(Kind kind, String detail, ProcessingResult.Reason reason, String key) {
        enum Kind { APPLIED, DUPLICATE, REJECTED, DEFERRED }

        static Step applied(String detail) {
            return new Step(Kind.APPLIED, detail, null, null);
        }

        static Step duplicate() {
            return new Step(Kind.DUPLICATE, "duplicate", null, null);
        }

        static Step rejected(ProcessingResult.Reason reason, String message) {
            return new Step(Kind.REJECTED, message, reason, null);
        }

        static Step deferred(String key, String waitingFor) {
            return new Step(Kind.DEFERRED, waitingFor, null, key);
        }
    }

    /** Maps one event to store operations; throws only on infrastructure failure. */
    @FunctionalInterface
    interface Handler<E> {
        Step handle(E event);
    }

    private record Settled<E>(E event, String eventId, ProcessingResult result) {
    }

    private final Inventory inventory;
    private final Clock clock;
    private final ProcessedEvents processed;
    private final Parking<E> parking;
    private final Function<E, String> idOf;
    private final Handler<E> handler;
    private final BiConsumer<E, ProcessingResult> onSettled;
    private final Runnable afterEach;
    private final Duration maxAge;
    private final InventoryListener listener = this::wake;

    Engine(Inventory inventory, ProcessedEvents processed, int parkingCapacity, Duration maxAge,
            Function<E, String> idOf, Handler<E> handler, BiConsumer<E, ProcessingResult> onSettled,
            Runnable afterEach) {
        this.inventory = inventory;
        this.clock = inventory.clock();
        this.processed = processed;
        this.parking = new Parking<>(parkingCapacity, maxAge);
        this.maxAge = maxAge;
        this.idOf = idOf;
        this.handler = handler;
        this.onSettled = onSettled;
        this.afterEach = afterEach;
        inventory.addListener(listener);
    }

    static String reservationKey(ReservationId id) {
        return "reservation:" + id.value();
    }

    static String transferKey(String transferId) {
        return TRANSFER_PREFIX + transferId;
    }

    /** Any change of a hold or a referenced transfer shipment may be the predecessor parked events wait for. */
    private void wake(InventoryEvent event) {
        if (event instanceof InventoryEvent.HoldEvent h) {
            parking.markReady(reservationKey(h.reservationId()));
        } else if (event instanceof InventoryEvent.TransferShipped t) {
            Optional<String> reference = t.reference();
            if (reference.isPresent()) {
                parking.markReady(transferKey(reference.get()));
            } else {
                // shipped without a transfer id (a direct call): any waiting arrival may be covered now
                parking.markReadyByPrefix(TRANSFER_PREFIX);
            }
        }
    }

    ProcessingResult process(E event) {
        Fields.notNull("event", event);
        String id = idOf.apply(event);
        List<Settled<E>> settled = new ArrayList<>();
        boolean[] parkedNow = {false};
        try {
            expire(settled);
            ProcessingResult result = decide(event, id, parkedNow);
            drainAndServe(settled);
            for (Settled<E> s : settled) {
                if (parkedNow[0] && s.eventId().equals(id)) {
                    result = s.result(); // parked and settled within this call: no one else waits for it
                }
            }
            return result;
        } finally {
            // also when the handler threw: what expired or settled before must still be reported
            for (Settled<E> s : settled) {
                if (!(parkedNow[0] && s.eventId().equals(id))) {
                    notifySettled(s);
                }
            }
        }
    }

    /** Duplicate, still parked, or handled now (and parked when it must wait: {@code parkedNow[0]} set). */
    private ProcessingResult decide(E event, String id, boolean[] parkedNow) {
        if (processed.contains(id)) {
            return new ProcessingResult.Duplicate(id);
        }
        Optional<Parking.Entry<E>> waiting = parking.find(id);
        if (waiting.isPresent()) {
            return waiting.get().deferred();
        }
        Step step = handler.handle(event);
        if (step.kind() != Step.Kind.DEFERRED) {
            return conclude(id, step);
        }
        Optional<Parking.Entry<E>> entry = parking.park(event, id, step.key(), step.detail(), clock.instant());
        if (entry.isEmpty()) {
            return new ProcessingResult.Rejected(id, ProcessingResult.Reason.PARKING_FULL, "event " + id + " waits for "
                    + step.detail() + " but " + parking.size() + " events are parked already");
        }
        // a predecessor applied between the handler's look and the park woke nobody: the drain looks once more
        parking.markReady(step.key());
        parkedNow[0] = true;
        return entry.get().deferred();
    }

    /** Expires what waited too long, replays what became ready, serves backorders; returns how many settled. */
    int retryParked() {
        List<Settled<E>> settled = new ArrayList<>();
        expire(settled);
        drainAndServe(settled);
        settled.forEach(this::notifySettled);
        return settled.size();
    }

    int parkedCount() {
        return parking.size();
    }

    private ProcessingResult conclude(String id, Step step) {
        switch (step.kind()) {
            case APPLIED:
                processed.record(id, clock.instant());
                return new ProcessingResult.Applied(id, step.detail());
            case DUPLICATE:
                processed.record(id, clock.instant());
                return new ProcessingResult.Duplicate(id);
            case REJECTED:
                return new ProcessingResult.Rejected(id, step.reason(), step.detail());
            default:
                throw new IllegalStateException("a deferral is not a conclusion: " + step);
        }
    }

    private void expire(List<Settled<E>> settled) {
        for (Parking.Entry<E> entry : parking.takeExpired(clock.instant())) {
            settled.add(new Settled<>(entry.event, entry.eventId, new ProcessingResult.Rejected(entry.eventId,
                    ProcessingResult.Reason.PREDECESSOR_MISSING, "event " + entry.eventId + " waited " + maxAge
                            + " for " + entry.waitingFor + "; giving up")));
        }
    }

    private void drainAndServe(List<Settled<E>> settled) {
        drain(settled);
        if (afterEach != null) {
            try {
                afterEach.run();
            } catch (RuntimeException e) {
                log.warn("serving backorders after an event failed; they are served on a later event", e);
            }
            drain(settled);
        }
    }

    private void drain(List<Settled<E>> settled) {
        for (int round = 0; round < MAX_DRAIN_ROUNDS; round++) {
            List<Parking.Entry<E>> batch = parking.takeReady();
            if (batch.isEmpty()) {
                return;
            }
            for (Parking.Entry<E> entry : batch) {
                replay(entry, settled);
            }
        }
    }

    private void replay(Parking.Entry<E> entry, List<Settled<E>> settled) {
        Step step;
        try {
            step = handler.handle(entry.event);
        } catch (RuntimeException e) {
            log.warn("retrying parked event {} failed; it stays parked and is retried later", entry.eventId, e);
            parking.repark(entry, true);
            return;
        }
        if (step.kind() == Step.Kind.DEFERRED) {
            parking.repark(entry, false);
            return;
        }
        parking.settle(entry);
        settled.add(new Settled<>(entry.event, entry.eventId, conclude(entry.eventId, step)));
    }

    private void notifySettled(Settled<E> s) {
        if (onSettled == null) {
            return;
        }
        try {
            onSettled.accept(s.event(), s.result());
        } catch (RuntimeException e) {
            log.warn("settled-event callback failed on {}", s.eventId(), e);
        }
    }

    @Override
    public void close() {
        inventory.removeListener(listener);
    }
}
