package dev.inventory.core.fulfillment;

import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One order's planning instance: the candidate centers with their quotes and stock per line, the
 * normalisation bounds, and the exact score of an allocation. Centers are indexed {@code 0..m-1} in
 * id order, lines {@code 0..n-1} in the order's order. Not thread-safe; one per plan call.
 */
final class PlanningProblem {
    final Order order;
    final PlanningOptions options;
    final int n;
    final int m;
    final FulfillmentCenter[] centers;
    final ShippingMethod[] methods;
    final ShippingQuote[] quotes;
    final long[] qty;
    final long[] unitGrams;
    final long totalUnits;
    final long totalGrams;
    /** avail[i][j]: units of line i's SKU center j may ship for this order (0 when it may not). */
    final long[][] avail;
    /** For each line, the centers with avail > 0, ascending. */
    final int[][] lineCenters;
    final long[] day;
    final long dayMin;
    final double dayRange;
    final double[] utilNorm;
    /** depth[i][j] in [0,1]: 0 for the center that keeps the most of line i's SKU after shipping it all. */
    final double[][] depth;
    final double costLow;
    final double costRange;
    final double wCost;
    final double wSpeed;
    final double wUtil;
    final double wDepth;
    final List<Shortage> shortages;
    /** For rate-table quotes, cost = fixedCost[j] + perKg[j] * started kg; otherwise perKg[j] is -1. */
    private final long[] fixedCost;
    private final long[] perKg;
    private final CostMemo memo = new CostMemo();

    private PlanningProblem(Order order, PlanningOptions options, List<Candidate> candidates, long[][] avail,
            List<Shortage> shortages) {
        this.order = order;
        this.options = options;
        this.n = order.lines().size();
        this.m = candidates.size();
        this.shortages = shortages;
        this.centers = new FulfillmentCenter[m];
        this.methods = new ShippingMethod[m];
        this.quotes = new ShippingQuote[m];
        this.day = new long[m];
        this.fixedCost = new long[m];
        this.perKg = new long[m];
        for (int j = 0; j < m; j++) {
            Candidate c = candidates.get(j);
            centers[j] = c.center;
            methods[j] = c.method;
            quotes[j] = c.quote;
            day[j] = c.quote.deliveryDate().toEpochDay();
            perKg[j] = -1;
            if (c.quote instanceof DefaultShippingEstimator.Quote q && q.rates() instanceof RateTable table) {
                RateTable.Rate rate = table.rate(q.method().speed());
                fixedCost[j] = rate.fixedCost(q.distanceKm());
                perKg[j] = rate.perKg();
            }
        }
        this.avail = avail;
        this.qty = new long[n];
        this.unitGrams = new long[n];
        long units = 0;
        long grams = 0;
        for (int i = 0; i < n; i++) {
            OrderLine line = order.lines().get(i);
            qty[i] = line.quantity();
            unitGrams[i] = line.unitWeightGrams();
            units += qty[i];
            grams += line.weightGrams();
        }
        this.totalUnits = units;
        this.totalGrams = grams;
        this.lineCenters = new int[n][];
        for (int i = 0; i < n; i++) {
            int count = 0;
            int[] list = new int[m];
            for (int j = 0; j < m; j++) {
                if (avail[i][j] > 0) {
                    list[count++] = j;
                }
            }
            lineCenters[i] = Arrays.copyOf(list, count);
        }
        double w = options.costWeight();
        this.wCost = w;
        this.wSpeed = (1 - w) * PlanScore.SPEED_SHARE;
        this.wUtil = (1 - w) * PlanScore.UTILIZATION_SHARE;
        this.wDepth = (1 - w) * PlanScore.DEPTH_SHARE;

        long dMin = Long.MAX_VALUE;
        long dMax = Long.MIN_VALUE;
        double uMin = Double.MAX_VALUE;
        double uMax = -Double.MAX_VALUE;
        for (int j = 0; j < m; j++) {
            dMin = Math.min(dMin, day[j]);
            dMax = Math.max(dMax, day[j]);
            uMin = Math.min(uMin, centers[j].utilization());
            uMax = Math.max(uMax, centers[j].utilization());
        }
        this.dayMin = m == 0 ? 0 : dMin;
        this.dayRange = m == 0 ? 0 : dMax - dMin;
        this.utilNorm = new double[m];
        for (int j = 0; j < m; j++) {
            utilNorm[j] = uMax > uMin ? (centers[j].utilization() - uMin) / (uMax - uMin) : 0.0;
        }
        this.depth = new double[n][m];
        for (int i = 0; i < n; i++) {
            long lMin = Long.MAX_VALUE;
            long lMax = Long.MIN_VALUE;
            for (int j : lineCenters[i]) {
                long left = Math.max(0, avail[i][j] - qty[i]);
                lMin = Math.min(lMin, left);
                lMax = Math.max(lMax, left);
            }
            for (int j : lineCenters[i]) {
                long left = Math.max(0, avail[i][j] - qty[i]);
                depth[i][j] = lMax > lMin ? (double) (lMax - left) / (double) (lMax - lMin) : 0.0;
            }
        }
        if (shortages.isEmpty() && m > 0) {
            double low = Double.MAX_VALUE;
            for (int j = 0; j < m; j++) {
                low = Math.min(low, cost(j, totalGrams));
            }
            double high = 0;
            for (int i = 0; i < n; i++) {
                high += dearestLine(i);
            }
            this.costLow = low;
            this.costRange = Math.max(0, high - low);
        } else {
            this.costLow = 0;
            this.costRange = 0;
        }
    }

    /**
     * The most line {@code i} costs shipped on its own: the dearest candidate's cost for the whole
     * line, or, when no candidate holds the whole line, the cost of splitting it into the most parts
     * (smallest stocks first) if that is dearer.
     */
    private double dearestLine(int i) {
        long lineGrams = qty[i] * unitGrams[i];
        double dearest = 0;
        boolean alone = false;
        for (int j : lineCenters[i]) {
            dearest = Math.max(dearest, cost(j, lineGrams));
            alone |= avail[i][j] >= qty[i];
        }
        if (alone) {
            return dearest;
        }
        Integer[] byStock = new Integer[lineCenters[i].length];
        for (int t = 0; t < byStock.length; t++) {
            byStock[t] = lineCenters[i][t];
        }
        Arrays.sort(byStock, (a, b) -> Long.compare(avail[i][a], avail[i][b]));
        double split = 0;
        long remaining = qty[i];
        for (int t = 0; t < byStock.length && remaining > 0; t++) {
            long take = Math.min(remaining, avail[i][byStock[t]]);
            split += cost(byStock[t], take * unitGrams[i]);
            remaining -= take;
        }
        return Math.max(dearest, split);
    }

    /** A center that passed the center-level filters, with its method and quote. */
    record Candidate(FulfillmentCenter center, ShippingMethod method, ShippingQuote quote) {
    }

    /**
     * Builds the instance.
     *
     * @param centers the configured centers, sorted by id, ids unique
     * @param levels every stock level of a SKU
     */
    static PlanningProblem build(Order order, Destination destination, DeliverySpeed speed, PlanningOptions options,
            List<FulfillmentCenter> centers, Function<Sku, List<StockLevel>> levels, ShippingEstimator estimator,
            Instant now) {
        List<Candidate> eligible = new ArrayList<>(centers.size());
        Map<LocationId, Integer> index = new HashMap<>(2 * centers.size());
        String postalCode = Valid.normalizePostal(destination.postalCode());
        for (FulfillmentCenter center : centers) {
            if (!center.hasSpareCapacity() || !center.servesNormalized(postalCode)) {
                continue;
            }
            Optional<ShippingMethod> method = center.method(speed);
            if (method.isEmpty()) {
                continue;
            }
            Optional<ShippingQuote> quote = estimator.quote(center, method.get(), destination, now);
            if (quote == null) {
                throw new IllegalStateException("shipping estimator " + estimator + " returned null for center "
                        + center.id());
            }
            if (quote.isEmpty()) {
                continue;
            }
            ShippingQuote q = quote.get();
            if (q.shipDate() == null || q.deliveryDate() == null) {
                throw new IllegalStateException("shipping estimator " + estimator + " returned a quote without dates"
                        + " for center " + center.id());
            }
            if (options.deliverBy().isPresent() && q.deliveryDate().isAfter(options.deliverBy().get())) {
                continue;
            }
            index.put(center.id(), eligible.size());
            eligible.add(new Candidate(center, method.get(), q));
        }
        int n = order.lines().size();
        long[][] stock = new long[n][eligible.size()];
        boolean[] stocksSomething = new boolean[eligible.size()];
        int[] capabilities = new int[eligible.size()];
        for (int j = 0; j < eligible.size(); j++) {
            capabilities[j] = mask(eligible.get(j).center.capabilities());
        }
        for (int i = 0; i < n; i++) {
            OrderLine line = order.lines().get(i);
            if (eligible.isEmpty()) {
                break;
            }
            int required = mask(line.requirements());
            for (StockLevel level : levels.apply(line.sku())) {
                Integer j = index.get(level.locationId());
                if (j == null || (required & ~capabilities[j]) != 0 || !level.sku().equals(line.sku())) {
                    continue;
                }
                // capped so that sums over thousands of centers cannot overflow; far above any order
                long available = Math.min(level.available(), MAX_STOCK);
                if (available > 0) {
                    stock[i][j] = available;
                    stocksSomething[j] = true;
                }
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        int[] keep = new int[eligible.size()];
        for (int j = 0; j < eligible.size(); j++) {
            if (stocksSomething[j]) {
                keep[candidates.size()] = j;
                candidates.add(eligible.get(j));
            }
        }
        long[][] avail = new long[n][candidates.size()];
        List<Shortage> shortages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long total = 0;
            for (int k = 0; k < candidates.size(); k++) {
                avail[i][k] = stock[i][keep[k]];
                total = saturatedAdd(total, avail[i][k]);
            }
            OrderLine line = order.lines().get(i);
            if (total < line.quantity()) {
                shortages.add(new Shortage(line.sku(), line.quantity(), total));
            }
        }
        return new PlanningProblem(order, options, candidates, avail, List.copyOf(shortages));
    }

    private static int mask(java.util.Set<Capability> capabilities) {
        int mask = 0;
        for (Capability capability : capabilities) {
            mask |= 1 << capability.ordinal();
        }
        return mask;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    /** The cost of a shipment of {@code grams} from center {@code j}, asked once per plan and weight. */
    long cost(int j, long grams) {
        if (perKg[j] >= 0) {
            return fixedCost[j] + perKg[j] * ((grams + 999) / 1000);
        }
        long cached = memo.get(j, grams);
        if (cached >= 0) {
            return cached;
        }
        long cost = quotes[j].cost(grams);
        if (cost < 0 || cost > ShippingQuote.MAX_COST) {
            throw new IllegalStateException("shipping cost must be between 0 and " + ShippingQuote.MAX_COST
                    + ", was " + cost + " for " + grams + " g from center " + centers[j].id());
        }
        memo.put(j, grams, cost);
        return cost;
    }

    /**
     * The exact score of an allocation; {@code x[i][s]} units of line i ship from center
     * {@code open[s]}, for {@code s < k}. Centers that ship nothing do not count. Lines need not be
     * fully covered: uncovered units add {@link #UNCOVERED_PENALTY} times their share of the order, so
     * partial plans compare too.
     *
     * @param components when not null, receives cost, speed, utilization, depth (normalised)
     */
    double score(int[] open, int k, long[][] x, double[] components) {
        double cost = 0;
        long maxDay = Long.MIN_VALUE;
        double util = 0;
        double dep = 0;
        long covered = 0;
        for (int s = 0; s < k; s++) {
            int j = open[s];
            long units = 0;
            long grams = 0;
            for (int i = 0; i < n; i++) {
                long xs = x[i][s];
                if (xs > 0) {
                    units += xs;
                    grams += xs * unitGrams[i];
                    dep += xs * depth[i][j];
                }
            }
            if (units > 0) {
                covered += units;
                util += units * utilNorm[j];
                cost += cost(j, grams);
                maxDay = Math.max(maxDay, day[j]);
            }
        }
        double total = totalUnits;
        double costN = costRange > 0 ? clamp((cost - costLow) / costRange) : 0.0;
        double speedN = dayRange > 0 && covered > 0 ? (maxDay - dayMin) / dayRange : 0.0;
        double utilN = clamp(util / total);
        double depthN = clamp(dep / total);
        if (components != null) {
            components[0] = costN;
            components[1] = speedN;
            components[2] = utilN;
            components[3] = depthN;
        }
        double score = clamp(wCost * costN + wSpeed * speedN + wUtil * utilN + wDepth * depthN);
        if (covered < totalUnits) {
            score += UNCOVERED_PENALTY * (totalUnits - covered) / total;
        }
        return score;
    }

    /** The most units of a SKU the planner counts at one center (2^40). */
    static final long MAX_STOCK = 1L << 40;

    /** Added per uncovered share of the order: more than any complete plan can score. */
    static final double UNCOVERED_PENALTY = 2.0;

    static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    /** The plan for an allocation that covers every line. */
    FulfillmentPlan toPlan(int[] open, int k, long[][] x) {
        double[] c = new double[4];
        double total = score(open, k, x, c);
        List<Shipment> shipments = new ArrayList<>();
        long totalCost = 0;
        LocalDate latest = null;
        for (int s = 0; s < k; s++) {
            int j = open[s];
            List<ShipmentLine> lines = new ArrayList<>();
            long grams = 0;
            for (int i = 0; i < n; i++) {
                if (x[i][s] > 0) {
                    lines.add(new ShipmentLine(order.lines().get(i).sku(), x[i][s]));
                    grams += x[i][s] * unitGrams[i];
                }
            }
            if (lines.isEmpty()) {
                continue;
            }
            long cost = cost(j, grams);
            totalCost = Math.addExact(totalCost, cost);
            LocalDate delivery = quotes[j].deliveryDate();
            latest = latest == null || delivery.isAfter(latest) ? delivery : latest;
            shipments.add(new Shipment(centers[j].id(), methods[j], lines, grams, cost, quotes[j].shipDate(),
                    delivery));
        }
        return new FulfillmentPlan(shipments, totalCost, latest, new PlanScore(total, c[0], c[1], c[2], c[3]));
    }

    /** Open addressing map from (center, grams) to cost; -1 when absent. */
    static final class CostMemo {
        private int[] centers = new int[64];
        private long[] grams = new long[64];
        private long[] costs = new long[64];
        private boolean[] used = new boolean[64];
        private int size;

        long get(int center, long g) {
            int mask = used.length - 1;
            for (int h = hash(center, g) & mask; used[h]; h = (h + 1) & mask) {
                if (centers[h] == center && grams[h] == g) {
                    return costs[h];
                }
            }
            return -1;
        }

        void put(int center, long g, long cost) {
            if (2 * (size + 1) > used.length) {
                grow();
            }
            int mask = used.length - 1;
            int h = hash(center, g) & mask;
            while (used[h]) {
                if (centers[h] == center && grams[h] == g) {
                    costs[h] = cost;
                    return;
                }
                h = (h + 1) & mask;
            }
            used[h] = true;
            centers[h] = center;
            grams[h] = g;
            costs[h] = cost;
            size++;
        }

        private void grow() {
            int[] oc = centers;
            long[] og = grams;
            long[] ov = costs;
            boolean[] ou = used;
            centers = new int[oc.length * 2];
            grams = new long[oc.length * 2];
            costs = new long[oc.length * 2];
            used = new boolean[oc.length * 2];
            size = 0;
            for (int i = 0; i < ou.length; i++) {
                if (ou[i]) {
                    put(oc[i], og[i], ov[i]);
                }
            }
        }

        private static int hash(int center, long g) {
            long h = g * 0x9E3779B97F4A7C15L + center * 0xC2B2AE3D27D4EB4FL;
            return (int) (h ^ (h >>> 29) ^ (h >>> 47));
        }
    }
}
