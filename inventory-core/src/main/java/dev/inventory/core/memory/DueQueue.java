package dev.inventory.core.memory;

import dev.inventory.core.ReservationId;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The ACTIVE and PENDING holds of one level in expiry order (expiry, then id), guarded by the
 * level's lock. A sorted window of two parallel arrays: the expiry is stored as primitives (second
 * and nano side by side in one array, one cache line for both) so an insert or a lookup compares
 * numbers in contiguous memory instead of following a tree node, a record and an {@link Instant}
 * per step. Holds usually arrive in expiry order (equal hold durations), so an
 * insert is an append; the oldest leaves from the front in O(1); any other removal shifts the
 * shorter side of the window.
 *
 * <p>It extends {@link AbstractQueuedSynchronizer} only so that a level's cell, which is its own
 * lock, can be its own queue too ({@code Cell extends DueQueue}): the queue's fields then share the
 * cell's object, one cache miss less per reserve. A queue alone never uses the synchronizer.
 */
class DueQueue extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;
    private static final long[] NO_TIMES = new long[0];
    private static final ReservationId[] NO_IDS = new ReservationId[0];

    /** Entry i's second at {@code 2i}, its nano at {@code 2i + 1}. */
    private transient long[] times = NO_TIMES;
    private transient ReservationId[] ids = NO_IDS;
    private transient int start;
    private transient int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The expiry of the {@code i}-th oldest entry. */
    Instant expiresAt(int i) {
        int at = start + i;
        return Instant.ofEpochSecond(times[2 * at], times[2 * at + 1]);
    }

    /** The second of expiry of the {@code i}-th oldest entry. */
    long second(int i) {
        return times[2 * (start + i)];
    }

    /** The id of the {@code i}-th oldest entry. */
    ReservationId id(int i) {
        return ids[start + i];
    }

    /** Whether the {@code i}-th oldest entry is due at {@code now} (expiry at or before it). */
    boolean isDue(int i, Instant now) {
        int at = start + i;
        long s = times[2 * at];
        return s < now.getEpochSecond() || (s == now.getEpochSecond() && times[2 * at + 1] <= now.getNano());
    }

    void add(Instant expiresAt, ReservationId id) {
        long s = expiresAt.getEpochSecond();
        int n = expiresAt.getNano();
        int end = start + size;
        if (size == 0 || compare(end - 1, s, n, id) < 0) {
            ensureTail();
            put(start + size, s, n, id);
            size++;
            return;
        }
        ensureTail(); // first: it may move the window
        int pos = search(s, n, id);
        if (pos >= 0) {
            return; // already there
        }
        int at = -pos - 1;
        end = start + size;
        System.arraycopy(times, 2 * at, times, 2 * (at + 1), 2 * (end - at));
        System.arraycopy(ids, at, ids, at + 1, end - at);
        put(at, s, n, id);
        size++;
    }

    /** Removes the entry, if present. */
    void remove(Instant expiresAt, ReservationId id) {
        if (size == 0) {
            return;
        }
        int at = search(expiresAt.getEpochSecond(), expiresAt.getNano(), id);
        if (at < 0) {
            return;
        }
        int end = start + size;
        if (at - start < end - 1 - at) {
            // closer to the front: move the front part one step right
            System.arraycopy(times, 2 * start, times, 2 * (start + 1), 2 * (at - start));
            System.arraycopy(ids, start, ids, start + 1, at - start);
            ids[start] = null;
            start++;
        } else {
            System.arraycopy(times, 2 * (at + 1), times, 2 * at, 2 * (end - 1 - at));
            System.arraycopy(ids, at + 1, ids, at, end - 1 - at);
            ids[end - 1] = null;
        }
        size--;
        if (size == 0) {
            start = 0;
        }
    }

    private void put(int at, long s, int n, ReservationId id) {
        times[2 * at] = s;
        times[2 * at + 1] = n;
        ids[at] = id;
    }

    /** Makes room for one more entry after the window. */
    private void ensureTail() {
        if (start + size < ids.length) {
            return;
        }
        if (start > 0 && size <= ids.length / 2) {
            System.arraycopy(times, 2 * start, times, 0, 2 * size);
            System.arraycopy(ids, start, ids, 0, size);
            Arrays.fill(ids, size, start + size, null);
            start = 0;
            return;
        }
        int capacity = Math.max(4, ids.length * 2);
        times = Arrays.copyOf(times, 2 * capacity);
        ids = Arrays.copyOf(ids, capacity);
    }

    /** Binary search in the window: the index, or {@code -(insertion point) - 1}. */
    private int search(long s, int n, ReservationId id) {
        int lo = start;
        int hi = start + size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(mid, s, n, id);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** The entry at {@code at} compared with (s, n, id). */
    private int compare(int at, long s, int n, ReservationId id) {
        int c = Long.compare(times[2 * at], s);
        if (c == 0) {
            c = Long.compare(times[2 * at + 1], n);
        }
        return c != 0 ? c : ids[at].compareTo(id);
    }
}
