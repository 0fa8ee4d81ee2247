package dev.inventory.kafka;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.EventType;
import dev.inventory.core.event.InventoryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One event of every type with fixed ids and times: the samples of {@code docs/events.md}. */
final class SampleEvents {
    static final Sku TEE = Sku.of("TEE-M");
    static final LocationId WH1 = LocationId.of("WH-1");
    static final LocationId WH2 = LocationId.of("WH-2");
    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private SampleEvents() {
    }

    private static UUID id(int n) {
        return UUID.fromString(String.format("0195a3c0-7e00-7000-8000-%012d", n));
    }

    private static StockLevel level(LocationId loc, long onHand, long allocated, long reserved, long damaged,
            long inTransitIn, long inTransitOut, long version) {
        return new StockLevel(TEE, loc, onHand, allocated, reserved, damaged, 2, inTransitIn, inTransitOut, 10, 100,
                true, false, version, AT);
    }

    /** One event per {@link EventType}, in the enum's order. */
    static List<InventoryEvent> all() {
        ReservationId hold = ReservationId.of("checkout-42");
        List<InventoryEvent> events = new ArrayList<>();
        events.add(new InventoryEvent.Reserved(id(1), level(WH1, 40, 0, 3, 0, 0, 0, 7), AT, hold, 3,
                AT.plusSeconds(900)));
        events.add(new InventoryEvent.ReservationPending(id(2), level(WH1, 40, 0, 3, 0, 0, 0, 8), AT, hold, 3,
                AT.plusSeconds(1200)));
        events.add(new InventoryEvent.Confirmed(id(3), level(WH1, 40, 3, 0, 0, 0, 0, 9), AT, hold, 3));
        events.add(new InventoryEvent.Released(id(4), level(WH1, 40, 0, 0, 0, 0, 0, 9), AT, hold, 3));
        events.add(new InventoryEvent.Expired(id(5), level(WH1, 40, 0, 0, 0, 0, 0, 9), AT, hold, 3));
        events.add(new InventoryEvent.Cancelled(id(6), level(WH1, 40, 0, 0, 0, 0, 0, 10), AT, hold, 3));
        events.add(new InventoryEvent.Fulfilled(id(7), level(WH1, 37, 0, 0, 0, 0, 0, 10), AT, hold, 3));
        events.add(new InventoryEvent.Restocked(id(8), level(WH1, 77, 0, 0, 0, 0, 0, 11), AT, 40,
                Optional.of("PO-77")));
        events.add(new InventoryEvent.Adjusted(id(9), level(WH1, 75, 0, 0, 0, 0, 0, 12), AT, -2, "shrinkage",
                Optional.of("audit-5")));
        events.add(new InventoryEvent.Damaged(id(10), level(WH1, 75, 0, 0, 1, 0, 0, 13), AT, 1,
                Optional.of("wms-1006")));
        events.add(new InventoryEvent.TransferShipped(id(11), level(WH1, 70, 0, 0, 1, 0, 5, 14), AT, WH1, WH2, 5,
                Optional.of("T-9")));
        events.add(new InventoryEvent.TransferReceived(id(12), level(WH2, 5, 0, 0, 0, 0, 0, 3), AT, WH1, WH2, 5,
                Optional.of("T-9")));
        events.add(new InventoryEvent.BelowThreshold(id(13), level(WH1, 12, 0, 0, 1, 0, 0, 15), AT, 10, 88));
        events.add(new InventoryEvent.OutOfStock(id(14), level(WH1, 2, 0, 0, 0, 0, 0, 16), AT));
        events.add(new InventoryEvent.BackInStock(id(15), level(WH1, 22, 0, 0, 0, 0, 0, 17), AT));
        events.add(new InventoryEvent.CycleCountVariance(id(16), level(WH1, 35, 0, 0, 0, 0, 0, 18), AT, 40, 35, -5,
                Optional.of("audit-6")));
        return events;
    }
}
