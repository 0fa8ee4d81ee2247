package dev.inventory.examples;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.fulfillment.Capability;
import dev.inventory.core.fulfillment.CenterType;
import dev.inventory.core.fulfillment.DeliverySpeed;
import dev.inventory.core.fulfillment.Destination;
import dev.inventory.core.fulfillment.FulfillmentCenter;
import dev.inventory.core.fulfillment.FulfillmentPlan;
import dev.inventory.core.fulfillment.FulfillmentPlanner;
import dev.inventory.core.fulfillment.Order;
import dev.inventory.core.fulfillment.OrderLine;
import dev.inventory.core.fulfillment.PlanAndReserveResult;
import dev.inventory.core.fulfillment.PlanResult;
import dev.inventory.core.fulfillment.PlanningOptions;
import dev.inventory.core.fulfillment.Shipment;
import dev.inventory.core.fulfillment.ShippingEstimator;
import java.io.PrintStream;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;

/**
 * Plans an order over four centers (one lacks the hazmat capability, one serves another region,
 * one is nearly full), prints the chosen plan as a table, then reserves exactly that plan and shows
 * that the stock is held where it ships from.
 */
final class FulfillmentDemo {
    private final PrintStream out;

    FulfillmentDemo(PrintStream out) {
        this.out = out;
    }

    void run() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T09:30:00Z"), ZoneOffset.UTC); // a Monday morning
        EnumSet<DayOfWeek> weekdays = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        List<FulfillmentCenter> centers = List.of(
                center("WH-BER", "Berlin warehouse", CenterType.WAREHOUSE, 52.52, 13.40, 0.40, weekdays, "1", "0")
                        .capabilities(Capability.HAZMAT).build(),
                center("WH-HAM", "Hamburg warehouse", CenterType.WAREHOUSE, 53.55, 9.99, 0.20, weekdays, "1", "2")
                        .build(),
                center("DS-POT", "Potsdam delivery station", CenterType.DELIVERY_STATION, 52.39, 13.06, 0.95,
                        EnumSet.allOf(DayOfWeek.class), "14", "10").capabilities(Capability.HAZMAT).build(),
                center("WH-MUC", "Munich warehouse", CenterType.WAREHOUSE, 48.14, 11.58, 0.10, weekdays, "8")
                        .capabilities(Capability.HAZMAT).build());
        try (Inventory inventory = Inventory.builder().clock(clock).withoutSweeper().build()) {
            receive(inventory, "WH-BER", "TEE-M", 3);
            receive(inventory, "WH-BER", "CLEANER", 5);
            receive(inventory, "WH-HAM", "TEE-M", 10);
            receive(inventory, "WH-HAM", "MUG", 8);
            receive(inventory, "DS-POT", "TEE-M", 40);
            receive(inventory, "DS-POT", "MUG", 4);
            receive(inventory, "DS-POT", "CLEANER", 2);
            receive(inventory, "WH-MUC", "MUG", 100);

            FulfillmentPlanner planner = FulfillmentPlanner.builder(inventory).centers(centers)
                    .estimator(ShippingEstimator.defaultEstimator()).clock(clock).build();
            Order order = Order.builder("order-1001")
                    .line(OrderLine.of("TEE-M", 5).weighing(250))
                    .line(OrderLine.of("MUG", 2).weighing(400))
                    .line(OrderLine.of("CLEANER", 1).requiring(Capability.HAZMAT).weighing(1200))
                    .build();
            Destination berlinMitte = Destination.of("10115", 52.53, 13.38);

            out.println("Order order-1001 to 10115 Berlin: 5 x TEE-M, 2 x MUG, 1 x CLEANER (hazmat), standard");
            for (double costWeight : new double[] {0.2, 0.8}) {
                PlanningOptions options = PlanningOptions.builder().costWeight(costWeight).build();
                out.println();
                out.println("== plan with cost weight " + costWeight);
                print(planner.plan(order, berlinMitte, DeliverySpeed.STANDARD, options));
            }
            out.println();
            out.println("== single shipment preferred");
            print(planner.plan(order, berlinMitte, DeliverySpeed.STANDARD,
                    PlanningOptions.builder().preferSingleShipment(true).build()));

            out.println();
            out.println("== plan and reserve (one all-or-nothing hold, held where it ships from)");
            PlanAndReserveResult reserved = planner.planAndReserve(order, berlinMitte, DeliverySpeed.STANDARD,
                    PlanningOptions.defaults(), ReservationId.of("order-1001"));
            if (reserved instanceof PlanAndReserveResult.Reserved r) {
                table(r.plan());
                for (FulfillmentCenter c : centers) {
                    for (String sku : List.of("TEE-M", "MUG", "CLEANER")) {
                        inventory.level(Sku.of(sku), c.id()).filter(l -> l.reserved() > 0).ifPresent(this::held);
                    }
                }
            } else {
                out.println("  not reserved: " + reserved);
            }
        }
    }

    private static FulfillmentCenter.Builder center(String id, String name, CenterType type, double lat, double lon,
            double utilization, EnumSet<DayOfWeek> days, String... regions) {
        return FulfillmentCenter.builder(id).name(name).type(type).location(lat, lon).zone("Europe/Berlin")
                .serves(regions).method(DeliverySpeed.STANDARD, LocalTime.of(17, 0))
                .method(DeliverySpeed.NEXT_DAY, LocalTime.of(12, 0)).operatingDays(days)
                .processingCapacity(10_000).utilization(utilization);
    }

    private static void receive(Inventory inventory, String location, String sku, long quantity) {
        inventory.stock().receive(Sku.of(sku), LocationId.of(location), quantity);
    }

    private void print(PlanResult result) {
        if (result instanceof PlanResult.Planned p) {
            table(p.plan());
        } else if (result instanceof PlanResult.CannotFulfil c) {
            c.shortages().forEach(s -> out.printf("  cannot fulfil %s: %d requested, %d available%n", s.sku(),
                    s.requested(), s.available()));
        }
    }

    private void table(FulfillmentPlan plan) {
        out.printf("  %-8s | %-32s | %-10s | %-10s | %9s%n", "center", "lines", "ships", "delivered", "cost");
        out.println("  " + "-".repeat(80));
        for (Shipment s : plan.shipments()) {
            StringBuilder lines = new StringBuilder();
            s.lines().forEach(l -> lines.append(lines.length() == 0 ? "" : ", ").append(l.quantity()).append(" x ")
                    .append(l.sku()));
            out.printf("  %-8s | %-32s | %-10s | %-10s | %9.2f%n", s.centerId(), lines, s.shipDate(), s.deliveryDate(),
                    s.cost() / 100.0);
        }
        out.printf("  total cost %.2f, latest delivery %s, score %.3f, %d shipment(s)%n", plan.totalCost() / 100.0,
                plan.latestDelivery(), plan.score().total(), plan.shipments().size());
    }

    private void held(StockLevel level) {
        out.printf("  held: %-8s at %-7s reserved=%d available=%d%n", level.sku(), level.locationId(), level.reserved(),
                level.available());
    }
}
