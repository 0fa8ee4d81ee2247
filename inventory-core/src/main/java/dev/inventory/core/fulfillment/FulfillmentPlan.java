package dev.inventory.core.fulfillment;

import dev.inventory.core.ReservationLine;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an order ships from: one shipment per center, together covering every line exactly.
 *
 * @param shipments the shipments, by center id
 * @param totalCost the sum of the shipments' costs, in minor units
 * @param latestDelivery the latest of the shipments' delivery dates: when the order is complete
 * @param score how the plan scored (lower is better)
 */
public record FulfillmentPlan(List<Shipment> shipments, long totalCost, LocalDate latestDelivery, PlanScore score) {

    /** @throws IllegalArgumentException naming the field when a value is missing */
    public FulfillmentPlan {
        Valid.notNull("shipments", shipments);
        if (shipments.isEmpty()) {
            throw new IllegalArgumentException("shipments must not be empty");
        }
        shipments = List.copyOf(shipments);
        Valid.range("totalCost", totalCost, 0, Long.MAX_VALUE);
        Valid.notNull("latestDelivery", latestDelivery);
        Valid.notNull("score", score);
    }

    /** Whether one center ships the whole order. */
    public boolean isSingleShipment() {
        return shipments.size() == 1;
    }

    /** The reservation lines that hold exactly this plan: one per SKU x center. */
    public List<ReservationLine> reservationLines() {
        List<ReservationLine> lines = new ArrayList<>();
        for (Shipment shipment : shipments) {
            for (ShipmentLine line : shipment.lines()) {
                lines.add(new ReservationLine(line.sku(), shipment.centerId(), line.quantity()));
            }
        }
        return lines;
    }
}
