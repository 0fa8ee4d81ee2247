package dev.inventory.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.contract.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryRetentionTest {
    @Test
    void finishedHoldsAreForgottenAfterTheRetentionButLiveOnesNever() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Inventory inventory = Inventory.builder()
                .store(InMemoryInventoryStore.withFinishedHoldRetention(Duration.ofHours(1))).clock(clock)
                .withoutSweeper().build()) {
            Sku sku = Sku.of("A");
            LocationId wh = LocationId.of("WH");
            inventory.stock().receive(sku, wh, 10);
            ReservationId done = ReservationId.of("done");
            ReservationId confirmed = ReservationId.of("confirmed");
            inventory.reservations().reserve(ReservationRequest.builder(done).line(sku, wh, 1).build());
            inventory.reservations().reserve(ReservationRequest.builder(confirmed).line(sku, wh, 1).build());
            inventory.reservations().release(done);
            inventory.reservations().confirm(confirmed);

            clock.advance(Duration.ofMinutes(59));
            inventory.sweeper().sweepOnce();
            assertThat(inventory.reservations().find(done)).isPresent();

            clock.advance(Duration.ofMinutes(2));
            inventory.sweeper().sweepOnce();
            assertThat(inventory.reservations().find(done)).isEmpty();
            assertThat(inventory.reservations().find(confirmed)).hasValueSatisfying(
                    r -> assertThat(r.status()).isEqualTo(ReservationStatus.CONFIRMED));
            assertThat(inventory.level(sku, wh).orElseThrow().allocated()).isEqualTo(1);
        }
    }

    @Test
    void retentionMustBePositive() {
        assertThatThrownBy(() -> InMemoryInventoryStore.withFinishedHoldRetention(Duration.ZERO))
                .hasMessage("finishedHoldRetention must be positive, was PT0S");
    }
}
