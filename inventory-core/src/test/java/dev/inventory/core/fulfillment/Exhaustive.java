package dev.inventory.core.fulfillment;

/**
 * The reference optimum of a small planning instance: every integer allocation of every line over
 * the centers that may ship it, scored exactly. Exponential; for instances up to about 6 centers x
 * 4 lines of a few units.
 */
final class Exhaustive {
    private final PlanningProblem p;
    private final int[] open;
    private final long[][] x;
    private double best = Double.MAX_VALUE;
    private int bestShipments = Integer.MAX_VALUE;
    private long leaves;
    private long[][] bestX;

    private Exhaustive(PlanningProblem p) {
        this.p = p;
        this.open = new int[p.m];
        for (int j = 0; j < p.m; j++) {
            open[j] = j;
        }
        this.x = new long[p.n][p.m];
    }

    /** The lowest score of any plan covering the order exactly. */
    static Result optimum(PlanningProblem p) {
        Exhaustive e = new Exhaustive(p);
        e.line(0);
        return new Result(e.best, e.bestShipments, e.leaves, e.bestX);
    }

    /** The lowest score of any single-shipment plan; {@code Double.MAX_VALUE} when none exists. */
    static double bestSingle(PlanningProblem p) {
        double best = Double.MAX_VALUE;
        for (int j = 0; j < p.m; j++) {
            long[][] alloc = new long[p.n][1];
            boolean covers = true;
            for (int i = 0; i < p.n; i++) {
                covers &= p.avail[i][j] >= p.qty[i];
                alloc[i][0] = p.qty[i];
            }
            if (covers) {
                best = Math.min(best, p.score(new int[] {j}, 1, alloc, null));
            }
        }
        return best;
    }

    /**
     * The exhaustive optimum.
     *
     * @param score the lowest score
     * @param shipments the fewest shipments among plans with that score
     * @param plans how many complete plans were scored
     * @param allocation a best plan: {@code allocation[i][j]} units of line i from center j
     */
    record Result(double score, int shipments, long plans, long[][] allocation) {
    }

    private void line(int i) {
        if (i == p.n) {
            leaves++;
            double s = p.score(open, p.m, x, null);
            int shipments = 0;
            for (int j = 0; j < p.m; j++) {
                for (int r = 0; r < p.n; r++) {
                    if (x[r][j] > 0) {
                        shipments++;
                        break;
                    }
                }
            }
            if (s < best - PlanSearch.EPS || (Math.abs(s - best) <= PlanSearch.EPS && shipments < bestShipments)) {
                best = Math.min(best, s);
                bestShipments = shipments;
                bestX = new long[p.n][];
                for (int r = 0; r < p.n; r++) {
                    bestX[r] = x[r].clone();
                }
            }
            return;
        }
        split(i, 0, p.qty[i]);
    }

    private void split(int i, int idx, long remaining) {
        int[] centers = p.lineCenters[i];
        if (remaining == 0) {
            line(i + 1);
            return;
        }
        if (idx == centers.length) {
            return;
        }
        int j = centers[idx];
        long most = Math.min(remaining, p.avail[i][j]);
        for (long take = most; take >= 0; take--) {
            x[i][j] = take;
            split(i, idx + 1, remaining - take);
        }
        x[i][j] = 0;
    }
}
