package dev.inventory.kafka;

import dev.inventory.core.processing.OrderEventProcessor;
import dev.inventory.core.processing.WarehouseEventProcessor;

/**
 * Ready-made {@link ReliableConsumer}s that apply inbound warehouse and order events with the core's
 * processors (DESIGN section 6):
 *
 * <pre>{@code
 * WarehouseEventProcessor warehouse = WarehouseEventProcessor.builder(inventory).build();
 * OrderEventProcessor orders = OrderEventProcessor.builder(inventory).build();
 * ReliableConsumer<WarehouseMessage> wms = InboundConsumers.warehouse("kafka:9092", "wms.events", "inventory-wms", warehouse);
 * ReliableConsumer<OrderMessage> shop = InboundConsumers.orders("kafka:9092", "orders", "inventory-orders", orders);
 * wms.start();
 * shop.start();
 * }</pre>
 *
 * <p>Each consumer decodes with {@link WarehouseMessage#decoder()} / {@link OrderMessage#decoder()},
 * applies with a {@link WarehouseEventHandler} / {@link OrderEventHandler}, drops a message whose
 * {@code version} is at or below the highest applied for its key ({@link WarehouseMessage#stamp()},
 * {@link OrderMessage#stamp()}, in an in-memory {@link VersionTracker}; messages without a version are
 * never stale), and otherwise has the {@link ReliableConsumer}'s defaults: manual commits, dead letters
 * to {@code <topic>.DLT}, {@link Backoff#defaults()} for transient failures and for events that wait
 * for a predecessor (about 50 seconds of retries in all, then the record is dead-lettered). To change
 * any of it, start from {@link #warehouseBuilder} / {@link #ordersBuilder}: for example a longer wait
 * for predecessors with {@code .backoff(new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(30),
 * 130))} (about an hour, the processors' default parking time).
 *
 * <p>The two processors should share one inventory: an order event applied by one consumer is what a
 * waiting warehouse event in the other one waits for. Several instances of one consumer in one JVM
 * (to share a topic's partitions) need distinct {@link ReliableConsumer.Builder#name names}, which are
 * also their Kafka client ids.
 */
public final class InboundConsumers {
    private InboundConsumers() {
    }

    /**
     * A consumer of WMS events on {@code topic} in group {@code groupId}, applying them with
     * {@code processor}; {@link ReliableConsumer#start()} starts it.
     */
    public static ReliableConsumer<WarehouseMessage> warehouse(String bootstrapServers, String topic, String groupId,
            WarehouseEventProcessor processor) {
        return warehouseBuilder(processor).bootstrapServers(bootstrapServers).topics(topic).groupId(groupId).build();
    }

    /**
     * A consumer of order events on {@code topic} in group {@code groupId}, applying them with
     * {@code processor}; {@link ReliableConsumer#start()} starts it.
     */
    public static ReliableConsumer<OrderMessage> orders(String bootstrapServers, String topic, String groupId,
            OrderEventProcessor processor) {
        return ordersBuilder(processor).bootstrapServers(bootstrapServers).topics(topic).groupId(groupId).build();
    }

    /**
     * A consumer builder with the WMS decoder, a {@link WarehouseEventHandler} over {@code processor},
     * an in-memory {@link VersionTracker} and the name {@code inventory-wms}; the caller adds at least
     * the bootstrap servers, the group and the topics.
     */
    public static ReliableConsumer.Builder<WarehouseMessage> warehouseBuilder(WarehouseEventProcessor processor) {
        return ReliableConsumer.builder(WarehouseMessage.decoder(), new WarehouseEventHandler(processor))
                .versions(WarehouseMessage::stamp, VersionTracker.inMemory())
                .name("inventory-wms");
    }

    /**
     * A consumer builder with the order decoder, an {@link OrderEventHandler} over {@code processor}, an
     * in-memory {@link VersionTracker} and the name {@code inventory-orders}; the caller adds at least the
     * bootstrap servers, the group and the topics.
     */
    public static ReliableConsumer.Builder<OrderMessage> ordersBuilder(OrderEventProcessor processor) {
        return ReliableConsumer.builder(OrderMessage.decoder(), new OrderEventHandler(processor))
                .versions(OrderMessage::stamp, VersionTracker.inMemory())
                .name("inventory-orders");
    }
}
