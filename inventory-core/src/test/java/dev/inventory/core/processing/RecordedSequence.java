package dev.inventory.core.processing;

import dev.inventory.core.Inventory;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.contract.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A recorded stream of warehouse and order events, with the usual disorder of a real one: a payment
 * before its order, an arrival before its shipment, a shipment before its order, redeliveries.
 * Names are prefixed so that several runs can share a store.
 */
final class RecordedSequence {
    /** The orders the sequence places (prefixed like the SKUs). */
    static final List<String> ORDERS = List.of("o1", "o2", "o3");

    private RecordedSequence() {
    }

    static List<Object> events(String skuPrefix, String idPrefix, Instant t0) {
        Sku a = Sku.of(skuPrefix + "A");
        Sku b = Sku.of(skuPrefix + "B");
        String o1 = skuPrefix + "o1";
        String o2 = skuPrefix + "o2";
        String o3 = skuPrefix + "o3";
        LocationId wh1 = LocationId.of("WH1");
        LocationId wh2 = LocationId.of("WH2");
        List<Object> out = new ArrayList<>();
        var r1 = new WarehouseEvent.ReceivingComplete(idPrefix + "r1", t0, wh1,
                List.of(new WarehouseEvent.Item(a, 20), new WarehouseEvent.Item(b, 10)), Optional.of("PO-1"));
        out.add(r1);
        out.add(new WarehouseEvent.ReceivingComplete(idPrefix + "r2", t0, wh2, List.of(new WarehouseEvent.Item(a, 5)),
                Optional.empty()));
        out.add(new OrderEvent.PaymentConfirmed(idPrefix + "c1", t0, o1));
        out.add(new OrderEvent.OrderPlaced(idPrefix + "p1", t0, o1,
                List.of(new ReservationLine(a, wh1, 3), new ReservationLine(b, wh1, 2)), Optional.of("u1"),
                Optional.empty()));
        out.add(new WarehouseEvent.TransferReceived(idPrefix + "tr1", t0, idPrefix + "T1", wh2, wh1,
                List.of(new WarehouseEvent.Item(a, 5))));
        out.add(new WarehouseEvent.TransferShipped(idPrefix + "ts1", t0, idPrefix + "T1", wh2, wh1,
                List.of(new WarehouseEvent.Item(a, 5))));
        out.add(r1);
        out.add(new WarehouseEvent.ShipComplete(idPrefix + "s2", t0, wh1, o2, Optional.empty(), List.of()));
        var p2 = new OrderEvent.OrderPlaced(idPrefix + "p2", t0, o2, List.of(new ReservationLine(a, wh1, 4)),
                Optional.empty(), Optional.of("cart-2"));
        out.add(p2);
        out.add(new OrderEvent.PaymentConfirmed(idPrefix + "c2", t0, o2));
        out.add(new WarehouseEvent.DamageReport(idPrefix + "d1", t0, a, wh1, 2, Optional.of("forklift")));
        out.add(new WarehouseEvent.CycleCountAdjustment(idPrefix + "cc1", t0.plusMillis(5_500), b, wh1, 7,
                Optional.empty(), Optional.of("AUDIT-1")));
        out.add(new OrderEvent.OrderPlaced(idPrefix + "p3", t0, o3, List.of(new ReservationLine(b, wh1, 1)),
                Optional.empty(), Optional.empty()));
        out.add(new OrderEvent.OrderCancelled(idPrefix + "x3", t0, o3, Optional.empty()));
        out.add(new OrderEvent.OrderShipped(idPrefix + "os1", t0, o1));
        out.add(new WarehouseEvent.PackComplete(idPrefix + "pk2", t0, wh1, o2, Optional.empty(), List.of()));
        out.add(p2);
        return out;
    }

    /** Processes the events one second apart; returns each result's kind. Every parked event must settle. */
    static List<String> replay(List<Object> events, WarehouseEventProcessor warehouse, OrderEventProcessor orders,
            MutableClock clock) {
        List<String> kinds = new ArrayList<>();
        for (Object event : events) {
            clock.advance(Duration.ofSeconds(1));
            ProcessingResult result = event instanceof WarehouseEvent w ? warehouse.process(w)
                    : orders.process((OrderEvent) event);
            if (result instanceof ProcessingResult.Rejected r) {
                throw new AssertionError("rejected while replaying: " + r);
            }
            kinds.add(result.getClass().getSimpleName());
            warehouse.retryParked();
            orders.retryParked();
        }
        if (warehouse.parkedCount() + orders.parkedCount() != 0) {
            throw new AssertionError("events still parked after the replay: " + warehouse.parkedCount() + " + "
                    + orders.parkedCount());
        }
        return kinds;
    }

    /** Levels, ledgers and holds of the sequence's SKUs and orders, with the run's prefixes taken out. */
    static String snapshot(Inventory inventory, String skuPrefix, String idPrefix) {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("A", "B")) {
            Sku sku = Sku.of(skuPrefix + name);
            for (StockLevel l : inventory.levels(sku)) {
                b.append(name).append('@').append(l.locationId()).append(' ').append(l.onHand()).append('/')
                        .append(l.allocated()).append('/').append(l.reserved()).append('/').append(l.damaged())
                        .append('/').append(l.inTransitIn()).append('/').append(l.inTransitOut()).append(" v")
                        .append(l.version()).append(' ').append(l.updatedAt()).append('\n');
                for (LedgerEntry e : inventory.ledger(sku, l.locationId())) {
                    b.append("  ").append(e.kind()).append(' ').append(e.delta()).append(" -> ").append(e.onHandAfter())
                            .append(" v").append(e.version()).append(' ').append(e.reference().orElse("-")).append(' ')
                            .append(e.eventId().orElse("-")).append(' ').append(e.occurredAt()).append('\n');
                }
            }
        }
        for (String order : ORDERS) {
            b.append(order).append(' ').append(inventory.reservations().find(ReservationId.of(skuPrefix + order))
                    .map(r -> r.status() + " " + r.lines().size() + " lines " + r.updatedAt()).orElse("none"))
                    .append('\n');
        }
        return b.toString().replace(idPrefix, "<id>").replace(skuPrefix, "<sku>");
    }
}
