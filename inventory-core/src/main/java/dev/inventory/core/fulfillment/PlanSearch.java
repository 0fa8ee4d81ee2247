package dev.inventory.core.fulfillment;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The planner's search: polynomial and deterministic.
 *
 * <ol>
 *   <li>Every center that can ship the whole order alone is scored; with "prefer single shipment" the
 *       best of them is the answer.
 *   <li>Otherwise starting sets of open centers are built: the best single center, and for each
 *       distinct delivery day {@code T} a greedy cover using only centers delivering by {@code T} (so
 *       fast plans are explored even when slow centers cover more). Each greedy step adds the center
 *       that most lowers the score of the partial plan plus a penalty for uncovered units.
 *   <li>Each start is improved by local search over the set of open centers: drop one, add one, or
 *       swap one for another, taking the best improving move. For a set of open centers each line is
 *       filled from its centers in order of a per-unit proxy (utilization and depth, which are linear
 *       per unit, plus the marginal cost per unit of weight; speed depends only on which centers ship,
 *       so it is left to the moves); the exact score decides. A trial re-fills only the lines the
 *       changed centers touch and re-prices only the changed shipments; a swap that cannot cover the
 *       lines only the removed center covered is skipped without scoring, and a center no line needs
 *       is swapped only for the {@link #SWAP_POOL} centers whose addition scored best.
 *   <li>When no move improves, wider moves are tried: drop one center, repair the cover greedily
 *       and drop what became redundant (one center replaced by several); look two moves ahead from
 *       the best few neighbours (to cross a plateau); and "polish" the current set and its best few
 *       neighbours by moving a line's units between open centers (which catches per-kilogram and
 *       per-shipment steps the proxy misses). The search goes on from any improvement.
 * </ol>
 *
 * The best plan wins by score, then fewer shipments, then lower center ids, then the allocation.
 * Each round costs {@code O(m * k)} trials of {@code O(n_c * k)} for {@code m} candidate centers,
 * {@code k} open centers and {@code n_c} lines a center stocks; rounds are bounded.
 */
final class PlanSearch {
    static final double EPS = 1e-12;
    private static final int MAX_ROUNDS = 64;
    /** How many non-improving neighbours are polished at a local optimum. */
    private static final int ELITE = 6;
    /** How many of them the two-step lookahead starts from. */
    private static final int LOOKAHEAD = 3;
    private static final int MAX_AMOUNTS = 16;
    private static final int PAIR_POOL = 12;
    /** How many of the best-adding centers are tried in place of an open center that is not critical. */
    static final int SWAP_POOL = 16;

    private final PlanningProblem p;
    private final int swapPool;
    private final double[] addScore;
    private final int n;
    private final int m;
    private final double total;
    /** Fill order of line i's units: lower first. */
    private final double[][] key;
    /** Utilization and depth score of one unit of line i from center j. */
    private final double[][] coef;
    /** Per center, the lines it stocks (bit i; an order has at most {@link Order#MAX_LINES} <= 64 lines). */
    private final long[] stockMask;
    /** rank[i][j]: position of center j in line i's fill order (see {@link #sortByKey}). */
    private final int[][] rank;

    // the current set of open centers and its allocation
    private int k;
    private int[] open;
    private long[][] x;
    private long[] grams;
    private long[] units;
    private double lin;
    private long[] lineSum;
    private long uncovered;
    private long uncoveredMask;
    /** Per line, the open slots that stock it, in fill order. */
    private int[][] ord;
    private int[] ordCount;
    /** Per line, the rank of the last center it takes units from; MAX_VALUE when not covered. */
    private int[] lastRank;
    /** Per slot, the lines it ships (bit i). */
    private long[] usedMask;

    // scratch
    private long[] tg;
    private long[] tu;
    /** Per slot, the cost of its shipment in the current state (0 when it ships nothing). */
    private long[] slotCost;
    private double baseCost;
    /** Slots a trial changed, and a flag per slot. */
    private int[] touched;
    private boolean[] isTouched;
    private long lastUncovered;

    PlanSearch(PlanningProblem p) {
        this(p, SWAP_POOL);
    }

    /** A search that tries swaps with the {@code swapPool} best-adding centers (tests compare pool sizes). */
    PlanSearch(PlanningProblem p, int swapPool) {
        if (p.n > Long.SIZE) {
            throw new IllegalArgumentException("lines must be at most " + Long.SIZE + ", was " + p.n);
        }
        this.p = p;
        this.swapPool = Math.max(1, swapPool);
        this.addScore = new double[p.m];
        this.n = p.n;
        this.m = p.m;
        this.total = p.totalUnits;
        this.key = new double[n][m];
        this.coef = new double[n][m];
        this.stockMask = new long[m];
        double[] slope = new double[m];
        if (p.costRange > 0 && p.totalGrams > 0) {
            for (int j = 0; j < m; j++) {
                slope[j] = Math.max(0, (double) (p.cost(j, p.totalGrams) - p.cost(j, 0)) / p.totalGrams);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j : p.lineCenters[i]) {
                coef[i][j] = (p.wUtil * p.utilNorm[j] + p.wDepth * p.depth[i][j]) / total;
                key[i][j] = coef[i][j] + (p.costRange > 0 ? p.wCost * slope[j] * p.unitGrams[i] / p.costRange : 0);
                stockMask[j] |= 1L << i;
            }
        }
        this.rank = new int[n][m];
        int[] scratch = new int[m];
        for (int i = 0; i < n; i++) {
            int[] byKey = p.lineCenters[i].clone();
            sortByKey(byKey, scratch, key[i], p.avail[i], p.qty[i], 0, byKey.length);
            for (int t = 0; t < byKey.length; t++) {
                rank[i][byKey[t]] = t;
            }
        }
        this.lineSum = new long[n];
        this.ordCount = new int[n];
        this.lastRank = new int[n];
        allocate(8);
    }

    /**
     * Merge sort of centers {@code a[from..to)} into fill order: by key; on equal keys a center that
     * holds the whole line first, then more stock first (no needless split), then lower index.
     */
    private static void sortByKey(int[] a, int[] tmp, double[] key, long[] avail, long qty, int from, int to) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        sortByKey(a, tmp, key, avail, qty, from, mid);
        sortByKey(a, tmp, key, avail, qty, mid, to);
        int l = from;
        int r = mid;
        int t = from;
        while (l < mid && r < to) {
            int x = a[l];
            int y = a[r];
            boolean left;
            if (key[x] != key[y]) {
                left = key[x] < key[y];
            } else if ((avail[x] >= qty) != (avail[y] >= qty)) {
                left = avail[x] >= qty;
            } else if (avail[x] != avail[y]) {
                left = avail[x] > avail[y];
            } else {
                left = x < y;
            }
            tmp[t++] = left ? a[l++] : a[r++];
        }
        while (l < mid) {
            tmp[t++] = a[l++];
        }
        while (r < to) {
            tmp[t++] = a[r++];
        }
        System.arraycopy(tmp, from, a, from, to - from);
    }

    private void allocate(int capacity) {
        open = new int[capacity];
        x = new long[n][capacity];
        grams = new long[capacity];
        units = new long[capacity];
        usedMask = new long[capacity];
        ord = new int[n][capacity];
        tg = new long[capacity];
        tu = new long[capacity];
        slotCost = new long[capacity];
        touched = new int[capacity];
        isTouched = new boolean[capacity];
    }

    /** A complete allocation: {@code x[i][s]} units of line i from center {@code open[s]}. */
    record Solution(int[] open, long[][] x, double score) {
    }

    /** The best plan found; the problem must have no shortage. */
    Solution solve() {
        Solution best = null;
        for (int j = 0; j < m; j++) {
            if (coversAlone(j)) {
                best = better(best, single(j));
            }
        }
        if (best != null && p.options.preferSingleShipment()) {
            return best;
        }
        Set<String> seen = new HashSet<>();
        if (best != null) {
            best = better(best, improve(best.open, seen));
        }
        long[] days = Arrays.stream(p.day).distinct().sorted().toArray();
        for (long limit : days) {
            int[] start = greedy(limit);
            if (start != null) {
                best = better(best, improve(start, seen));
            }
        }
        if (best == null) {
            throw new IllegalStateException("no plan found although every line is covered");
        }
        return best;
    }

    private boolean coversAlone(int j) {
        for (int i = 0; i < n; i++) {
            if (p.avail[i][j] < p.qty[i]) {
                return false;
            }
        }
        return true;
    }

    private Solution single(int j) {
        long[][] alloc = new long[n][1];
        for (int i = 0; i < n; i++) {
            alloc[i][0] = p.qty[i];
        }
        int[] one = {j};
        return new Solution(one, alloc, p.score(one, 1, alloc, null));
    }

    // ------------------------------------------------------------------ construction

    /** Greedy cover with centers delivering by {@code dayLimit}; null when they cannot cover the order. */
    private int[] greedy(long dayLimit) {
        for (int i = 0; i < n; i++) {
            long sum = 0;
            for (int j : p.lineCenters[i]) {
                if (p.day[j] <= dayLimit) {
                    sum += p.avail[i][j];
                    if (sum >= p.qty[i]) {
                        break;
                    }
                }
            }
            if (sum < p.qty[i]) {
                return null;
            }
        }
        load(new int[0], 0, true);
        return cover(dayLimit, null);
    }

    /**
     * Adds centers (delivering by {@code dayLimit}, not in {@code excluded}) to the loaded partial
     * set until it covers the order, each time the one with the lowest partial score among those that
     * cover more; returns the set, or null when stuck.
     */
    private int[] cover(long dayLimit, boolean[] excluded) {
        while (uncovered > 0) {
            int bestJ = -1;
            double bestScore = Double.MAX_VALUE;
            long before = uncovered;
            for (int j = 0; j < m; j++) {
                if (p.day[j] > dayLimit || (stockMask[j] & uncoveredMask) == 0 || isOpen(j)
                        || (excluded != null && excluded[j])) {
                    continue;
                }
                double score = trial(-1, j, true);
                if (lastUncovered < before && score < bestScore - EPS) {
                    bestScore = score;
                    bestJ = j;
                }
            }
            if (bestJ < 0) {
                return null;
            }
            int[] next = Arrays.copyOf(open, k + 1);
            next[k] = bestJ;
            load(next, k + 1, true);
        }
        return sortedOpen();
    }

    // ------------------------------------------------------------------ local search

    /**
     * Local search from {@code start}, polishing at every local optimum; null when the start was
     * seen already.
     */
    private Solution improve(int[] start, Set<String> seen) {
        if (!seen.add(Arrays.toString(start))) {
            return null;
        }
        double current = load(start, start.length, false);
        dropUnused();
        Solution best = null;
        Set<String> stuckAt = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int[] next = bestMove(current);
            if (next == null) {
                next = dropAndRepair(current);
            }
            if (next != null) {
                current = load(next, next.length, false);
                dropUnused();
                continue;
            }
            int[] here = sortedOpen();
            if (!stuckAt.add(Arrays.toString(here))) {
                break;
            }
            int[][] neighbours = eliteByScore();
            int[] jump = lookahead(Arrays.copyOf(neighbours, LOOKAHEAD), current);
            if (jump != null) {
                current = load(jump, jump.length, false);
                dropUnused();
                continue;
            }
            Solution polished = polish(here);
            best = better(best, polished);
            Solution neighbour = null;
            for (int[] e : neighbours) {
                if (e != null) {
                    neighbour = better(neighbour, polish(e));
                }
            }
            if (neighbour == null || compare(neighbour, polished) >= 0) {
                break;
            }
            best = better(best, neighbour);
            current = load(neighbour.open, neighbour.open.length, false);
            dropUnused();
        }
        if (best == null) {
            best = polish(sortedOpen());
        }
        seen.add(Arrays.toString(best.open));
        return best;
    }

    /**
     * Two steps at once: from each of the best non-improving neighbours, the best move from there;
     * the best resulting set if it beats {@code current}, else null.
     */
    private int[] lookahead(int[][] neighbours, double current) {
        int[] best = null;
        double bestScore = current;
        for (int[] neighbour : neighbours) {
            if (neighbour == null) {
                continue;
            }
            double score = load(neighbour, neighbour.length, false);
            dropUnused();
            int[] next = bestMove(score);
            if (next == null) {
                continue;
            }
            double nextScore = load(next, next.length, false);
            if (nextScore < bestScore - EPS) {
                bestScore = nextScore;
                best = next;
            }
        }
        return best;
    }

    /**
     * The best improving drop, add or swap, as a new set; null when none improves. Also keeps the
     * {@link #ELITE} best moves in {@link #elite} for polishing.
     */
    private int[] bestMove(double current) {
        Arrays.fill(elite, null);
        Arrays.fill(eliteScore, Double.MAX_VALUE);
        double bestScore = current;
        int bestRemoved = -2;
        int bestAdded = -2;
        long[] critical = new long[k];
        for (int s = 0; s < k; s++) {
            critical[s] = critical(s);
        }
        for (int s = 0; s < k && k > 1; s++) {
            if (critical[s] != 0) {
                continue;
            }
            double score = trial(s, -1, false);
            offer(score, s, -1);
            if (score < bestScore - EPS) {
                bestScore = score;
                bestRemoved = s;
                bestAdded = -1;
            }
        }
        // adds; the best of them are the candidates for swapping out a center that is not critical
        int poolSize = Math.min(swapPool, m);
        int[] pool = new int[poolSize];
        double[] poolScore = new double[poolSize];
        int pooled = 0;
        for (int c = 0; c < m; c++) {
            if (isOpen(c)) {
                addScore[c] = Double.MAX_VALUE;
                continue;
            }
            double score = trial(-1, c, false);
            addScore[c] = score;
            offer(score, -1, c);
            if (score < bestScore - EPS) {
                bestScore = score;
                bestRemoved = -1;
                bestAdded = c;
            }
            if (pooled < poolSize) {
                pool[pooled] = c;
                poolScore[pooled++] = score;
            } else {
                int worst = 0;
                for (int q = 1; q < poolSize; q++) {
                    if (poolScore[q] > poolScore[worst]) {
                        worst = q;
                    }
                }
                if (score < poolScore[worst]) {
                    pool[worst] = c;
                    poolScore[worst] = score;
                }
            }
        }
        boolean[] inPool = new boolean[m];
        for (int q = 0; q < pooled; q++) {
            inPool[pool[q]] = true;
        }
        for (int c = 0; c < m; c++) {
            if (addScore[c] == Double.MAX_VALUE && isOpen(c)) {
                continue;
            }
            for (int s = 0; s < k; s++) {
                if (critical[s] == 0 ? !inPool[c]
                        : (critical[s] & ~stockMask[c]) != 0 || !swapCovers(s, c, critical[s])) {
                    continue;
                }
                double score = trial(s, c, false);
                offer(score, s, c);
                if (score < bestScore - EPS) {
                    bestScore = score;
                    bestRemoved = s;
                    bestAdded = c;
                }
            }
        }
        if (bestAdded == -2) {
            return null;
        }
        return moved(bestRemoved, bestAdded);
    }

    private final int[][] elite = new int[ELITE][];
    private final double[] eliteScore = new double[ELITE];

    /** The elite sets, best proxy score first. */
    private int[][] eliteByScore() {
        Integer[] idx = new Integer[ELITE];
        for (int e = 0; e < ELITE; e++) {
            idx[e] = e;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(eliteScore[a], eliteScore[b]));
        int[][] sorted = new int[ELITE][];
        for (int e = 0; e < ELITE; e++) {
            sorted[e] = elite[idx[e]];
        }
        return sorted;
    }

    private void offer(double score, int removed, int added) {
        if (score == Double.MAX_VALUE) {
            return;
        }
        int worst = 0;
        for (int e = 1; e < ELITE; e++) {
            if (eliteScore[e] > eliteScore[worst]) {
                worst = e;
            }
        }
        if (score < eliteScore[worst]) {
            eliteScore[worst] = score;
            elite[worst] = moved(removed, added);
        }
    }

    /** Replaces one open center by a greedy repair of the lines it alone covered; null when none improves. */
    private int[] dropAndRepair(double current) {
        int[] base = sortedOpen();
        boolean[] excluded = new boolean[m];
        int[] best = null;
        double bestScore = current;
        for (int s = 0; s < base.length; s++) {
            int[] rest = new int[base.length - 1];
            for (int t = 0, r = 0; t < base.length; t++) {
                if (t != s) {
                    rest[r++] = base[t];
                }
            }
            excluded[base[s]] = true;
            load(rest, rest.length, true);
            int[] repaired = cover(Long.MAX_VALUE, excluded);
            excluded[base[s]] = false;
            if (repaired == null) {
                continue;
            }
            double score = load(repaired, repaired.length, false);
            score = prune(score);
            if (score < bestScore - EPS) {
                bestScore = score;
                best = sortedOpen();
            }
        }
        load(base, base.length, false);
        return best;
    }

    /**
     * Fills {@code set} with the proxy, then moves units of a line between open centers while the
     * exact score drops: first the best single move (any amount up to {@link #MAX_AMOUNTS} different
     * amounts), and when none improves, the best pair among the {@link #PAIR_POOL} best single moves
     * (rounding of weight to started kilograms can make two moves pay where neither does alone).
     */
    private Solution polish(int[] set) {
        load(set, set.length, false);
        Polish state = new Polish(Arrays.copyOf(open, k), x);
        int[] poolLine = new int[PAIR_POOL];
        int[] poolFrom = new int[PAIR_POOL];
        int[] poolTo = new int[PAIR_POOL];
        long[] poolAmount = new long[PAIR_POOL];
        double[] poolScore = new double[PAIR_POOL];
        int size = state.centers.length;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            double score = state.score();
            Arrays.fill(poolScore, Double.MAX_VALUE);
            double bestScore = score;
            int bestPool = -1;
            for (int i = 0; i < n; i++) {
                for (int from = 0; from < size; from++) {
                    long have = state.alloc[i][from];
                    if (have == 0) {
                        continue;
                    }
                    for (int to = 0; to < size; to++) {
                        long room = to == from ? 0 : p.avail[i][state.centers[to]] - state.alloc[i][to];
                        long most = Math.min(have, room);
                        for (int a = 0; a < MAX_AMOUNTS && a < most; a++) {
                            long amount = amount(a, most);
                            double s = state.scoreAfter(i, from, to, amount);
                            int worst = 0;
                            for (int q = 1; q < PAIR_POOL; q++) {
                                if (poolScore[q] > poolScore[worst]) {
                                    worst = q;
                                }
                            }
                            if (s < poolScore[worst]) {
                                poolScore[worst] = s;
                                poolLine[worst] = i;
                                poolFrom[worst] = from;
                                poolTo[worst] = to;
                                poolAmount[worst] = amount;
                                if (s < bestScore - EPS) {
                                    bestScore = s;
                                    bestPool = worst;
                                }
                            }
                        }
                    }
                }
            }
            if (bestPool >= 0) {
                state.move(poolLine[bestPool], poolFrom[bestPool], poolTo[bestPool], poolAmount[bestPool]);
                continue;
            }
            int bestA = -1;
            int bestB = -1;
            for (int a = 0; a < PAIR_POOL; a++) {
                if (poolScore[a] == Double.MAX_VALUE) {
                    continue;
                }
                state.move(poolLine[a], poolFrom[a], poolTo[a], poolAmount[a]);
                for (int b = a + 1; b < PAIR_POOL; b++) {
                    if (poolScore[b] == Double.MAX_VALUE || !state.canMove(poolLine[b], poolFrom[b], poolTo[b],
                            poolAmount[b])) {
                        continue;
                    }
                    double s = state.scoreAfter(poolLine[b], poolFrom[b], poolTo[b], poolAmount[b]);
                    if (s < bestScore - EPS) {
                        bestScore = s;
                        bestA = a;
                        bestB = b;
                    }
                }
                state.move(poolLine[a], poolTo[a], poolFrom[a], poolAmount[a]);
            }
            if (bestA < 0) {
                break;
            }
            state.move(poolLine[bestA], poolFrom[bestA], poolTo[bestA], poolAmount[bestA]);
            state.move(poolLine[bestB], poolFrom[bestB], poolTo[bestB], poolAmount[bestB]);
        }
        return compact(state.centers, state.alloc);
    }

    /** An explicit allocation over a few open centers, scored incrementally as units move. */
    private final class Polish {
        final int[] centers;
        final long[][] alloc;
        final long[] grams;
        final long[] units;
        final long[] cost;
        double costSum;
        double linear;

        Polish(int[] centers, long[][] fill) {
            int size = centers.length;
            this.centers = centers;
            this.alloc = new long[n][size];
            this.grams = new long[size];
            this.units = new long[size];
            this.cost = new long[size];
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < size; s++) {
                    long q = fill[i][s];
                    alloc[i][s] = q;
                    grams[s] += q * p.unitGrams[i];
                    units[s] += q;
                    linear += q * coef[i][centers[s]];
                }
            }
            for (int s = 0; s < size; s++) {
                cost[s] = units[s] > 0 ? p.cost(centers[s], grams[s]) : 0;
                costSum += cost[s];
            }
        }

        double score() {
            return combine(costSum, linear, -1, 0, -1, 0);
        }

        boolean canMove(int i, int from, int to, long amount) {
            return alloc[i][from] >= amount && alloc[i][to] + amount <= p.avail[i][centers[to]];
        }

        /** The score after moving {@code amount} units of line {@code i} from slot {@code from} to {@code to}. */
        double scoreAfter(int i, int from, int to, long amount) {
            long g = amount * p.unitGrams[i];
            long fromUnits = units[from] - amount;
            long toUnits = units[to] + amount;
            double c = costSum - cost[from] - cost[to]
                    + (fromUnits > 0 ? p.cost(centers[from], grams[from] - g) : 0)
                    + p.cost(centers[to], grams[to] + g);
            double l = linear + amount * (coef[i][centers[to]] - coef[i][centers[from]]);
            return combine(c, l, from, fromUnits, to, toUnits);
        }

        void move(int i, int from, int to, long amount) {
            long g = amount * p.unitGrams[i];
            alloc[i][from] -= amount;
            alloc[i][to] += amount;
            grams[from] -= g;
            grams[to] += g;
            units[from] -= amount;
            units[to] += amount;
            linear += amount * (coef[i][centers[to]] - coef[i][centers[from]]);
            costSum -= cost[from] + cost[to];
            cost[from] = units[from] > 0 ? p.cost(centers[from], grams[from]) : 0;
            cost[to] = units[to] > 0 ? p.cost(centers[to], grams[to]) : 0;
            costSum += cost[from] + cost[to];
        }

        private double combine(double c, double l, int a, long aUnits, int b, long bUnits) {
            long maxDay = Long.MIN_VALUE;
            for (int s = 0; s < centers.length; s++) {
                long u = s == a ? aUnits : s == b ? bUnits : units[s];
                if (u > 0) {
                    maxDay = Math.max(maxDay, p.day[centers[s]]);
                }
            }
            double costN = p.costRange > 0 ? PlanningProblem.clamp((c - p.costLow) / p.costRange) : 0.0;
            double speedN = p.dayRange > 0 ? (maxDay - p.dayMin) / p.dayRange : 0.0;
            return PlanningProblem.clamp(p.wCost * costN + p.wSpeed * speedN + l);
        }
    }

    /** Drops open centers (the most improving first) while that lowers the score; returns the score. */
    private double prune(double score) {
        while (k > 1) {
            int bestS = -1;
            double bestScore = score;
            for (int s = 0; s < k; s++) {
                if (critical(s) == 0) {
                    double t = trial(s, -1, false);
                    if (t < bestScore - EPS) {
                        bestScore = t;
                        bestS = s;
                    }
                }
            }
            if (bestS < 0) {
                return score;
            }
            score = load(moved(bestS, -1), k - 1, false);
        }
        return score;
    }

    /** The a-th amount to try when up to {@code most} units can move: all of them first, then 1, 2, ... */
    private static long amount(int a, long most) {
        if (a == 0) {
            return most;
        }
        if (most <= MAX_AMOUNTS) {
            return a;
        }
        // large quantities: all, then 1, 2, 4, ... and what is left after those
        long power = 1L << Math.min(62, (a - 1) / 2);
        return (a % 2 == 1) ? Math.min(power, most) : Math.max(1, most - power);
    }

    // ------------------------------------------------------------------ state

    /**
     * Makes {@code set} the current open centers, fills every line with the proxy order and returns
     * the score ({@code Double.MAX_VALUE} when a line is not covered, unless {@code partial}).
     */
    private double load(int[] set, int size, boolean partial) {
        if (open.length < size + 1) {
            allocate(Math.max(size + 1, open.length * 2));
        }
        k = size;
        System.arraycopy(set, 0, open, 0, size);
        Arrays.fill(grams, 0, size, 0);
        Arrays.fill(units, 0, size, 0);
        Arrays.fill(usedMask, 0, size, 0);
        lin = 0;
        uncovered = 0;
        uncoveredMask = 0;
        for (int i = 0; i < n; i++) {
            long[] xi = x[i];
            long[] ai = p.avail[i];
            int[] ri = rank[i];
            int[] oi = ord[i];
            long sum = 0;
            int count = 0;
            for (int s = 0; s < size; s++) {
                xi[s] = 0;
                int j = open[s];
                if (ai[j] > 0) {
                    sum += ai[j];
                    int pos = count++;
                    while (pos > 0 && ri[open[oi[pos - 1]]] > ri[j]) {
                        oi[pos] = oi[pos - 1];
                        pos--;
                    }
                    oi[pos] = s;
                }
            }
            ordCount[i] = count;
            lineSum[i] = sum;
            long rem = p.qty[i];
            int last = Integer.MAX_VALUE;
            for (int t = 0; t < count && rem > 0; t++) {
                int s = oi[t];
                int j = open[s];
                long take = Math.min(rem, ai[j]);
                xi[s] = take;
                rem -= take;
                grams[s] += take * p.unitGrams[i];
                units[s] += take;
                usedMask[s] |= 1L << i;
                lin += take * coef[i][j];
                last = ri[j];
            }
            if (rem > 0) {
                uncovered += rem;
                uncoveredMask |= 1L << i;
                last = Integer.MAX_VALUE;
            }
            lastRank[i] = last;
        }
        lastUncovered = uncovered;
        baseCost = 0;
        for (int s = 0; s < size; s++) {
            slotCost[s] = units[s] > 0 ? p.cost(open[s], grams[s]) : 0;
            baseCost += slotCost[s];
        }
        if (uncovered > 0 && !partial) {
            return Double.MAX_VALUE;
        }
        return scoreOf(-1, -1, 0, 0, lin, uncovered, 0);
    }

    /**
     * The score of the current set with slot {@code removed} taken out (-1: none) and center
     * {@code added} put in (-1: none). Only lines the change can alter are re-filled: those the
     * removed center ships, and those the added center stocks and ranks before the line's last used
     * center (or that are not covered).
     */
    private double trial(int removed, int added, boolean partial) {
        long affected = removed >= 0 ? usedMask[removed] : 0;
        if (added >= 0) {
            for (long bits = stockMask[added] & ~affected; bits != 0; bits &= bits - 1) {
                int i = Long.numberOfTrailingZeros(bits);
                if (rank[i][added] < lastRank[i]) {
                    affected |= 1L << i;
                }
            }
        }
        System.arraycopy(grams, 0, tg, 0, k);
        System.arraycopy(units, 0, tu, 0, k);
        int touchedCount = 0;
        long addedGrams = 0;
        long addedUnits = 0;
        double tl = lin;
        long tUncovered = uncovered;
        for (long bits = affected; bits != 0; bits &= bits - 1) {
            int i = Long.numberOfTrailingZeros(bits);
            long[] xi = x[i];
            long[] ai = p.avail[i];
            double[] ci = coef[i];
            int[] oi = ord[i];
            int[] ri = rank[i];
            long g = p.unitGrams[i];
            int count = ordCount[i];
            long rem = p.qty[i];
            for (int t = 0; t < count; t++) {
                int s = oi[t];
                long xs = xi[s];
                if (xs == 0) {
                    break;
                }
                rem -= xs;
                tg[s] -= xs * g;
                tu[s] -= xs;
                tl -= xs * ci[open[s]];
                if (!isTouched[s]) {
                    isTouched[s] = true;
                    touched[touchedCount++] = s;
                }
            }
            tUncovered -= rem;
            rem = p.qty[i];
            int addedRank = added >= 0 && ai[added] > 0 ? ri[added] : Integer.MAX_VALUE;
            int t = 0;
            while (rem > 0 && (t < count || addedRank != Integer.MAX_VALUE)) {
                if (addedRank != Integer.MAX_VALUE && (t >= count || addedRank < ri[open[oi[t]]])) {
                    long take = Math.min(rem, ai[added]);
                    rem -= take;
                    addedGrams += take * g;
                    addedUnits += take;
                    tl += take * ci[added];
                    addedRank = Integer.MAX_VALUE;
                    continue;
                }
                int s = oi[t++];
                if (s == removed) {
                    continue;
                }
                int j = open[s];
                long take = Math.min(rem, ai[j]);
                rem -= take;
                tg[s] += take * g;
                tu[s] += take;
                tl += take * ci[j];
                if (!isTouched[s]) {
                    isTouched[s] = true;
                    touched[touchedCount++] = s;
                }
            }
            if (rem > 0 && !partial) {
                untouch(touchedCount);
                lastUncovered = rem;
                return Double.MAX_VALUE;
            }
            tUncovered += rem;
        }
        lastUncovered = tUncovered;
        if (tUncovered > 0 && !partial) {
            untouch(touchedCount);
            return Double.MAX_VALUE;
        }
        return scoreOf(removed, added, addedGrams, addedUnits, tl, tUncovered, touchedCount);
    }

    private void untouch(int touchedCount) {
        for (int t = 0; t < touchedCount; t++) {
            isTouched[touched[t]] = false;
        }
    }

    /**
     * The score of the current state changed by a trial: the {@code touchedCount} slots in
     * {@link #touched} now weigh {@link #tg} and hold {@link #tu}; slot {@code removed} (-1: none) is
     * closed; center {@code added} (-1: none) ships {@code addedGrams}. Only changed shipments are
     * priced again.
     */
    private double scoreOf(int removed, int added, long addedGrams, long addedUnits, double linear,
            long notCovered, int touchedCount) {
        double cost = baseCost;
        for (int t = 0; t < touchedCount; t++) {
            int s = touched[t];
            isTouched[s] = false;
            cost -= slotCost[s];
            if (s != removed && tu[s] > 0) {
                cost += p.cost(open[s], tg[s]);
            }
        }
        if (removed >= 0 && !isTouchedSlot(removed, touchedCount)) {
            cost -= slotCost[removed];
        }
        long maxDay = Long.MIN_VALUE;
        boolean any = false;
        long[] u = touchedCount > 0 ? tu : units;
        for (int s = 0; s < k; s++) {
            long su = touchedCount > 0 ? u[s] : units[s];
            if (s != removed && su > 0) {
                maxDay = Math.max(maxDay, p.day[open[s]]);
                any = true;
            }
        }
        if (added >= 0 && addedUnits > 0) {
            cost += p.cost(added, addedGrams);
            maxDay = Math.max(maxDay, p.day[added]);
            any = true;
        }
        double costN = p.costRange > 0 ? PlanningProblem.clamp((cost - p.costLow) / p.costRange) : 0.0;
        double speedN = p.dayRange > 0 && any ? (maxDay - p.dayMin) / p.dayRange : 0.0;
        double score = PlanningProblem.clamp(p.wCost * costN + p.wSpeed * speedN + linear);
        if (notCovered > 0) {
            score += PlanningProblem.UNCOVERED_PENALTY * notCovered / total;
        }
        return score;
    }

    private boolean isTouchedSlot(int slot, int touchedCount) {
        for (int t = 0; t < touchedCount; t++) {
            if (touched[t] == slot) {
                return true;
            }
        }
        return false;
    }

    /** The lines only slot {@code s} lets the current set cover (bit i). */
    private long critical(int s) {
        long mask = 0;
        int j = open[s];
        for (long bits = stockMask[j]; bits != 0; bits &= bits - 1) {
            int i = Long.numberOfTrailingZeros(bits);
            if (lineSum[i] - p.avail[i][j] < p.qty[i]) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    private boolean swapCovers(int s, int c, long critical) {
        int j = open[s];
        for (long bits = critical; bits != 0; bits &= bits - 1) {
            int i = Long.numberOfTrailingZeros(bits);
            if (lineSum[i] - p.avail[i][j] + p.avail[i][c] < p.qty[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean isOpen(int j) {
        for (int s = 0; s < k; s++) {
            if (open[s] == j) {
                return true;
            }
        }
        return false;
    }

    /** The current set with slot {@code removed} (-1: none) out and {@code added} (-1: none) in, sorted. */
    private int[] moved(int removed, int added) {
        int[] next = new int[k + (added >= 0 ? 1 : 0) - (removed >= 0 ? 1 : 0)];
        int t = 0;
        for (int s = 0; s < k; s++) {
            if (s != removed) {
                next[t++] = open[s];
            }
        }
        if (added >= 0) {
            next[t] = added;
        }
        Arrays.sort(next);
        return next;
    }

    /** Closes the open centers that ship nothing (the fill does not change). */
    private void dropUnused() {
        int used = 0;
        for (int s = 0; s < k; s++) {
            if (units[s] > 0) {
                used++;
            }
        }
        if (used == k) {
            return;
        }
        int[] set = new int[used];
        for (int s = 0, t = 0; s < k; s++) {
            if (units[s] > 0) {
                set[t++] = open[s];
            }
        }
        load(set, used, true);
    }

    private int[] sortedOpen() {
        int[] set = Arrays.copyOf(open, k);
        Arrays.sort(set);
        return set;
    }

    /** Drops centers that ship nothing and sorts by center. */
    private Solution compact(int[] centers, long[][] alloc) {
        Integer[] slots = new Integer[centers.length];
        int used = 0;
        for (int s = 0; s < centers.length; s++) {
            for (int i = 0; i < n; i++) {
                if (alloc[i][s] > 0) {
                    slots[used++] = s;
                    break;
                }
            }
        }
        Integer[] keep = Arrays.copyOf(slots, used);
        Arrays.sort(keep, (a, b) -> Integer.compare(centers[a], centers[b]));
        int[] usedOpen = new int[used];
        long[][] usedX = new long[n][used];
        for (int t = 0; t < used; t++) {
            usedOpen[t] = centers[keep[t]];
            for (int i = 0; i < n; i++) {
                usedX[i][t] = alloc[i][keep[t]];
            }
        }
        return new Solution(usedOpen, usedX, p.score(usedOpen, used, usedX, null));
    }

    // ------------------------------------------------------------------ order

    /** The better of two solutions: score, then fewer shipments, then lower center ids, then allocation. */
    static Solution better(Solution a, Solution b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return compare(a, b) <= 0 ? a : b;
    }

    static int compare(Solution a, Solution b) {
        if (Math.abs(a.score - b.score) > EPS) {
            return Double.compare(a.score, b.score);
        }
        if (a.open.length != b.open.length) {
            return Integer.compare(a.open.length, b.open.length);
        }
        for (int s = 0; s < a.open.length; s++) {
            if (a.open[s] != b.open[s]) {
                return Integer.compare(a.open[s], b.open[s]);
            }
        }
        for (int i = 0; i < a.x.length; i++) {
            for (int s = 0; s < a.open.length; s++) {
                if (a.x[i][s] != b.x[i][s]) {
                    return Long.compare(b.x[i][s], a.x[i][s]);
                }
            }
        }
        return 0;
    }
}
