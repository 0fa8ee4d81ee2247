package dev.inventory.kafka;

import dev.inventory.core.Inventory;
import dev.inventory.core.Origin;
import dev.inventory.core.StockCommand;
import dev.inventory.core.StockResult;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test handler that applies {@code RECEIVING_COMPLETE} lines to an inventory, with the WMS event id
 * as the idempotency key ({@link Origin#event}), so the store itself skips a redelivered event. It is
 * a stand-in for the core's warehouse processor, limited to single-line receipts.
 */
class ReceivingHandler implements RecordHandler<WarehouseMessage> {
    final Inventory inventory;
    final AtomicLong calls = new AtomicLong();

    ReceivingHandler(Inventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public Outcome handle(WarehouseMessage message) throws Exception {
        calls.incrementAndGet();
        if (message.type() != WarehouseEventType.RECEIVING_COMPLETE || message.items().size() != 1) {
            return Outcome.rejected("this handler only takes single-line receipts, got " + message.type());
        }
        WarehouseMessage.Line line = message.items().get(0);
        StockResult result = inventory.stock().apply(new StockCommand.Receive(line.sku(), line.locationId(),
                line.quantity(), Origin.event(message.eventId())));
        if (result instanceof StockResult.Duplicate) {
            return Outcome.duplicate();
        }
        if (result instanceof StockResult.Rejected r) {
            return Outcome.rejected(r.message());
        }
        return Outcome.applied();
    }

    /** A receipt of {@code quantity} units of {@code sku} at WH-1, as the WMS would send it. */
    static String receipt(String eventId, String sku, long quantity) {
        return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"RECEIVING_COMPLETE\","
                + "\"timestamp\":\"2026-03-01T10:00:00Z\",\"locationId\":\"WH-1\",\"source\":\"wms\","
                + "\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}";
    }
}
