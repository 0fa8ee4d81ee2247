package dev.inventory.kafka;

/** The JSON of inbound events as a WMS and an order service send them (see {@code docs/events.md}). */
final class InboundJson {
    /** The timestamp of every event (the tests' fixed clock reads it too). */
    static final String AT = "2026-03-01T10:00:00Z";

    private InboundJson() {
    }

    /** A receipt of {@code quantity} units of {@code sku} at WH-1. */
    static String receipt(String eventId, String sku, long quantity) {
        return wms(eventId, "RECEIVING_COMPLETE", "WH-1", items(sku, quantity));
    }

    /** A WMS event; {@code fields} are further JSON members (for example {@link #items}), may be empty. */
    static String wms(String eventId, String type, String locationId, String... fields) {
        return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + type + "\",\"timestamp\":\"" + AT
                + "\",\"locationId\":\"" + locationId + "\",\"source\":\"wms\"" + more(fields) + "}";
    }

    /** An order event; {@code fields} are further JSON members, may be empty. */
    static String order(String eventId, String type, String orderId, String... fields) {
        return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + type + "\",\"timestamp\":\"" + AT
                + "\",\"orderId\":\"" + orderId + "\"" + more(fields) + "}";
    }

    /** {@code "items":[...]} from pairs of SKU and quantity (a String and a Number each). */
    static String items(Object... skuAndQuantity) {
        StringBuilder b = new StringBuilder("\"items\":[");
        for (int i = 0; i < skuAndQuantity.length; i += 2) {
            b.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(skuAndQuantity[i]).append("\",\"quantity\":")
                    .append(skuAndQuantity[i + 1]).append('}');
        }
        return b.append(']').toString();
    }

    /** {@code "items":[...]} of order lines at {@code locationId}, from pairs of SKU and quantity. */
    static String lines(String locationId, Object... skuAndQuantity) {
        StringBuilder b = new StringBuilder("\"items\":[");
        for (int i = 0; i < skuAndQuantity.length; i += 2) {
            b.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(skuAndQuantity[i]).append("\",\"locationId\":\"")
                    .append(locationId).append("\",\"quantity\":").append(skuAndQuantity[i + 1]).append('}');
        }
        return b.append(']').toString();
    }

    /** A JSON string member. */
    static String field(String name, String value) {
        return "\"" + name + "\":\"" + value + "\"";
    }

    /** A JSON number member. */
    static String field(String name, long value) {
        return "\"" + name + "\":" + value;
    }

    private static String more(String[] fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            b.append(',').append(f);
        }
        return b.toString();
    }
}
