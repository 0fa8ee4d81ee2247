/**
 * Inbound event processing and replenishment (DESIGN sections 6-7): the warehouse events of a WMS
 * ({@link dev.inventory.core.processing.WarehouseEvent}) and the order events of a shop
 * ({@link dev.inventory.core.processing.OrderEvent}) mapped onto store operations by
 * {@link dev.inventory.core.processing.WarehouseEventProcessor} and
 * {@link dev.inventory.core.processing.OrderEventProcessor}, idempotent by event id and tolerant of
 * reordering; cycle-count variance alerts; and backorders and pre-orders
 * ({@link dev.inventory.core.processing.Backorders}) served in arrival order when stock comes in.
 *
 * <p>No method in this package returns or accepts {@code null}; absent values are
 * {@link java.util.Optional}. Bad input throws {@link java.lang.IllegalArgumentException} naming the
 * field; expected outcomes are {@link dev.inventory.core.processing.ProcessingResult} values.
 */
package dev.inventory.core.processing;
