package dev.inventory.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValueTypesTest {
    static final String SIXTY_FIVE = "a".repeat(65);

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a:b", "{x}", "a b", "sku*", "ä", "a\nb",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void malformedSkusAreRejectedNamingFieldAndValue(String bad) {
        assertThatThrownBy(() -> Sku.of(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sku")
                .hasMessageContaining(bad == null ? "null" : bad.substring(0, Math.min(bad.length(), 10)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a:b", "{x}", "WH 1"})
    void malformedLocationsAreRejectedNamingFieldAndValue(String bad) {
        assertThatThrownBy(() -> LocationId.of(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("locationId").hasMessageContaining(bad == null ? "null" : "\"" + bad + "\"");
    }

    @Test
    void sixtyFourCharactersAreTheLimit() {
        assertThat(Sku.of("a".repeat(64)).value()).hasSize(64);
        assertThatThrownBy(() -> Sku.of(SIXTY_FIVE)).hasMessageContaining("sku").hasMessageContaining(SIXTY_FIVE);
        assertThat(Sku.of("Az09._-").value()).isEqualTo("Az09._-");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"{x}", "a b", "x\"y"})
    void malformedReservationIdsAreRejected(String bad) {
        assertThatThrownBy(() -> ReservationId.of(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reservationId");
        assertThat(ReservationId.of("order:42").value()).isEqualTo("order:42");
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 0, Quantity.MAX + 1, Long.MAX_VALUE, Long.MIN_VALUE})
    void quantitiesOutOfRangeAreRejectedNamingFieldAndValue(long bad) {
        assertThatThrownBy(() -> ReservationLine.of("A", "WH", bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quantity must be between 1 and 1000000000, was " + bad);
        assertThatThrownBy(() -> new StockCommand.Receive(Sku.of("A"), LocationId.of("WH"), bad, Origin.NONE))
                .hasMessageContaining("quantity").hasMessageContaining(Long.toString(bad));
    }

    @Test
    void adjustDeltaMustBeNonZeroAndBounded() {
        assertThatThrownBy(() -> new StockCommand.Adjust(Sku.of("A"), LocationId.of("W"), 0, "x", Origin.NONE))
                .hasMessageContaining("delta").hasMessageContaining("was 0");
        assertThat(new StockCommand.Adjust(Sku.of("A"), LocationId.of("W"), -Quantity.MAX, "x", Origin.NONE).delta())
                .isEqualTo(-Quantity.MAX);
    }

    @Test
    void requestLinesAreCanonicalAndMayNotRepeatALevel() {
        var request = ReservationRequest.builder("r1").line("B", "WH", 1).line("A", "WH", 2).build();
        assertThat(request.lines()).extracting(l -> l.sku().value()).containsExactly("A", "B");
        assertThatThrownBy(() -> ReservationRequest.builder("r1").line("A", "WH", 1).line("A", "WH", 2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A at WH twice");
        assertThatThrownBy(() -> ReservationRequest.builder("r1").build())
                .hasMessageContaining("lines must hold 1-100 lines, was 0");
        assertThatThrownBy(() -> ReservationRequest.builder("r1").line("A", "WH", 1).holdFor(Duration.ZERO))
                .hasMessage("holdDuration must be positive and at most PT720H, was PT0S");
        assertThatThrownBy(() -> ReservationRequest.builder("r1").cartId(" ")).hasMessageContaining("cartId");
    }

    @Test
    void availableFollowsTheFormula() {
        Instant t = Instant.EPOCH;
        StockLevel level = new StockLevel(Sku.of("A"), LocationId.of("W"), 100, 10, 20, 5, 15, 0, 0, 0, 0, true,
                false, 1, t);
        assertThat(level.available()).isEqualTo(100 - 5 - 10 - 20 - 15);
        StockLevel negative = new StockLevel(Sku.of("A"), LocationId.of("W"), 10, 5, 5, 0, 3, 0, 0, 0, 0, true, false,
                1, t);
        assertThat(negative.available()).isZero();
        StockLevel offSale = level.withSettings(0, 0, 0, false, false, t);
        assertThat(offSale.available()).isZero();
        assertThat(offSale.version()).isEqualTo(2);
        assertThatThrownBy(() -> new StockLevel(Sku.of("A"), LocationId.of("W"), -1, 0, 0, 0, 0, 0, 0, 0, 0, true,
                false, 0, t)).hasMessageContaining("must not be negative");
    }

    @Test
    void reservationRecordValidates() {
        Instant t = Instant.EPOCH;
        assertThatThrownBy(() -> new Reservation(ReservationId.of("r"), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), ReservationStatus.ACTIVE, t, t, t)).hasMessageContaining("lines");
        assertThatThrownBy(() -> new Origin(Optional.of("has space"), Optional.empty()))
                .hasMessageContaining("eventId");
    }
}
