package dev.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Origin;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedisInventoryStore#ledgerAfter}: exactly the ledger's tail above a version, oldest first. */
class RedisLedgerAfterTest {
    private static final Sku A = Sku.of("A");
    private static final LocationId WH1 = LocationId.of("WH1");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private String prefix;
    private RedisInventoryStore store;

    @BeforeEach
    void setUp() {
        prefix = TestRedis.newPrefix();
        store = RedisInventoryStore.builder(TestRedis.single().client).keyPrefix(prefix).build();
    }

    @AfterEach
    void tearDown() {
        store.close();
        TestRedis.single().deleteKeys(prefix);
    }

    @Test
    void theTailAboveAVersionIsTheLedgersEndAcrossChunksAndVersionGaps() {
        for (int i = 0; i < 150; i++) {
            store.apply(new StockCommand.Receive(A, WH1, 1, Origin.NONE), T0);
            if (i % 5 == 0) { // a hold: a version without a ledger entry
                store.reserve(new Reservation(ReservationId.of("h" + i), List.of(new ReservationLine(A, WH1, 1)),
                        Optional.empty(), Optional.empty(), Optional.empty(), ReservationStatus.ACTIVE, T0,
                        T0.plus(Duration.ofMinutes(15)), T0), T0);
            }
        }
        List<LedgerEntry> all = store.ledger(A, WH1);
        assertThat(all).hasSize(150);

        assertThat(store.ledgerAfter(A, WH1, -1)).isEqualTo(all);
        for (int from : new int[] {0, 1, 17, 80, 149}) {
            long after = all.get(from).version();
            assertThat(store.ledgerAfter(A, WH1, after)).as("after version %d", after)
                    .isEqualTo(all.subList(from + 1, all.size()));
        }
        long between = all.get(10).version() + 1; // a hold's version: no entry has it
        assertThat(store.ledgerAfter(A, WH1, between)).isEqualTo(all.stream().filter(e -> e.version() > between)
                .toList());
        assertThat(store.ledgerAfter(A, WH1, all.get(149).version())).isEmpty();
        assertThat(store.ledgerAfter(Sku.of("NONE"), WH1, -1)).isEmpty();
    }

    @Test
    void aVersionBelowMinusOneIsRefused() {
        assertThatThrownBy(() -> store.ledgerAfter(A, WH1, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("afterVersion");
    }
}
