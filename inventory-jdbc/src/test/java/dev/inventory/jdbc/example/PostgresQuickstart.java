package dev.inventory.jdbc.example;

import dev.inventory.core.Inventory;
import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.ReservationResult;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.spi.OutboxSource.OutboxRecord;
import dev.inventory.jdbc.PostgresInventoryStore;
import java.io.PrintStream;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The PostgreSQL store in twenty lines: receive stock, hold it for a checkout, confirm and ship it,
 * read the level and its ledger, then relay the outbox (here to the console instead of Kafka).
 *
 * <pre>
 * PostgresQuickstart [jdbcUrl [schema]]
 *   jdbcUrl defaults to jdbc:postgresql://127.0.0.1:5432/test?user=postgres
 *   schema  defaults to inventory_quickstart (created and migrated on first run)
 * </pre>
 */
public final class PostgresQuickstart {
    private PostgresQuickstart() {
    }

    /** Runs the quickstart against the database named by the arguments. */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        String schema = args.length > 1 ? args[1] : "inventory_quickstart";
        run(url, schema, System.out);
    }

    /** The quickstart, printing to {@code out}. */
    public static void run(String jdbcUrl, String schema, PrintStream out) throws Exception {
        Sku tee = Sku.of("TEE-M");
        LocationId warehouse = LocationId.of("WH-1");
        try (PostgresInventoryStore store = PostgresInventoryStore.builder()
                     .jdbcUrl(jdbcUrl).maxPoolSize(4).schema(schema)   // own HikariCP pool; migrates the schema
                     .build();
             Inventory inventory = Inventory.builder().store(store).build()) {

            inventory.stock().receive(tee, warehouse, 100);
            ReservationResult hold = inventory.reservations().reserve(
                    ReservationRequest.builder("checkout-42").line(tee, warehouse, 2).cartId("cart-7").build());
            out.println("reserve checkout-42: " + hold.getClass().getSimpleName());
            out.println("confirm: " + inventory.reservations().confirm(ReservationId.of("checkout-42"))
                    .getClass().getSimpleName());
            out.println("fulfil: " + inventory.reservations().fulfil(ReservationId.of("checkout-42"))
                    .getClass().getSimpleName());

            StockLevel level = inventory.level(tee, warehouse).orElseThrow();
            out.printf("%s at %s: onHand=%d allocated=%d reserved=%d available=%d version=%d%n", tee, warehouse,
                    level.onHand(), level.allocated(), level.reserved(), level.available(), level.version());
            for (LedgerEntry entry : inventory.ledger(tee, warehouse)) {
                out.printf("ledger %s %+d -> %d%n", entry.kind(), entry.delta(), entry.onHandAfter());
            }

            int relayed = store.outbox().relay(100, batch -> {
                for (OutboxRecord r : batch) {
                    out.printf("publish key=%s type=%s version=%d%n", r.aggregateId(), r.type(), r.aggregateVersion());
                }
                return batch.stream().map(OutboxRecord::id).collect(Collectors.<UUID>toSet()); // all acknowledged
            });
            out.println("relayed " + relayed + " outbox records");
        }
    }
}
