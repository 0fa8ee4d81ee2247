package dev.inventory.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.InventoryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A deferred event list: built once, on first read, with the ids taken when it was made. */
class DeferredEventsTest {
    static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    static final StockLevel LEVEL = StockLevel.empty(Sku.of("A"), LocationId.of("WH"), AT);

    /** Two out-of-stock events of LEVEL, counting its builds. */
    static final class Two extends DeferredEvents {
        final AtomicInteger builds = new AtomicInteger();

        Two() {
            super(2);
        }

        @Override
        protected List<InventoryEvent> build() {
            builds.incrementAndGet();
            return List.of(new InventoryEvent.OutOfStock(eventId(0), LEVEL, AT),
                    new InventoryEvent.OutOfStock(eventId(1), LEVEL, AT));
        }
    }

    @Test
    void isBuiltOnFirstReadOnlyAndAlwaysTheSame() {
        Two events = new Two();
        StoreResult<String> result = new StoreResult<>("ok", events);
        assertThat(result.events()).isSameAs(events); // kept, not copied (a copy would build it)
        assertThat(events.builds).hasValue(0);
        List<InventoryEvent> first = new ArrayList<>(result.events());
        assertThat(first).hasSize(2);
        assertThat(first.get(0).eventId()).isNotEqualTo(first.get(1).eventId());
        assertThat(result.events()).isEqualTo(first).isEqualTo(List.copyOf(first));
        assertThat(events.builds).hasValue(1);
    }

    @Test
    void idsAreTakenWhenTheListIsMadeNotWhenItIsRead() {
        Two made = new Two();
        java.util.UUID between = EventIds.next(); // same thread: ordered after the list's ids
        assertThat(made.get(1).eventId()).isLessThan(between);
        assertThat(made.get(0).eventId()).isLessThan(made.get(1).eventId());
    }

    @Test
    void isImmutable() {
        Two events = new Two();
        assertThatThrownBy(() -> events.add(events.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> events.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }
}
