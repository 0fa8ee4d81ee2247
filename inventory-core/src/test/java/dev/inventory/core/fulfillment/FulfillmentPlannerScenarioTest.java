package dev.inventory.core.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hand-checked planning scenarios. Orders are placed on Tuesday 2025-03-04 at 10:00 UTC. */
class FulfillmentPlannerScenarioTest {

    static final Destination BERLIN = Destination.of("10115", 52.52, 13.405);
    static final Sku TEE = Sku.of("TEE");
    static final Sku MUG = Sku.of("MUG");
    static final Sku ACID = Sku.of("ACID");

    final Inventory inventory = Inventory.builder().clock(Clock.fixed(FulfillmentScenarios.NOW, ZoneOffset.UTC))
            .withoutSweeper().build();

    @AfterEach
    void close() {
        inventory.close();
    }

    static FulfillmentCenter.Builder center(String id, double lat, double lon) {
        return FulfillmentCenter.builder(id).location(lat, lon).zone("UTC").serves("1")
                .method(DeliverySpeed.STANDARD, LocalTime.of(17, 0));
    }

    void stock(String center, Sku sku, long units) {
        inventory.stock().receive(sku, LocationId.of(center), units);
    }

    FulfillmentPlanner planner(FulfillmentCenter... centers) {
        return FulfillmentPlanner.builder(inventory).centers(List.of(centers)).build();
    }

    static FulfillmentPlan planned(PlanResult result) {
        assertThat(result).isInstanceOf(PlanResult.Planned.class);
        return ((PlanResult.Planned) result).plan();
    }

    static Map<String, Long> where(FulfillmentPlan plan) {
        var out = new java.util.TreeMap<String, Long>();
        for (ReservationLine line : plan.reservationLines()) {
            out.put(line.sku() + "@" + line.locationId(), line.quantity());
        }
        return out;
    }

    /**
     * Three centers, order TEE x2 (500 g) + MUG x1 (1,000 g), cost weight 0.2.
     *
     * <pre>
     * A Berlin, 0 km, util 0.2, cutoff 17:00 -> ships Tue, arrives Fri 03-07; TEE 2
     * B Munich, 504 km, util 0.6, cutoff 09:00 -> ships Wed, arrives Sat 03-08; TEE 10, MUG 5
     * C Spandau, 14 km, util 0.0, cutoff 17:00 -> arrives Fri 03-07; MUG 1
     * cost(g) = 495 + 60 * ceil(kg) + 15 * ceil(km / 100): fixed A 495, B 585, C 510
     * cost low = A with 2 kg = 615; high = dearest TEE alone (B, 645) + dearest MUG alone (B, 645) = 1290
     * utilization normalised over 0..0.6: A 1/3, B 1, C 0; speed: Fri 0, Sat 1
     * depth: TEE A 1 (keeps 0), B 0 (keeps 8); MUG B 0 (keeps 4), C 1 (keeps 0)
     *
     * single B:  cost 705  -> 90/675;  speed 1; util 1;   depth 0
     *            total 0.2 * 90/675 + 0.8 * (0.5 + 0.25) = 0.626667
     * A + C:     cost 1125 -> 510/675; speed 0; util 2/9; depth 1
     *            total 0.2 * 510/675 + 0.8 * (0.25 * 2/9 + 0.25) = 0.395556
     * </pre>
     */
    FulfillmentPlanner threeCenters() {
        stock("A", TEE, 2);
        stock("B", TEE, 10);
        stock("B", MUG, 5);
        stock("C", MUG, 1);
        return planner(
                center("A", 52.52, 13.405).utilization(0.2).build(),
                center("B", 48.1351, 11.582).utilization(0.6).method(DeliverySpeed.STANDARD, LocalTime.of(9, 0))
                        .build(),
                center("C", 52.5355, 13.1990).build());
    }

    static final Order TEE_AND_MUG = Order.builder("order-1").line(OrderLine.of("TEE", 2).weighing(500))
            .line(OrderLine.of("MUG", 1).weighing(1000)).build();

    @Test
    void whenASingleShipmentIsPreferredTheOnlyCenterHoldingEverythingShipsItAll() {
        var options = PlanningOptions.builder().costWeight(0.2).preferSingleShipment(true).build();
        FulfillmentPlan plan = planned(threeCenters().plan(TEE_AND_MUG, BERLIN, DeliverySpeed.STANDARD, options));

        assertThat(plan.isSingleShipment()).isTrue();
        Shipment shipment = plan.shipments().get(0);
        assertThat(shipment.centerId()).isEqualTo(LocationId.of("B"));
        assertThat(shipment.lines()).containsExactly(new ShipmentLine(TEE, 2), new ShipmentLine(MUG, 1));
        assertThat(shipment.weightGrams()).isEqualTo(2000);
        assertThat(shipment.cost()).isEqualTo(705);
        assertThat(shipment.shipDate()).isEqualTo(LocalDate.of(2025, 3, 5));
        assertThat(shipment.deliveryDate()).isEqualTo(LocalDate.of(2025, 3, 8));
        assertThat(plan.totalCost()).isEqualTo(705);
        assertThat(plan.latestDelivery()).isEqualTo(LocalDate.of(2025, 3, 8));
        assertThat(plan.score().cost()).isCloseTo(90.0 / 675, within(1e-12));
        assertThat(plan.score().speed()).isEqualTo(1.0);
        assertThat(plan.score().utilization()).isCloseTo(1.0, within(1e-12));
        assertThat(plan.score().depth()).isEqualTo(0.0);
        assertThat(plan.score().total()).isCloseTo(0.2 * 90 / 675 + 0.8 * 0.75, within(1e-12));
    }

    @Test
    void otherwiseTheBestScoringSplitWins() {
        var options = PlanningOptions.builder().costWeight(0.2).preferSingleShipment(false).build();
        FulfillmentPlan plan = planned(threeCenters().plan(TEE_AND_MUG, BERLIN, DeliverySpeed.STANDARD, options));

        assertThat(where(plan)).containsExactly(Map.entry("MUG@C", 1L), Map.entry("TEE@A", 2L));
        assertThat(plan.shipments()).extracting(Shipment::centerId).containsExactly(LocationId.of("A"),
                LocationId.of("C"));
        assertThat(plan.shipments()).extracting(Shipment::cost).containsExactly(555L, 570L);
        assertThat(plan.totalCost()).isEqualTo(1125);
        assertThat(plan.latestDelivery()).isEqualTo(LocalDate.of(2025, 3, 7));
        assertThat(plan.score().cost()).isCloseTo(510.0 / 675, within(1e-12));
        assertThat(plan.score().speed()).isEqualTo(0.0);
        assertThat(plan.score().utilization()).isCloseTo(2.0 / 9, within(1e-12));
        assertThat(plan.score().depth()).isCloseTo(1.0, within(1e-12));
        assertThat(plan.score().total()).isCloseTo(0.2 * 510 / 675 + 0.8 * (0.25 * 2 / 9 + 0.25), within(1e-12));
    }

    @Test
    void withCostAloneTheCheapestPlanWins() {
        // cost weight 1: single B (705) beats every split (A + C 1125, ...)
        var options = PlanningOptions.builder().costWeight(1.0).preferSingleShipment(false).build();
        FulfillmentPlan plan = planned(threeCenters().plan(TEE_AND_MUG, BERLIN, DeliverySpeed.STANDARD, options));
        assertThat(where(plan)).containsExactly(Map.entry("MUG@B", 1L), Map.entry("TEE@B", 2L));
        assertThat(plan.score().total()).isCloseTo(90.0 / 675, within(1e-12));
    }

    @Test
    void aLineIsSplitAcrossCentersWhenNoSingleOneHoldsEnough() {
        stock("A", TEE, 3);
        stock("B", TEE, 4);
        stock("C", TEE, 2);
        var planner = planner(center("A", 52.5, 13.4).build(), center("B", 52.4, 13.3).build(),
                center("C", 52.3, 13.2).build());
        FulfillmentPlan plan = planned(planner.plan(Order.builder("o").line("TEE", 8).build(), BERLIN,
                DeliverySpeed.STANDARD));
        assertThat(plan.reservationLines()).extracting(ReservationLine::quantity).allMatch(q -> q > 0);
        assertThat(plan.reservationLines().stream().mapToLong(ReservationLine::quantity).sum()).isEqualTo(8);
        // 8 units need at least two centers; the deepest two (B 4, A 3) leave one short, so all three
        assertThat(plan.shipments()).hasSize(3);
        assertThat(where(plan)).containsEntry("TEE@B", 4L).containsEntry("TEE@A", 3L).containsEntry("TEE@C", 1L);

        PlanResult tooMuch = planner.plan(Order.builder("o").line("TEE", 10).build(), BERLIN,
                DeliverySpeed.STANDARD);
        assertThat(tooMuch).isEqualTo(new PlanResult.CannotFulfil(List.of(new Shortage(TEE, 10, 9))));
    }

    @Test
    void onlyCentersWithTheCapabilityShipALineThatNeedsIt() {
        stock("NEAR", ACID, 10);
        stock("NEAR", TEE, 10);
        stock("HAZ", ACID, 10);
        var planner = planner(center("NEAR", 52.52, 13.405).build(),
                center("HAZ", 48.1, 11.6).capabilities(Capability.HAZMAT).build());
        Order order = Order.builder("o").line(OrderLine.of("ACID", 2).requiring(Capability.HAZMAT)).line("TEE", 1)
                .build();
        FulfillmentPlan plan = planned(planner.plan(order, BERLIN, DeliverySpeed.STANDARD));
        assertThat(where(plan)).containsExactly(Map.entry("ACID@HAZ", 2L), Map.entry("TEE@NEAR", 1L));

        PlanResult noHazmatCenter = planner(center("NEAR", 52.52, 13.405).build()).plan(order, BERLIN,
                DeliverySpeed.STANDARD);
        assertThat(noHazmatCenter).isEqualTo(new PlanResult.CannotFulfil(List.of(new Shortage(ACID, 2, 0))));
    }

    @Test
    void centersOutsideTheRegionAtCapacityOrWithoutTheSpeedAreIgnored() {
        stock("HAMBURG", TEE, 10);
        stock("FULL", TEE, 10);
        stock("SLOW", TEE, 10);
        stock("OK", TEE, 1);
        var planner = planner(
                FulfillmentCenter.builder("HAMBURG").location(52.52, 13.405).serves("20", "21")
                        .method(DeliverySpeed.STANDARD, LocalTime.of(17, 0)).build(),
                center("FULL", 52.52, 13.405).utilization(1.0).build(),
                FulfillmentCenter.builder("SLOW").location(52.52, 13.405).serves("1")
                        .method(DeliverySpeed.EXPEDITED, LocalTime.of(17, 0)).build(),
                center("OK", 48.1, 11.6).build());
        assertThat(planner.plan(Order.builder("o").line("TEE", 2).build(), BERLIN, DeliverySpeed.STANDARD))
                .isEqualTo(new PlanResult.CannotFulfil(List.of(new Shortage(TEE, 2, 1))));
        FulfillmentPlan plan = planned(planner.plan(Order.builder("o").line("TEE", 1).build(), BERLIN,
                DeliverySpeed.STANDARD));
        assertThat(where(plan)).containsExactly(Map.entry("TEE@OK", 1L));
        // a postal code in Hamburg's region: it serves it (spaces and case do not matter)
        FulfillmentPlan hamburg = planned(planner.plan(Order.builder("o").line("TEE", 5).build(),
                Destination.of("20 095", 53.55, 10.0), DeliverySpeed.STANDARD));
        assertThat(where(hamburg)).containsExactly(Map.entry("TEE@HAMBURG", 5L));
    }

    @Test
    void aRequestedDeliveryDateExcludesCentersThatArriveLater() {
        stock("NEAR", TEE, 5);
        stock("FAR", TEE, 5);
        var planner = planner(
                // ships Wednesday (cutoff passed), arrives Saturday 03-08
                center("NEAR", 52.52, 13.405).method(DeliverySpeed.STANDARD, LocalTime.of(9, 0)).build(),
                // ships Tuesday, 504 km, arrives Friday 03-07
                center("FAR", 48.1351, 11.582).build());
        var byFriday = PlanningOptions.builder().deliverBy(LocalDate.of(2025, 3, 7)).build();
        FulfillmentPlan plan = planned(planner.plan(Order.builder("o").line("TEE", 2).build(), BERLIN,
                DeliverySpeed.STANDARD, byFriday));
        assertThat(where(plan)).containsExactly(Map.entry("TEE@FAR", 2L));
        assertThat(plan.latestDelivery()).isEqualTo(LocalDate.of(2025, 3, 7));
        var byThursday = PlanningOptions.builder().deliverBy(LocalDate.of(2025, 3, 6)).build();
        assertThat(planner.plan(Order.builder("o").line("TEE", 2).build(), BERLIN, DeliverySpeed.STANDARD,
                byThursday)).isEqualTo(new PlanResult.CannotFulfil(List.of(new Shortage(TEE, 2, 0))));
    }

    @Test
    void theStockThatCountsIsWhatIsAvailableNotWhatIsOnHand() {
        stock("A", TEE, 5);
        stock("B", TEE, 5);
        inventory.stock().setThresholds(TEE, LocationId.of("A"), 0, 2, 0);
        inventory.reservations().reserve(ReservationRequest.builder("someone-else").line("TEE", "B", 4).build());
        var planner = planner(center("A", 52.5, 13.4).build(), center("B", 52.4, 13.3).build());
        // A: 5 on hand - 2 safety = 3; B: 5 - 4 reserved = 1
        assertThat(planner.plan(Order.builder("o").line("TEE", 5).build(), BERLIN, DeliverySpeed.STANDARD))
                .isEqualTo(new PlanResult.CannotFulfil(List.of(new Shortage(TEE, 5, 4))));
        FulfillmentPlan plan = planned(planner.plan(Order.builder("o").line("TEE", 4).build(), BERLIN,
                DeliverySpeed.STANDARD));
        assertThat(where(plan)).containsExactly(Map.entry("TEE@A", 3L), Map.entry("TEE@B", 1L));
    }

    @Test
    void theShortageOfEveryShortLineIsReported() {
        stock("A", TEE, 1);
        stock("A", MUG, 9);
        var planner = planner(center("A", 52.5, 13.4).build());
        Order order = Order.builder("o").line("TEE", 3).line("MUG", 2).line("ACID", 1).build();
        var result = (PlanResult.CannotFulfil) planner.plan(order, BERLIN, DeliverySpeed.STANDARD);
        assertThat(result.shortages()).containsExactly(new Shortage(TEE, 3, 1), new Shortage(ACID, 1, 0));
        assertThat(result.shortages()).extracting(Shortage::missing).containsExactly(2L, 1L);
    }

    @Test
    void tiesBreakByFewerShipmentsThenByCenterIdWhateverTheOrderOfTheCenters() {
        stock("TWIN-B", TEE, 5);
        stock("TWIN-A", TEE, 5);
        var a = center("TWIN-A", 52.5, 13.4).build();
        var b = center("TWIN-B", 52.5, 13.4).build();
        var order = Order.builder("o").line("TEE", 2).build();
        var options = PlanningOptions.builder().preferSingleShipment(false).build();
        for (List<FulfillmentCenter> centers : List.of(List.of(a, b), List.of(b, a))) {
            var planner = FulfillmentPlanner.builder(inventory).centers(centers).build();
            FulfillmentPlan plan = planned(planner.plan(order, BERLIN, DeliverySpeed.STANDARD, options));
            assertThat(where(plan)).containsExactly(Map.entry("TEE@TWIN-A", 2L));
        }
    }

    @Test
    void planningDoesNotChangeStock() {
        threeCenters().plan(TEE_AND_MUG, BERLIN, DeliverySpeed.STANDARD);
        List<Object> levels = new ArrayList<>();
        levels.addAll(inventory.levels(TEE));
        levels.addAll(inventory.levels(MUG));
        assertThat(levels).allSatisfy(level -> assertThat(((dev.inventory.core.StockLevel) level).reserved())
                .isZero());
        assertThat(inventory.levels(TEE)).extracting(dev.inventory.core.StockLevel::version).containsOnly(1L);
    }

    @Test
    void centersCanBeReadLiveSoUtilizationChangesApply() {
        stock("A", TEE, 5);
        stock("B", TEE, 5);
        var a = center("A", 52.5, 13.4).build();
        var b = center("B", 52.5, 13.4).build();
        var live = new java.util.concurrent.atomic.AtomicReference<>(List.of(a, b));
        var planner = FulfillmentPlanner.builder(inventory).centers(live::get).build();
        var order = Order.builder("o").line("TEE", 1).build();
        assertThat(where(planned(planner.plan(order, BERLIN, DeliverySpeed.STANDARD)))).containsKey("TEE@A");
        live.set(List.of(a.withUtilization(0.9), b));
        assertThat(where(planned(planner.plan(order, BERLIN, DeliverySpeed.STANDARD)))).containsKey("TEE@B");
        live.set(List.of(a.withUtilization(0.9), b.withUtilization(1.0)));
        assertThat(where(planned(planner.plan(order, BERLIN, DeliverySpeed.STANDARD)))).containsKey("TEE@A");
    }
}
