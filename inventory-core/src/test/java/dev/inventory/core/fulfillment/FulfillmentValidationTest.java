package dev.inventory.core.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Misuse throws IllegalArgumentException naming the field and the bad value. */
class FulfillmentValidationTest {

    static FulfillmentCenter.Builder valid() {
        return FulfillmentCenter.builder("FC-1").location(52.5, 13.4).serves("1")
                .method(DeliverySpeed.STANDARD, LocalTime.of(17, 0));
    }

    @Test
    void centerBuilderNamesTheFieldAndTheValue() {
        assertThat(valid().build().serviceRegions()).containsExactly("1");
        assertThatThrownBy(() -> valid().utilization(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("utilization").hasMessageContaining("1.5");
        assertThatThrownBy(() -> valid().processingCapacity(0)).hasMessageContaining("processingCapacity")
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> valid().zone("Mars/Olympus")).hasMessageContaining("zone")
                .hasMessageContaining("Mars/Olympus");
        assertThatThrownBy(() -> valid().serves("10$")).hasMessageContaining("serviceRegions")
                .hasMessageContaining("10$");
        assertThatThrownBy(() -> valid().name(" ")).hasMessageContaining("name");
        assertThatThrownBy(() -> valid().operatingDays(List.of())).hasMessageContaining("operatingDays");
        assertThatThrownBy(() -> FulfillmentCenter.builder("FC-1").serves("1")
                .method(DeliverySpeed.STANDARD, LocalTime.NOON).build()).hasMessageContaining("location");
        assertThatThrownBy(() -> FulfillmentCenter.builder("FC-1").location(1, 1)
                .method(DeliverySpeed.STANDARD, LocalTime.NOON).build()).hasMessageContaining("serviceRegions");
        assertThatThrownBy(() -> FulfillmentCenter.builder("FC-1").location(1, 1).serves("1").build())
                .hasMessageContaining("shippingMethods");
        assertThatThrownBy(() -> FulfillmentCenter.builder("bad id!")).hasMessageContaining("locationId");
        var center = valid().build();
        assertThatThrownBy(() -> new FulfillmentCenter(center.id(), center.name(), center.type(), center.location(),
                ZoneId.of("UTC"), center.serviceRegions(), center.capabilities(),
                List.of(ShippingMethod.of(DeliverySpeed.STANDARD, LocalTime.NOON),
                        ShippingMethod.of("Other", DeliverySpeed.STANDARD, LocalTime.NOON)),
                Set.of(DayOfWeek.MONDAY), 1, 0)).hasMessageContaining("shippingMethods")
                .hasMessageContaining("STANDARD");
    }

    @Test
    void postalCodesMatchIgnoringCaseSpacesAndHyphens() {
        var center = valid().serves("sw1a").build();
        assertThat(center.serves("SW1A 1AA")).isTrue();
        assertThat(center.serves("sw1a-1aa")).isTrue();
        assertThat(center.serves("SW2")).isFalse();
        assertThat(center.serves("10115")).isTrue();
        assertThatThrownBy(() -> Destination.of(" - ", 0, 0)).hasMessageContaining("postalCode");
    }

    @Test
    void ordersAndLinesNameTheFieldAndTheValue() {
        assertThatThrownBy(() -> Order.builder("o").build()).hasMessageContaining("lines")
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> Order.builder("o").line("TEE", 1).line("TEE", 2).build())
                .hasMessageContaining("lines").hasMessageContaining("TEE");
        assertThatThrownBy(() -> OrderLine.of("TEE", 0)).hasMessageContaining("quantity")
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> OrderLine.of("TEE", 1).weighing(-5)).hasMessageContaining("unitWeightGrams")
                .hasMessageContaining("-5");
        assertThatThrownBy(() -> Order.builder(" ")).hasMessageContaining("id");
        assertThatThrownBy(() -> Order.builder("o").line(OrderLine.of("A", 1_000_000_000).weighing(1_000_000))
                .build()).hasMessageContaining("weigh");
        assertThat(OrderLine.of("TEE", 2).requiring(Capability.HAZMAT, Capability.REFRIGERATED).requirements())
                .containsExactly(Capability.HAZMAT, Capability.REFRIGERATED);
        assertThat(new OrderLine(Sku.of("A"), 3, Set.of(), 250).weightGrams()).isEqualTo(750);
    }

    @Test
    void optionsAndResultsValidate() {
        assertThatThrownBy(() -> PlanningOptions.builder().costWeight(1.5)).hasMessageContaining("costWeight")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> new PlanningOptions(true, Double.NaN, Optional.empty()))
                .hasMessageContaining("costWeight");
        assertThat(PlanningOptions.defaults()).isEqualTo(new PlanningOptions(true, 0.5, Optional.empty()));
        assertThatThrownBy(() -> new Shortage(Sku.of("A"), 3, 3)).hasMessageContaining("available");
        assertThatThrownBy(() -> new PlanResult.CannotFulfil(List.of())).hasMessageContaining("shortages");
        assertThatThrownBy(() -> new PlanScore(1.2, 0, 0, 0, 0)).hasMessageContaining("total");
    }

    @Test
    void plannerBuilderNamesTheFieldAndTheValue() {
        try (Inventory inventory = Inventory.builder().withoutSweeper().build()) {
            assertThatThrownBy(() -> FulfillmentPlanner.builder(inventory).build()).hasMessageContaining("centers");
            var center = valid().build();
            assertThatThrownBy(() -> FulfillmentPlanner.builder(inventory).centers(List.of(center, center)))
                    .hasMessageContaining("centers").hasMessageContaining("FC-1");
            assertThatThrownBy(() -> FulfillmentPlanner.builder(null)).hasMessageContaining("inventory");
            var planner = FulfillmentPlanner.builder(inventory).centers(List.of(center)).build();
            assertThatThrownBy(() -> planner.plan(null, Destination.of("1", 0, 0), DeliverySpeed.STANDARD))
                    .hasMessageContaining("order");
            assertThatThrownBy(() -> planner.planAndReserve(Order.builder("o").line("A", 1).build(),
                    Destination.of("1", 0, 0), DeliverySpeed.STANDARD, PlanningOptions.defaults(), null))
                    .hasMessageContaining("reservationId");
            // no center, or none with stock: a shortage, not an error
            var none = FulfillmentPlanner.builder(inventory).centers(List.of()).build();
            assertThat(none.plan(Order.builder("o").line("A", 1).build(), Destination.of("1", 0, 0),
                    DeliverySpeed.STANDARD)).isEqualTo(new PlanResult.CannotFulfil(List.of(
                            new Shortage(Sku.of("A"), 1, 0))));
            assertThat(LocationId.of("FC-1")).isEqualTo(center.id());
        }
    }

    @Test
    void aMisbehavingEstimatorIsReportedClearly() {
        try (Inventory inventory = Inventory.builder().withoutSweeper().build()) {
            var center = valid().build();
            inventory.stock().receive(Sku.of("A"), center.id(), 5);
            ShippingEstimator negative = (c, m, d, at) -> Optional.of(ShippingQuote.of(
                    java.time.LocalDate.of(2025, 3, 4), java.time.LocalDate.of(2025, 3, 5), g -> -1));
            var planner = FulfillmentPlanner.builder(inventory).centers(List.of(center)).estimator(negative).build();
            assertThatThrownBy(() -> planner.plan(Order.builder("o").line("A", 1).build(), Destination.of("1", 0, 0),
                    DeliverySpeed.STANDARD)).isInstanceOf(IllegalStateException.class).hasMessageContaining("cost")
                    .hasMessageContaining("-1").hasMessageContaining("FC-1");
        }
    }
}
