package dev.inventory.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Runs one demo by name: {@code quickstart} (default), {@code flash-sale}, {@code pipeline}, {@code bench}, {@code jmh}. */
public final class Demo {
    private Demo() {
    }

    /** A runnable demo printing to a stream. */
    interface Runnable {
        void run(String[] args, PrintStream out) throws Exception;
    }

    static Map<String, Runnable> demos() {
        Map<String, Runnable> demos = new TreeMap<>();
        demos.put("quickstart", (args, out) -> new Quickstart(out).run());
        demos.put("fulfillment", (args, out) -> new FulfillmentDemo(out).run());
        demos.put("flash-sale", FlashSaleDemo::main);
        demos.put("pipeline", PipelineDemo::main);
        demos.put("bench", dev.inventory.examples.bench.Bench::run);
        demos.put("jmh", (args, out) -> org.openjdk.jmh.Main.main(args));
        return demos;
    }

    /** Entry point: {@code Demo <name> [args...]}. */
    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "quickstart" : args[0];
        Runnable demo = demos().get(name);
        if (demo == null) {
            System.err.println("unknown demo '" + name + "'; choose one of " + demos().keySet());
            System.exit(2);
        }
        demo.run(Arrays.copyOfRange(args, Math.min(1, args.length), args.length), System.out);
    }
}
