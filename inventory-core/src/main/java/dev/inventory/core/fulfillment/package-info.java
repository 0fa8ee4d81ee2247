/**
 * Fulfillment planning (DESIGN section 7): choose the fulfillment centers an order ships from, then
 * reserve exactly that.
 *
 * <p>{@link dev.inventory.core.fulfillment.FulfillmentCenter Fulfillment centers} are stock
 * locations with coordinates, a time zone, service regions, capabilities, shipping methods, operating
 * days and a utilization. The {@link dev.inventory.core.fulfillment.FulfillmentPlanner planner} reads
 * their stock from an {@link dev.inventory.core.Inventory}, asks a
 * {@link dev.inventory.core.fulfillment.ShippingEstimator shipping estimator} for delivery dates and
 * costs, and returns a {@link dev.inventory.core.fulfillment.PlanResult}: a scored plan, or the
 * shortage per line. {@link dev.inventory.core.fulfillment.FulfillmentPlanner#planAndReserve
 * planAndReserve} holds exactly the planned units at the planned centers in one all-or-nothing call.
 *
 * <p>No method in this package returns or accepts {@code null}; absent values are
 * {@link java.util.Optional}. Bad input throws {@link java.lang.IllegalArgumentException} naming the
 * field and the bad value; expected outcomes (cannot fulfil, stock gone) are result values.
 */
package dev.inventory.core.fulfillment;
