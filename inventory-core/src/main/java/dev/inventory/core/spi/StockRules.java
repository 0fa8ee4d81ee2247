package dev.inventory.core.spi;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockLevel;
import dev.inventory.core.StockResult;
import dev.inventory.core.event.InventoryEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rules of the single-level stock commands (all but transfers), as a pure function from the
 * level before to the level after, so that every Java store applies exactly the same rules.
 */
public final class StockRules {
    private StockRules() {
    }

    /**
     * What a command does to one level.
     *
     * @param after the level after (version + 1), or {@code null} when rejected
     * @param kind the ledger entry's kind
     * @param delta the change of onHand
     * @param reference the ledger entry's reference
     * @param event builds the main event from the level after
     * @param rejection why it was refused, or {@code null} when applied
     */
    public record Change(StockLevel after, LedgerEntry.Kind kind, long delta, Optional<String> reference,
            Function<StockLevel, InventoryEvent> event, StockResult.Rejected rejection) {

        static Change rejected(StockResult.Reason reason, String message) {
            return new Change(null, null, 0, Optional.empty(), null, new StockResult.Rejected(reason, message));
        }
    }

    /**
     * What a transfer does to its two levels.
     *
     * @param source the source level after (version + 1), or {@code null} when rejected
     * @param target the destination level after (version + 1), or {@code null} when rejected
     * @param rejection why it was refused, or {@code null} when applied
     */
    public record Transfer(StockLevel source, StockLevel target, StockResult.Rejected rejection) {
    }

    /**
     * Applies a transfer out ({@code out}) or in to the levels at {@code from} ({@code src}) and
     * {@code to} ({@code dst}): out needs unpromised units at the source and moves them to in-transit
     * at both ends; in needs the units in transit at both ends and receiving open at the destination.
     */
    public static Transfer transfer(StockLevel src, StockLevel dst, long quantity, boolean out, Instant now) {
        String sku = src.sku().value();
        if (out) {
            if (src.unpromised() < quantity) {
                return new Transfer(null, null, new StockResult.Rejected(StockResult.Reason.INSUFFICIENT_STOCK,
                        "only " + Math.max(0, src.unpromised()) + " unpromised units of " + sku + " at "
                                + src.locationId() + ", asked to ship " + quantity));
            }
            return new Transfer(
                    src.withTransit(src.onHand() - quantity, src.inTransitIn(), src.inTransitOut() + quantity, now),
                    dst.withTransit(dst.onHand(), dst.inTransitIn() + quantity, dst.inTransitOut(), now), null);
        }
        if (dst.receivingBlocked()) {
            return new Transfer(null, null, new StockResult.Rejected(StockResult.Reason.RECEIVING_BLOCKED,
                    "receiving is blocked for " + sku + " at " + dst.locationId()));
        }
        if (dst.inTransitIn() < quantity || src.inTransitOut() < quantity) {
            return new Transfer(null, null, new StockResult.Rejected(StockResult.Reason.NOTHING_IN_TRANSIT,
                    "only " + Math.min(dst.inTransitIn(), src.inTransitOut()) + " units of " + sku + " in transit from "
                            + src.locationId() + " to " + dst.locationId() + ", asked to receive " + quantity));
        }
        return new Transfer(
                src.withTransit(src.onHand(), src.inTransitIn(), src.inTransitOut() - quantity, now),
                dst.withTransit(dst.onHand() + quantity, dst.inTransitIn() - quantity, dst.inTransitOut(), now), null);
    }

    /** The location a single-level command targets. */
    public static LocationId locationOf(StockCommand command) {
        if (command instanceof StockCommand.Receive c) {
            return c.locationId();
        } else if (command instanceof StockCommand.Adjust c) {
            return c.locationId();
        } else if (command instanceof StockCommand.CycleCount c) {
            return c.locationId();
        } else if (command instanceof StockCommand.MarkDamaged c) {
            return c.locationId();
        } else if (command instanceof StockCommand.SetThresholds c) {
            return c.locationId();
        } else if (command instanceof StockCommand.SetFlags c) {
            return c.locationId();
        }
        throw new IllegalArgumentException("command must be a single-level command, was " + command);
    }

    /** The instant a count applies at: its timestamp, or now when that lies in the future. */
    public static Instant countInstant(StockCommand.CycleCount count, Instant now) {
        return count.countedAt().isAfter(now) ? now : count.countedAt();
    }

    /** The sum of the onHand deltas recorded strictly after {@code instant} in a chronological ledger. */
    public static long movementsAfter(List<LedgerEntry> ledger, Instant instant) {
        long sum = 0;
        for (int i = ledger.size() - 1; i >= 0; i--) {
            LedgerEntry entry = ledger.get(i);
            if (!entry.occurredAt().isAfter(instant)) {
                break;
            }
            sum += entry.delta();
        }
        return sum;
    }

    /**
     * Applies a single-level command to {@code before}.
     *
     * @param movedSinceCount for a {@link StockCommand.CycleCount}: the onHand movements recorded after
     *     its {@link #countInstant}; ignored otherwise
     */
    public static Change change(StockCommand command, StockLevel before, long movedSinceCount, Instant now) {
        Optional<String> ref = command.origin().reference();
        String where = command.sku() + " at " + before.locationId();
        if (command instanceof StockCommand.Receive c) {
            if (before.receivingBlocked()) {
                return Change.rejected(StockResult.Reason.RECEIVING_BLOCKED, "receiving is blocked for " + where);
            }
            long q = c.quantity();
            StockLevel after = before.withQuantities(before.onHand() + q, before.allocated(), before.reserved(),
                    before.damaged(), now);
            return new Change(after, LedgerEntry.Kind.RECEIPT, q, ref,
                    l -> new InventoryEvent.Restocked(EventIds.next(), l, now, q, ref), null);
        } else if (command instanceof StockCommand.Adjust c) {
            long onHand = before.onHand() + c.delta();
            long committed = before.allocated() + before.reserved() + before.damaged();
            if (onHand < committed) {
                return Change.rejected(StockResult.Reason.BELOW_COMMITTED, "adjusting " + where + " by " + c.delta()
                        + " would leave onHand " + onHand + " below allocated + reserved + damaged " + committed);
            }
            StockLevel after = before.withQuantities(onHand, before.allocated(), before.reserved(), before.damaged(),
                    now);
            Optional<String> ledgerRef = ref.or(() -> Optional.of(c.reason()));
            return new Change(after, LedgerEntry.Kind.ADJUSTMENT, c.delta(), ledgerRef,
                    l -> new InventoryEvent.Adjusted(EventIds.next(), l, now, c.delta(), c.reason(), ref), null);
        } else if (command instanceof StockCommand.CycleCount c) {
            long onHand = c.counted() + movedSinceCount;
            long committed = before.allocated() + before.reserved() + before.damaged();
            if (onHand < committed) {
                return Change.rejected(StockResult.Reason.BELOW_COMMITTED, "count of " + c.counted() + " for " + where
                        + " (plus " + movedSinceCount + " moved since) is below allocated + reserved + damaged "
                        + committed + "; resolve the commitments first");
            }
            long delta = onHand - before.onHand();
            StockLevel after = before.withQuantities(onHand, before.allocated(), before.reserved(), before.damaged(),
                    now);
            return new Change(after, LedgerEntry.Kind.CYCLE_COUNT, delta, ref,
                    l -> new InventoryEvent.Adjusted(EventIds.next(), l, now, delta, "cycle-count", ref), null);
        } else if (command instanceof StockCommand.MarkDamaged c) {
            long q = c.quantity();
            if (before.unpromised() < q) {
                return Change.rejected(StockResult.Reason.INSUFFICIENT_STOCK, "only " + Math.max(0,
                        before.unpromised()) + " unpromised units of " + where + ", asked to mark " + q + " damaged");
            }
            StockLevel after = before.withQuantities(before.onHand(), before.allocated(), before.reserved(),
                    before.damaged() + q, now);
            return new Change(after, LedgerEntry.Kind.DAMAGE, 0, ref,
                    l -> new InventoryEvent.Damaged(EventIds.next(), l, now, q, ref), null);
        } else if (command instanceof StockCommand.SetThresholds c) {
            StockLevel after = before.withSettings(c.reorderPoint(), c.safetyStock(), c.maxStock(),
                    before.sellable(), before.receivingBlocked(), now);
            return new Change(after, LedgerEntry.Kind.SETTINGS, 0, ref,
                    l -> new InventoryEvent.Adjusted(EventIds.next(), l, now, 0, "thresholds", ref), null);
        } else if (command instanceof StockCommand.SetFlags c) {
            StockLevel after = before.withSettings(before.reorderPoint(), before.safetyStock(), before.maxStock(),
                    c.sellable(), c.receivingBlocked(), now);
            return new Change(after, LedgerEntry.Kind.SETTINGS, 0, ref,
                    l -> new InventoryEvent.Adjusted(EventIds.next(), l, now, 0, "flags", ref), null);
        }
        throw new IllegalArgumentException("command must be a single-level command, was " + command);
    }
}
