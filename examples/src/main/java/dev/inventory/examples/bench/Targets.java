package dev.inventory.examples.bench;

import java.util.List;
import java.util.function.Supplier;

/** The contenders of each store: ours first, then its raw-driver baseline. */
final class Targets {
    private Targets() {
    }

    static List<Supplier<BenchTarget>> of(String store) {
        return switch (store) {
            case "memory" -> List.of(MemoryTargets.Ours::new, MemoryTargets.Baseline::new);
            default -> throw new IllegalArgumentException("store must be one of [memory], was " + store);
        };
    }
}
