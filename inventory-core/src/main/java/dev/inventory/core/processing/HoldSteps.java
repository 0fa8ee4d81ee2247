package dev.inventory.core.processing;

import dev.inventory.core.Inventory;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.processing.Engine.Step;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The hold transitions inbound events make, and how their outcomes map to processing steps. */
final class HoldSteps {
    private HoldSteps() {
    }

    /**
     * Fulfils the hold: the units leave where they were reserved. Waits while the hold is missing or
     * not confirmed yet; rejects when it can no longer be fulfilled or {@code items} do not match it.
     */
    static Step fulfil(Inventory inventory, ReservationId id, List<WarehouseEvent.Item> items, String what) {
        Optional<Reservation> hold = inventory.reservations().find(id);
        if (hold.isEmpty()) {
            return Step.deferred(Engine.reservationKey(id), "hold " + id + " to be placed and confirmed");
        }
        if (!items.isEmpty()) {
            Map<Sku, Long> held = new TreeMap<>();
            for (ReservationLine line : hold.get().lines()) {
                held.merge(line.sku(), line.quantity(), Long::sum);
            }
            Map<Sku, Long> handled = new TreeMap<>();
            for (WarehouseEvent.Item item : items) {
                handled.put(item.sku(), item.quantity());
            }
            if (!held.equals(handled)) {
                return Step.rejected(ProcessingResult.Reason.LINES_MISMATCH, what + " lists " + handled + " but hold "
                        + id + " holds " + held + "; a hold is fulfilled as a whole");
            }
        }
        ReservationResult r = inventory.reservations().fulfil(id);
        if (r instanceof ReservationResult.Success s) {
            return Step.applied("hold " + id + " fulfilled: " + describe(s.value().lines()) + " left stock");
        }
        if (r instanceof ReservationResult.Replayed) {
            return Step.applied("hold " + id + " was already fulfilled; nothing changed");
        }
        if (r instanceof ReservationResult.NotFound) {
            return Step.deferred(Engine.reservationKey(id), "hold " + id + " to be placed and confirmed");
        }
        if (r instanceof ReservationResult.IllegalTransition t && t.value().status().holdsReserved()) {
            if (t.value().isDue(inventory.clock().instant())) {
                // a due hold can no longer be confirmed, so it will never be fulfilled
                return Step.rejected(ProcessingResult.Reason.HOLD_EXPIRED, "cannot fulfil hold " + id
                        + ": it expired at " + t.value().expiresAt() + " before it was confirmed");
            }
            return Step.deferred(Engine.reservationKey(id), "hold " + id + " to be confirmed (it is "
                    + t.value().status() + ")");
        }
        return refused(r, id, "fulfil");
    }

    /** Confirms the hold; waits while it is missing. */
    static Step confirm(Inventory inventory, ReservationId id) {
        ReservationResult r = inventory.reservations().confirm(id);
        if (r instanceof ReservationResult.Success) {
            return Step.applied("hold " + id + " confirmed");
        }
        if (r instanceof ReservationResult.Replayed) {
            return Step.applied("hold " + id + " was already confirmed; nothing changed");
        }
        if (r instanceof ReservationResult.NotFound) {
            return Step.deferred(Engine.reservationKey(id), "order " + id + " to be placed");
        }
        return refused(r, id, "confirm");
    }

    /**
     * Lets the hold go: release before confirmation, cancel after. A hold with nothing left to let
     * go (released, cancelled, expired) is fine; a fulfilled one is an error.
     */
    static Step cancel(Inventory inventory, ReservationId id) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Reservation> hold = inventory.reservations().find(id);
            if (hold.isEmpty()) {
                return Step.deferred(Engine.reservationKey(id), "order " + id + " to be placed");
            }
            ReservationStatus status = hold.get().status();
            ReservationResult r;
            if (status.holdsReserved()) {
                r = inventory.reservations().release(id);
            } else if (status == ReservationStatus.CONFIRMED) {
                r = inventory.reservations().cancel(id);
            } else if (status == ReservationStatus.FULFILLED) {
                return Step.rejected(ProcessingResult.Reason.ILLEGAL_STATE, "order " + id
                        + " was already shipped (hold FULFILLED); cancelling it needs a return, not a cancel");
            } else {
                return Step.applied("hold " + id + " is already " + status + "; nothing was held");
            }
            if (r instanceof ReservationResult.Success s) {
                return Step.applied("hold " + id + " " + (status.holdsReserved() ? "released" : "cancelled") + ": "
                        + describe(s.value().lines()) + " back on sale");
            }
            if (r instanceof ReservationResult.Expired || r instanceof ReservationResult.Replayed) {
                return Step.applied("hold " + id + " is already " + r.reservation().orElseThrow().status()
                        + "; nothing was held");
            }
            // IllegalTransition: the hold moved between the read and the call (confirmed meanwhile); look again
        }
        return Step.rejected(ProcessingResult.Reason.ILLEGAL_STATE, "hold " + id
                + " kept changing state while it was being cancelled");
    }

    private static Step refused(ReservationResult r, ReservationId id, String verb) {
        if (r instanceof ReservationResult.Expired e) {
            return Step.rejected(ProcessingResult.Reason.HOLD_EXPIRED, "cannot " + verb + " hold " + id
                    + ": it expired at " + e.value().expiresAt() + " and its stock went back");
        }
        String state = r.reservation().map(h -> h.status().name()).orElse(r.getClass().getSimpleName());
        return Step.rejected(ProcessingResult.Reason.ILLEGAL_STATE, "cannot " + verb + " hold " + id + ": it is "
                + state);
    }

    static String describe(List<ReservationLine> lines) {
        StringBuilder b = new StringBuilder();
        for (ReservationLine line : lines) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(line.quantity()).append(" x ").append(line.sku()).append(" at ").append(line.locationId());
        }
        return b.toString();
    }
}
