package dev.inventory.core.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.Sku;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The inbound event records, thresholds and the processed-event record, without a store. */
class ProcessingValuesTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final Sku A = Sku.of("A");
    private static final LocationId WH1 = LocationId.of("WH1");

    @Test
    void eventRecordsNameTheBadFieldAndValue() {
        assertThatThrownBy(() -> new WarehouseEvent.ReceivingComplete("bad id!", T, WH1,
                List.of(new WarehouseEvent.Item(A, 1)), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventId").hasMessageContaining("bad id!");
        assertThatThrownBy(() -> new WarehouseEvent.ReceivingComplete("x".repeat(101), T, WH1,
                List.of(new WarehouseEvent.Item(A, 1)), Optional.empty()))
                .hasMessageContaining("eventId must be 1-100");
        assertThatThrownBy(() -> new WarehouseEvent.ReceivingComplete("e1", T, WH1,
                List.of(new WarehouseEvent.Item(A, 1), new WarehouseEvent.Item(A, 2)), Optional.empty()))
                .hasMessageContaining("items must not repeat A");
        assertThatThrownBy(() -> new WarehouseEvent.ReceivingComplete("e1", T, WH1, List.of(), Optional.empty()))
                .hasMessageContaining("items must hold 1-100 entries, was 0");
        assertThatThrownBy(() -> new WarehouseEvent.Item(A, 0)).hasMessageContaining("quantity").hasMessageContaining("0");
        assertThatThrownBy(() -> new WarehouseEvent.TransferShipped("e1", T, "T1", WH1, WH1,
                List.of(new WarehouseEvent.Item(A, 1)))).hasMessageContaining("toLocationId must differ");
        assertThatThrownBy(() -> new WarehouseEvent.CycleCountAdjustment("e1", T, A, WH1, -1, Optional.empty(),
                Optional.empty())).hasMessageContaining("actualCount").hasMessageContaining("-1");
        assertThatThrownBy(() -> new WarehouseEvent.ShipComplete("e1", null, WH1, "o1", Optional.empty(), List.of()))
                .hasMessageContaining("occurredAt must not be null");
        assertThatThrownBy(() -> new OrderEvent.PaymentConfirmed("e1", T, "order 1"))
                .hasMessageContaining("orderId").hasMessageContaining("order 1");
        assertThatThrownBy(() -> new OrderEvent.OrderPlaced("e1", T, "o1", List.of(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("lines");
        assertThatThrownBy(() -> new OrderEvent.OrderCancelled("e1", T, "o1", Optional.of(" ")))
                .hasMessageContaining("reason");
    }

    @Test
    void anOrderStageEventNamesItsHold() {
        var byOrder = new WarehouseEvent.ShipComplete("e1", T, WH1, "order-1", Optional.empty(), List.of());
        var byHold = new WarehouseEvent.ShipComplete("e2", T, WH1, "order-1",
                Optional.of(dev.inventory.core.ReservationId.of("order-1.WH1")), List.of());
        assertThat(byOrder.hold().value()).isEqualTo("order-1");
        assertThat(byHold.hold().value()).isEqualTo("order-1.WH1");
        assertThat(new OrderEvent.OrderPlaced("e3", T, "order-1", List.of(ReservationLine.of("A", "WH1", 1)),
                Optional.empty(), Optional.empty()).reservationId().value()).isEqualTo("order-1");
        assertThat(OrderEvent.Type.PAYMENT_CONFIRMED.wireName()).isEqualTo("order.payment.confirmed");
    }

    @Test
    void varianceThresholdsValidateAndCompareStrictly() {
        assertThatThrownBy(() -> new VarianceThresholds(-1, 5)).hasMessageContaining("units").hasMessageContaining("-1");
        assertThatThrownBy(() -> new VarianceThresholds(10, Double.NaN)).hasMessageContaining("percent")
                .hasMessageContaining("NaN");
        var t = VarianceThresholds.DEFAULT;
        assertThat(t.exceededBy(1000, 10)).isFalse();
        assertThat(t.exceededBy(1000, -11)).isTrue();
        assertThat(t.exceededBy(20, 1)).isFalse();
        assertThat(t.exceededBy(20, -2)).isTrue();
        assertThat(t.exceededBy(0, 1)).isTrue();
        assertThat(t.exceededBy(0, 0)).isFalse();
    }

    @Test
    void theInMemoryProcessedEventsForgetTheOldestBeyondCapacity() {
        ProcessedEvents processed = ProcessedEvents.inMemory(2);
        assertThat(processed.record("e1", T)).isTrue();
        assertThat(processed.record("e1", T)).isFalse();
        processed.record("e2", T);
        processed.record("e3", T);
        assertThat(processed.contains("e1")).isFalse();
        assertThat(processed.contains("e2")).isTrue();
        assertThat(processed.contains("e3")).isTrue();
        assertThatThrownBy(() -> ProcessedEvents.inMemory(0)).hasMessageContaining("capacity");
    }

    @Test
    void backorderPoliciesValidate() {
        assertThatThrownBy(() -> BackorderPolicy.backorders(-1)).hasMessageContaining("maxQuantity");
        assertThat(BackorderPolicy.NOT_ALLOWED.mode()).isEqualTo(BackorderPolicy.Mode.NONE);
        assertThat(BackorderPolicy.preorders(5)).isEqualTo(new BackorderPolicy(BackorderPolicy.Mode.PREORDER, 5));
    }
}
