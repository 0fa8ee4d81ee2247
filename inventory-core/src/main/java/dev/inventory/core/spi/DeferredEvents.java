package dev.inventory.core.spi;

import dev.inventory.core.event.InventoryEvent;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.UUID;

/**
 * An immutable event list whose events are built on first access, from data a store captured when
 * it made the change: most calls go to a facade with no listener and no cache, which never reads
 * the events, so a store can skip building them (and their ids) on its hot path. {@link StoreResult}
 * keeps such a list as it is instead of copying it.
 *
 * <p>The content must not depend on when, or by which thread, the list is first read: a subclass
 * captures immutable values only (level snapshots, the hold, the instant of the change), and takes
 * its event ids when it is made, through this class's constructor ({@link #eventId(int)}), so ids are
 * as time-ordered as ids taken with {@link EventIds#next()} at the change. The list is built at most
 * once and then shared by every reader (thread-safe).
 */
public abstract class DeferredEvents extends AbstractList<InventoryEvent> implements RandomAccess {
    private final long msb;
    private final long lsb;
    private final int ids;
    private volatile List<InventoryEvent> built;

    /**
     * Takes {@code ids} consecutive event ids of the calling thread, now.
     *
     * @param ids how many events (at least) {@link #build()} will make; {@code >= 0}
     */
    protected DeferredEvents(int ids) {
        if (ids < 0) {
            throw new IllegalArgumentException("ids must not be negative, was " + ids);
        }
        this.ids = ids;
        if (ids > 0) {
            EventIds.Generator g = EventIds.reserve(ids);
            this.msb = g.msb;
            this.lsb = g.lsb;
        } else {
            this.msb = 0;
            this.lsb = 0;
        }
    }

    /** The {@code i}-th id taken when this list was made (0-based, below the count given). */
    protected final UUID eventId(int i) {
        if (i < 0 || i >= ids) {
            throw new IndexOutOfBoundsException("event id " + i + " of " + ids);
        }
        return new UUID(EventIds.nthMsb(msb, i), EventIds.nthLsb(lsb, i));
    }

    /** Builds the events, in order; called at most once. */
    protected abstract List<InventoryEvent> build();

    private List<InventoryEvent> events() {
        List<InventoryEvent> events = built;
        if (events == null) {
            synchronized (this) {
                events = built;
                if (events == null) {
                    events = List.copyOf(build());
                    built = events;
                }
            }
        }
        return events;
    }

    @Override
    public final InventoryEvent get(int index) {
        return events().get(index);
    }

    @Override
    public final int size() {
        return events().size();
    }
}
