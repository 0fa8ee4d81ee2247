package dev.inventory.examples.bench;

import java.util.List;

/**
 * The one small interface every contender implements: our stores and the raw-driver baselines
 * alike, so every scenario runs the same calls on both and reports ours / baseline.
 */
interface BenchTarget extends AutoCloseable {

    /** {@code "memory"}, {@code "postgres"}, {@code "redis"}, ... */
    String store();

    /** {@code "ours"} or {@code "baseline"}. */
    String contender();

    /** Creates every SKU with {@code stockEach} units at the bench location. */
    void seed(List<String> skus, long stockEach) throws Exception;

    /** Holds {@code quantityEach} of every SKU under {@code id}, all or nothing; true when held. */
    boolean reserve(String id, List<String> skus, long quantityEach) throws Exception;

    /** Confirms the hold {@code id}; true when confirmed. */
    boolean confirm(String id) throws Exception;

    /** What a product page would show for {@code sku}. */
    long available(String sku) throws Exception;

    /** Units of {@code sku} promised to holds (reserved + allocated), for the oversell check. */
    long promised(String sku) throws Exception;

    @Override
    void close() throws Exception;
}
