package dev.inventory.examples.bench;

/**
 * One measured line: a scenario on one store for one contender.
 *
 * @param scenario scenario name
 * @param store memory, postgres, redis, tiered
 * @param contender ours or baseline
 * @param threads concurrency
 * @param operations operations completed
 * @param successes operations that succeeded (holds made, reads served)
 * @param seconds measured wall time
 * @param throughput operations per second
 * @param p50Micros median latency
 * @param p99Micros 99th percentile latency
 * @param p999Micros 99.9th percentile latency
 * @param oversold units promised beyond the stock (must be 0)
 */
record Result(String scenario, String store, String contender, int threads, long operations, long successes,
        double seconds, double throughput, double p50Micros, double p99Micros, double p999Micros, long oversold) {
}
