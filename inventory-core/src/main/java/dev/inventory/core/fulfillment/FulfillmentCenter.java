package dev.inventory.core.fulfillment;

import dev.inventory.core.LocationId;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A place orders ship from. Its id is a stock location: its stock of a SKU is the
 * {@link dev.inventory.core.StockLevel#available() available} quantity of that SKU at {@link #id()}.
 * Build one with {@link #builder(String)}.
 *
 * @param id the stock location
 * @param name a display name, 1-128 characters
 * @param type what kind of center it is
 * @param location its coordinates
 * @param zone its time zone: cutoffs and operating days are local to it
 * @param serviceRegions the postal-code prefixes it delivers to (upper case, without spaces and
 *     hyphens), at least one
 * @param capabilities what it can handle beyond ordinary goods
 * @param shippingMethods how it ships, at most one method per speed, at least one
 * @param operatingDays the days it ships on, at least one
 * @param processingCapacity the units it can process per day, at least 1
 * @param utilization the share of today's capacity already in use, 0..1; a center at 1 takes no
 *     new orders
 */
public record FulfillmentCenter(
        LocationId id,
        String name,
        CenterType type,
        Coordinates location,
        ZoneId zone,
        Set<String> serviceRegions,
        Set<Capability> capabilities,
        List<ShippingMethod> shippingMethods,
        Set<DayOfWeek> operatingDays,
        long processingCapacity,
        double utilization) {

    /** The most units per day a center may declare. */
    public static final long MAX_CAPACITY = 1_000_000_000L;

    /** Validates every component and copies the collections. */
    public FulfillmentCenter {
        Valid.notNull("id", id);
        Valid.text("name", name, 128);
        Valid.notNull("type", type);
        Valid.notNull("location", location);
        Valid.notNull("zone", zone);
        Valid.notNull("serviceRegions", serviceRegions);
        TreeSet<String> regions = new TreeSet<>();
        for (String prefix : serviceRegions) {
            regions.add(Valid.normalizePostal(Valid.postal("serviceRegions element", prefix)));
        }
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("serviceRegions must hold at least one postal-code prefix, was empty"
                    + " (center " + id + ")");
        }
        serviceRegions = java.util.Collections.unmodifiableSet(regions);
        capabilities = Valid.enumSet("capabilities", Capability.class, capabilities);
        Valid.notNull("shippingMethods", shippingMethods);
        if (shippingMethods.isEmpty()) {
            throw new IllegalArgumentException("shippingMethods must hold at least one method, was empty (center "
                    + id + ")");
        }
        Set<DeliverySpeed> speeds = EnumSet.noneOf(DeliverySpeed.class);
        for (ShippingMethod method : shippingMethods) {
            Valid.notNull("shippingMethods element", method);
            if (!speeds.add(method.speed())) {
                throw new IllegalArgumentException("shippingMethods must hold at most one method per speed, was two for "
                        + method.speed() + " (center " + id + ")");
            }
        }
        shippingMethods = List.copyOf(shippingMethods);
        operatingDays = Valid.enumSet("operatingDays", DayOfWeek.class, operatingDays);
        if (operatingDays.isEmpty()) {
            throw new IllegalArgumentException("operatingDays must hold at least one day, was empty (center " + id
                    + ")");
        }
        Valid.range("processingCapacity", processingCapacity, 1, MAX_CAPACITY);
        Valid.range("utilization", utilization, 0.0, 1.0);
    }

    /** Starts a center at location {@code id}. */
    public static Builder builder(LocationId id) {
        return new Builder(id);
    }

    /** Starts a center at location {@code id}. */
    public static Builder builder(String id) {
        return new Builder(LocationId.of(id));
    }

    /** Whether this center delivers to {@code postalCode}: one of its service regions is a prefix of it. */
    public boolean serves(String postalCode) {
        return servesNormalized(Valid.normalizePostal(Valid.postal("postalCode", postalCode)));
    }

    /** {@link #serves(String)} for a code already normalised (upper case, no spaces or hyphens). */
    boolean servesNormalized(String code) {
        for (String prefix : serviceRegions) {
            if (code.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this center has every capability in {@code required}. */
    public boolean canHandle(Set<Capability> required) {
        return capabilities.containsAll(Valid.notNull("required", required));
    }

    /** The method this center ships at {@code speed}, if it has one. */
    public Optional<ShippingMethod> method(DeliverySpeed speed) {
        Valid.notNull("speed", speed);
        for (ShippingMethod method : shippingMethods) {
            if (method.speed() == speed) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }

    /** Whether this center ships on {@code day}. */
    public boolean operatesOn(DayOfWeek day) {
        return operatingDays.contains(Valid.notNull("day", day));
    }

    /** Whether this center still takes orders today: its utilization is below 1. */
    public boolean hasSpareCapacity() {
        return utilization < 1.0;
    }

    /** Returns this center with another utilization (a center's utilization changes through the day). */
    public FulfillmentCenter withUtilization(double utilization) {
        return new FulfillmentCenter(id, name, type, location, zone, serviceRegions, capabilities, shippingMethods,
                operatingDays, processingCapacity, utilization);
    }

    /**
     * Builds a {@link FulfillmentCenter}. Defaults: name = id, type WAREHOUSE, zone UTC, no
     * capabilities, Monday to Friday, capacity 10,000 units per day, utilization 0. Location, at least
     * one service region and at least one shipping method are required.
     */
    public static final class Builder {
        private final LocationId id;
        private String name;
        private CenterType type = CenterType.WAREHOUSE;
        private Coordinates location;
        private ZoneId zone = ZoneId.of("UTC");
        private final List<String> serviceRegions = new ArrayList<>();
        private final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        private final Map<DeliverySpeed, ShippingMethod> methods = new EnumMap<>(DeliverySpeed.class);
        private Set<DayOfWeek> operatingDays = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        private long processingCapacity = 10_000;
        private double utilization;

        private Builder(LocationId id) {
            this.id = Valid.notNull("id", id);
            this.name = id.value();
        }

        /** The display name. */
        public Builder name(String name) {
            this.name = Valid.text("name", name, 128);
            return this;
        }

        /** The kind of center. */
        public Builder type(CenterType type) {
            this.type = Valid.notNull("type", type);
            return this;
        }

        /** Where it is. */
        public Builder location(Coordinates location) {
            this.location = Valid.notNull("location", location);
            return this;
        }

        /** Where it is, in decimal degrees. */
        public Builder location(double latitude, double longitude) {
            return location(Coordinates.of(latitude, longitude));
        }

        /** Its time zone. */
        public Builder zone(ZoneId zone) {
            this.zone = Valid.notNull("zone", zone);
            return this;
        }

        /** Its time zone, e.g. "Europe/Berlin". */
        public Builder zone(String zone) {
            Valid.notNull("zone", zone);
            try {
                return zone(ZoneId.of(zone));
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("zone must be a time-zone id, was \"" + Valid.abbreviate(zone)
                        + "\"", e);
            }
        }

        /** Adds postal-code prefixes it delivers to. */
        public Builder serves(String... postalPrefixes) {
            Valid.notNull("serviceRegions", postalPrefixes);
            for (String prefix : postalPrefixes) {
                serviceRegions.add(Valid.postal("serviceRegions element", prefix));
            }
            return this;
        }

        /** Adds capabilities. */
        public Builder capabilities(Capability... capabilities) {
            Valid.notNull("capabilities", capabilities);
            this.capabilities.addAll(Valid.enumSet("capabilities", Capability.class, Arrays.asList(capabilities)));
            return this;
        }

        /** Adds a shipping method, replacing the one of the same speed. */
        public Builder method(ShippingMethod method) {
            Valid.notNull("method", method);
            methods.put(method.speed(), method);
            return this;
        }

        /** Adds a shipping method named after its speed. */
        public Builder method(DeliverySpeed speed, java.time.LocalTime cutoff) {
            return method(ShippingMethod.of(speed, cutoff));
        }

        /** The days it ships on (default Monday to Friday). */
        public Builder operatingDays(Collection<DayOfWeek> days) {
            Set<DayOfWeek> set = Valid.enumSet("operatingDays", DayOfWeek.class, days);
            if (set.isEmpty()) {
                throw new IllegalArgumentException("operatingDays must hold at least one day, was empty");
            }
            this.operatingDays = set;
            return this;
        }

        /** The days it ships on (default Monday to Friday). */
        public Builder operatingDays(DayOfWeek... days) {
            return operatingDays(Arrays.asList(Valid.notNull("operatingDays", days)));
        }

        /** Units it can process per day (default 10,000). */
        public Builder processingCapacity(long unitsPerDay) {
            this.processingCapacity = Valid.range("processingCapacity", unitsPerDay, 1, MAX_CAPACITY);
            return this;
        }

        /** The share of today's capacity in use, 0..1 (default 0). */
        public Builder utilization(double utilization) {
            this.utilization = Valid.range("utilization", utilization, 0.0, 1.0);
            return this;
        }

        /** @throws IllegalArgumentException naming the field when a required one is missing */
        public FulfillmentCenter build() {
            if (location == null) {
                throw new IllegalArgumentException("location must be set (center " + id + ")");
            }
            return new FulfillmentCenter(id, name, type, location, zone, new java.util.LinkedHashSet<>(serviceRegions),
                    capabilities, new ArrayList<>(methods.values()), operatingDays, processingCapacity, utilization);
        }
    }
}
