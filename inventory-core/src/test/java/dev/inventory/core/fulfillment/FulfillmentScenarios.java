package dev.inventory.core.fulfillment;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

/**
 * Planning instances for tests and the benchmark: {@link #large(long)} (20 lines over 200 centers)
 * and {@link #random(Random, int, int)} (small random instances with every filter in play). Every
 * instance has its own in-memory inventory; close the scenario to close it.
 */
public final class FulfillmentScenarios {

    /** A Tuesday, 10:00 UTC. */
    public static final Instant NOW = Instant.parse("2025-03-04T10:00:00Z");

    private static final String[] ZONES = {"Europe/Berlin", "UTC", "America/New_York", "Asia/Tokyo"};

    private FulfillmentScenarios() {
    }

    /**
     * One planning instance.
     *
     * @param inventory the in-memory inventory holding the centers' stock
     * @param planner a planner over it
     * @param centers the centers, in id order
     * @param estimator the estimator the planner uses
     * @param order the order
     * @param destination where it goes
     * @param speed at what speed
     * @param options how
     */
    public record Scenario(Inventory inventory, FulfillmentPlanner planner, List<FulfillmentCenter> centers,
            ShippingEstimator estimator, Order order, Destination destination, DeliverySpeed speed,
            PlanningOptions options) implements AutoCloseable {

        /** Plans the order. */
        public PlanResult plan() {
            return planner.plan(order, destination, speed, options);
        }

        /** Closes the inventory. */
        @Override
        public void close() {
            inventory.close();
        }
    }

    /** 20 lines over 200 centers, no center holding the whole order, so the full search runs. */
    public static Scenario large(long seed) {
        return large(seed, 200, 20);
    }

    /**
     * {@code lines} lines over {@code centerCount} centers around Germany, shipping STANDARD to Berlin
     * with cost weight 0.5. Each center stocks each SKU with probability 1/2 (0-20 units); one line is
     * hazmat, one refrigerated; capabilities, regions, cutoffs, operating days and utilizations vary.
     */
    public static Scenario large(long seed, int centerCount, int lines) {
        Random rnd = new Random(seed);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Inventory inventory = Inventory.builder().clock(clock).withoutSweeper().build();
        List<FulfillmentCenter> centers = new ArrayList<>();
        for (int c = 0; c < centerCount; c++) {
            var b = FulfillmentCenter.builder(String.format("FC-%04d", c))
                    .type(CenterType.values()[rnd.nextInt(CenterType.values().length)])
                    .location(47.5 + rnd.nextDouble() * 7, 6 + rnd.nextDouble() * 9)
                    .zone("Europe/Berlin")
                    .serves(rnd.nextInt(10) < 8 ? "1" : "2", String.valueOf(3 + rnd.nextInt(7)))
                    .method(DeliverySpeed.STANDARD, LocalTime.of(12 + rnd.nextInt(7), 0))
                    .method(DeliverySpeed.EXPEDITED, LocalTime.of(11 + rnd.nextInt(5), 30))
                    .operatingDays(rnd.nextInt(4) == 0 ? EnumSet.allOf(DayOfWeek.class)
                            : EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY))
                    .utilization(Math.round(rnd.nextDouble() * 95) / 100.0);
            if (rnd.nextInt(3) == 0) {
                b.method(DeliverySpeed.NEXT_DAY, LocalTime.of(9 + rnd.nextInt(6), 0));
            }
            if (rnd.nextInt(2) == 0) {
                b.capabilities(Capability.HAZMAT);
            }
            if (rnd.nextInt(2) == 0) {
                b.capabilities(Capability.REFRIGERATED);
            }
            if (rnd.nextInt(4) == 0) {
                b.capabilities(Capability.OVERSIZED);
            }
            centers.add(b.build());
        }
        Order.Builder order = Order.builder("order-large-" + seed);
        for (int i = 0; i < lines; i++) {
            OrderLine line = OrderLine.of(String.format("SKU-%03d", i), 1 + rnd.nextInt(4))
                    .weighing(100 + rnd.nextInt(3000));
            if (i == 0) {
                line = line.requiring(Capability.HAZMAT);
            } else if (i == 1) {
                line = line.requiring(Capability.REFRIGERATED);
            }
            order.line(line);
            for (FulfillmentCenter center : centers) {
                if (rnd.nextBoolean()) {
                    int units = rnd.nextInt(21);
                    if (units > 0) {
                        inventory.stock().receive(line.sku(), center.id(), units);
                    }
                }
            }
        }
        ShippingEstimator estimator = ShippingEstimator.defaultEstimator();
        FulfillmentPlanner planner = FulfillmentPlanner.builder(inventory).centers(centers).estimator(estimator)
                .build();
        PlanningOptions options = PlanningOptions.builder().costWeight(0.5).build();
        return new Scenario(inventory, planner, centers, estimator, order.build(), Destination.of("10115", 52.53,
                13.38), DeliverySpeed.STANDARD, options);
    }

    /**
     * A small random instance: 1..{@code maxCenters} centers and 1..{@code maxLines} lines (1-3 units
     * each), with random regions, capabilities, methods, cutoffs, zones, operating days,
     * utilizations, stock (0-5 units, sometimes behind safety stock, damage or other holds), speed,
     * cost weight, single-shipment preference, requested date and order time.
     */
    public static Scenario random(Random rnd, int maxCenters, int maxLines) {
        return randomOfSize(rnd, 1 + rnd.nextInt(maxCenters), 1 + rnd.nextInt(maxLines));
    }

    /** A random instance as {@link #random(Random, int, int)}, with exactly this many centers and lines. */
    public static Scenario randomOfSize(Random rnd, int centerCount, int lineCount) {
        Instant now = NOW.plusSeconds(rnd.nextInt(7 * 24) * 3600L + rnd.nextInt(4) * 900L);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Inventory inventory = Inventory.builder().clock(clock).withoutSweeper().build();
        List<FulfillmentCenter> centers = new ArrayList<>();
        for (int c = 0; c < centerCount; c++) {
            var b = FulfillmentCenter.builder("FC-" + c)
                    .location(48 + rnd.nextDouble() * 6, 6 + rnd.nextDouble() * 9)
                    .zone(ZONES[rnd.nextInt(ZONES.length)])
                    .serves(rnd.nextInt(8) == 0 ? "2" : rnd.nextBoolean() ? "1" : "10")
                    .utilization(rnd.nextInt(10) == 0 ? 1.0 : pick(rnd, 0.0, 0.2, 0.5, 0.8, 0.95));
            for (DeliverySpeed speed : DeliverySpeed.values()) {
                if (speed == DeliverySpeed.STANDARD || rnd.nextInt(3) > 0) {
                    b.method(speed, LocalTime.of(8 + rnd.nextInt(12), 15 * rnd.nextInt(4)));
                }
            }
            b.operatingDays(switch (rnd.nextInt(3)) {
                case 0 -> EnumSet.allOf(DayOfWeek.class);
                case 1 -> EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY);
                default -> EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
            });
            for (Capability capability : Capability.values()) {
                if (rnd.nextInt(3) == 0) {
                    b.capabilities(capability);
                }
            }
            centers.add(b.build());
        }
        Order.Builder order = Order.builder("order-" + rnd.nextInt(1_000_000));
        for (int i = 0; i < lineCount; i++) {
            OrderLine line = OrderLine.of("SKU-" + i, 1 + rnd.nextInt(3)).weighing(rnd.nextInt(4) * 700L);
            if (rnd.nextInt(8) == 0) {
                line = line.requiring(Capability.values()[rnd.nextInt(Capability.values().length)]);
            }
            order.line(line);
            for (FulfillmentCenter center : centers) {
                int units = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(7);
                if (units == 0) {
                    continue;
                }
                inventory.stock().receive(line.sku(), center.id(), units);
                switch (rnd.nextInt(8)) {
                    case 0 -> inventory.stock().setThresholds(line.sku(), center.id(), 0, 1 + rnd.nextInt(3), 0);
                    case 1 -> inventory.stock().markDamaged(line.sku(), center.id(), 1);
                    case 2 -> inventory.reservations().reserve(ReservationRequest.builder(
                            "other-" + line.sku() + "-" + center.id()).line(line.sku(), center.id(), 1).build());
                    default -> {
                    }
                }
            }
        }
        List<FulfillmentCenter> shuffled = new ArrayList<>(centers);
        Collections.shuffle(shuffled, rnd);
        ShippingEstimator estimator = ShippingEstimator.defaultEstimator();
        FulfillmentPlanner planner = FulfillmentPlanner.builder(inventory).centers(shuffled).estimator(estimator)
                .build();
        DeliverySpeed speed = rnd.nextInt(3) == 0 ? DeliverySpeed.values()[rnd.nextInt(4)] : DeliverySpeed.STANDARD;
        var options = PlanningOptions.builder().preferSingleShipment(rnd.nextBoolean())
                .costWeight(rnd.nextInt(3) == 0 ? pick(rnd, 0.0, 1.0) : rnd.nextDouble());
        if (rnd.nextInt(6) == 0) {
            options.deliverBy(now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(2 + rnd.nextInt(4)));
        }
        Destination destination = Destination.of(rnd.nextInt(10) == 0 ? "20095" : "10115", 52.53, 13.38);
        return new Scenario(inventory, planner, centers, estimator, order.build(), destination, speed,
                options.build());
    }

    /** The SKU of line {@code i} of a random instance. */
    static Sku sku(int i) {
        return Sku.of("SKU-" + i);
    }

    /** A center's id. */
    static LocationId id(String value) {
        return LocationId.of(value);
    }

    private static double pick(Random rnd, double... values) {
        return values[rnd.nextInt(values.length)];
    }
}
