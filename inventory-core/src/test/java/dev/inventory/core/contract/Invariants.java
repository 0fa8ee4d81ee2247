package dev.inventory.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.InventoryStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;

/** Checks DESIGN invariants I1-I6 on a quiet store. */
public final class Invariants {
    private Invariants() {
    }

    private static boolean isThresholdEvent(InventoryEvent e) {
        return e instanceof InventoryEvent.OutOfStock || e instanceof InventoryEvent.BackInStock
                || e instanceof InventoryEvent.BelowThreshold || e instanceof InventoryEvent.CycleCountVariance;
    }

    /**
     * Checks I1-I6 for every level of {@code skus}, given every hold ever made on them and every
     * event the store emitted.
     */
    public static void check(InventoryStore store, Collection<Sku> skus, Collection<ReservationId> holds,
            List<InventoryEvent> events) {
        check(store, skus, holds, events, level -> 0);
    }

    /**
     * Checks I1-I6 like {@link #check(InventoryStore, Collection, Collection, List)}, where I4 counts
     * in {@code reserved} also what {@code heldOutsideHolds} says is held at a level by something
     * other than a hold (the pools of open flash sales).
     */
    public static void check(InventoryStore store, Collection<Sku> skus, Collection<ReservationId> holds,
            List<InventoryEvent> events, ToLongFunction<StockLevel> heldOutsideHolds) {
        Map<String, long[]> expected = new HashMap<>(); // key -> {reserved, allocated}
        for (ReservationId id : holds) {
            Reservation r = store.reservation(id).orElse(null);
            if (r == null) {
                continue;
            }
            for (ReservationLine line : r.lines()) {
                long[] e = expected.computeIfAbsent(line.sku() + "@" + line.locationId(), k -> new long[2]);
                if (r.status().holdsReserved()) {
                    e[0] += line.quantity();
                } else if (r.status() == ReservationStatus.CONFIRMED) {
                    e[1] += line.quantity();
                }
            }
        }
        Map<String, TreeSet<Long>> versions = new HashMap<>();
        Map<String, Integer> changeEvents = new HashMap<>();
        for (InventoryEvent e : events) {
            if (!isThresholdEvent(e)) {
                String key = e.sku() + "@" + e.locationId();
                versions.computeIfAbsent(key, k -> new TreeSet<>()).add(e.version());
                changeEvents.merge(key, 1, Integer::sum);
            }
        }
        for (Sku sku : skus) {
            for (StockLevel level : store.levels(sku)) {
                String key = level.sku() + "@" + level.locationId();
                // I1, I2
                assertThat(level.isConsistent()).as("I1/I2 at %s: %s", key, level).isTrue();
                // I4
                long[] e = expected.getOrDefault(key, new long[2]);
                long outside = heldOutsideHolds.applyAsLong(level);
                assertThat(level.reserved()).as("I4 reserved = sum of ACTIVE/PENDING holds (+ %s held outside holds) at %s",
                        outside, key).isEqualTo(e[0] + outside);
                assertThat(level.allocated()).as("I4 allocated = sum of CONFIRMED holds at %s", key).isEqualTo(e[1]);
                // I5
                List<LedgerEntry> ledger = store.ledger(level.sku(), level.locationId());
                long sum = ledger.stream().mapToLong(LedgerEntry::delta).sum();
                assertThat(sum).as("I5 ledger sums to onHand at %s", key).isEqualTo(level.onHand());
                // I6: each change produced exactly one event with the next version
                if (!events.isEmpty()) {
                    TreeSet<Long> seen = versions.getOrDefault(key, new TreeSet<>());
                    assertThat(changeEvents.getOrDefault(key, 0)).as("I6 one event per version at %s", key)
                            .isEqualTo(seen.size());
                    assertThat(seen).as("I6 versions of the events at %s", key)
                            .containsExactlyElementsOf(LongStream.rangeClosed(1, level.version()).boxed().toList());
                }
            }
        }
    }
}
