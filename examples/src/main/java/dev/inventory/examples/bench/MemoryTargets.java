package dev.inventory.examples.bench;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.memory.InMemoryInventoryStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The in-memory contenders: our store behind the public API, and a ConcurrentHashMap with a CAS loop. */
final class MemoryTargets {
    static final LocationId LOCATION = LocationId.of("BENCH");

    private MemoryTargets() {
    }

    /** Ours: {@link Inventory} over {@link InMemoryInventoryStore}, events on, no listeners. */
    static final class Ours implements BenchTarget {
        final Inventory inventory = Inventory.builder().store(InMemoryInventoryStore.create()).withoutSweeper().build();

        @Override
        public String store() {
            return "memory";
        }

        @Override
        public String contender() {
            return "ours";
        }

        @Override
        public void seed(List<String> skus, long stockEach) {
            for (String sku : skus) {
                inventory.stock().receive(Sku.of(sku), LOCATION, stockEach);
            }
        }

        @Override
        public boolean reserve(String id, List<String> skus, long quantityEach) {
            var b = ReservationRequest.builder(id);
            for (String sku : skus) {
                b.line(Sku.of(sku), LOCATION, quantityEach);
            }
            return inventory.reservations().reserve(b.build()).isSuccess();
        }

        @Override
        public boolean confirm(String id) {
            return inventory.reservations().confirm(ReservationId.of(id)).isSuccess();
        }

        @Override
        public long available(String sku) {
            return inventory.availability(Sku.of(sku)).available();
        }

        @Override
        public long promised(String sku) {
            StockLevel l = inventory.level(Sku.of(sku), LOCATION).orElseThrow();
            return l.reserved() + l.allocated();
        }

        @Override
        public void close() {
            inventory.close();
        }
    }

    /**
     * Baseline: what a host would hand-write: available per SKU in a ConcurrentHashMap of AtomicLong,
     * decremented with a compare-and-set loop, holds in a second map. No events, no ledger, no
     * expiry index, no per-line rollback beyond the obvious.
     */
    static final class Baseline implements BenchTarget {
        final ConcurrentHashMap<String, AtomicLong> available = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, AtomicLong> promised = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Hold> holds = new ConcurrentHashMap<>();

        record Hold(List<String> skus, long quantity, boolean confirmed) {
        }

        @Override
        public String store() {
            return "memory";
        }

        @Override
        public String contender() {
            return "baseline";
        }

        @Override
        public void seed(List<String> skus, long stockEach) {
            for (String sku : skus) {
                available.put(sku, new AtomicLong(stockEach));
                promised.put(sku, new AtomicLong());
            }
        }

        @Override
        public boolean reserve(String id, List<String> skus, long quantityEach) {
            if (holds.containsKey(id)) {
                return true;
            }
            for (int i = 0; i < skus.size(); i++) {
                AtomicLong a = available.get(skus.get(i));
                long v;
                do {
                    v = a.get();
                    if (v < quantityEach) {
                        for (int j = 0; j < i; j++) {
                            available.get(skus.get(j)).addAndGet(quantityEach);
                        }
                        return false;
                    }
                } while (!a.compareAndSet(v, v - quantityEach));
            }
            for (String sku : skus) {
                promised.get(sku).addAndGet(quantityEach);
            }
            holds.put(id, new Hold(skus, quantityEach, false));
            return true;
        }

        @Override
        public boolean confirm(String id) {
            Hold h = holds.get(id);
            return h != null && holds.replace(id, h, new Hold(h.skus(), h.quantity(), true));
        }

        @Override
        public long available(String sku) {
            return available.get(sku).get();
        }

        @Override
        public long promised(String sku) {
            return promised.get(sku).get();
        }

        @Override
        public void close() {
        }
    }
}
