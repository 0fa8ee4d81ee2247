package dev.inventory.core.memory;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.StockLevel;
import dev.inventory.core.Transition;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.spi.DeferredEvents;
import dev.inventory.core.spi.LevelEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The events of a hold change that crossed no threshold: one per line, built when first read from
 * what the change captured under the levels' locks (the hold as it became, the levels after, the
 * instant, the event ids taken at the change). Most calls go to a facade that nobody listens to, so
 * the events, and their UUIDs, are usually never built.
 */
final class HoldEvents extends DeferredEvents {
    /** The transition applied, or null for a new hold ({@code inventory.reserved}). */
    private final Transition transition;
    private final Reservation hold;
    private final Instant at;
    /** The level after the change of a one-line hold; null when {@link #afters} is set. */
    private final LevelState after0;
    /** The levels after the change, in line order, of a hold of several lines. */
    private final LevelState[] afters;

    HoldEvents(Transition transition, Reservation hold, Instant at, LevelState after0, LevelState[] afters) {
        super(afters == null ? 1 : afters.length);
        this.transition = transition;
        this.hold = hold;
        this.at = at;
        this.after0 = after0;
        this.afters = afters;
    }

    @Override
    protected List<InventoryEvent> build() {
        List<ReservationLine> lines = hold.lines();
        if (afters == null) {
            return List.of(event(this.transition, eventId(0), after0.level(), at, hold, lines.get(0)));
        }
        InventoryEvent[] out = new InventoryEvent[afters.length];
        for (int i = 0; i < afters.length; i++) {
            out[i] = event(transition, eventId(i), afters[i].level(), at, hold, lines.get(i));
        }
        return List.of(out);
    }

    private static InventoryEvent event(Transition transition, UUID id, StockLevel after, Instant at,
            Reservation hold, ReservationLine line) {
        return transition == null
                ? LevelEvents.reserved(id, after, at, hold, line)
                : LevelEvents.forTransition(id, transition, after, at, hold, line);
    }

    /**
     * The same events built now, with ids taken now, after {@code prefix} (events of the same call
     * that came first) and with the threshold events of the lines whose level before the change is
     * in {@code crossedBefore} (null entries: no crossing): for the rare changes that cross one.
     */
    static List<InventoryEvent> eager(Transition transition, Reservation hold, Instant at, LevelState after0,
            LevelState[] afters, StockLevel[] crossedBefore, List<InventoryEvent> prefix) {
        List<ReservationLine> lines = hold.lines();
        int n = afters == null ? 1 : afters.length;
        List<InventoryEvent> out = new ArrayList<>(prefix.size() + n + 2);
        out.addAll(prefix);
        for (int i = 0; i < n; i++) {
            StockLevel after = (afters == null ? after0 : afters[i]).level();
            out.add(transition == null
                    ? LevelEvents.reserved(after, at, hold, lines.get(i))
                    : LevelEvents.forTransition(transition, after, at, hold, lines.get(i)));
            if (crossedBefore != null && crossedBefore[i] != null) {
                LevelEvents.crossings(crossedBefore[i], after, at, out);
            }
        }
        return out;
    }
}
