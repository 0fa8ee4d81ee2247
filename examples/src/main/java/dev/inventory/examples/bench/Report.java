package dev.inventory.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** Writes the results as JSON, a Markdown table (ours / baseline) and a PNG bar chart. */
final class Report {
    private Report() {
    }

    static Optional<Result> baselineOf(Result ours, List<Result> all) {
        return all.stream().filter(r -> r.contender().equals("baseline") && r.scenario().equals(ours.scenario())
                && r.store().equals(ours.store())).findFirst();
    }

    static String markdown(List<Result> results, Map<String, String> meta) {
        StringBuilder b = new StringBuilder();
        meta.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append('\n');
        b.append("| scenario | store | threads | ours ops/s | baseline ops/s | ours / baseline | ours p50 µs | ours p99 µs "
                + "| ours p99.9 µs | baseline p50 µs | baseline p99 µs | baseline p99.9 µs | oversold |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result ours : results) {
            if (!ours.contender().equals("ours")) {
                continue;
            }
            Optional<Result> base = baselineOf(ours, results);
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %s | %s | %.1f | %.1f | %.1f | %s | %s | %s | %d |%n",
                    ours.scenario(), ours.store(), ours.threads(), ours.throughput(),
                    base.map(r -> String.format(Locale.ROOT, "%,.0f", r.throughput())).orElse("-"),
                    base.map(r -> String.format(Locale.ROOT, "%.2f", ours.throughput() / r.throughput())).orElse("-"),
                    ours.p50Micros(), ours.p99Micros(), ours.p999Micros(),
                    base.map(r -> String.format(Locale.ROOT, "%.1f", r.p50Micros())).orElse("-"),
                    base.map(r -> String.format(Locale.ROOT, "%.1f", r.p99Micros())).orElse("-"),
                    base.map(r -> String.format(Locale.ROOT, "%.1f", r.p999Micros())).orElse("-"),
                    ours.oversold() + base.map(Result::oversold).orElse(0L)));
        }
        return b.toString();
    }

    static void write(Path dir, List<Result> results, Map<String, String> meta) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("meta", meta);
        doc.put("results", results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), doc);
        Files.writeString(dir.resolve("results.md"), markdown(results, meta));
        chart(dir.resolve("throughput.png"), results);
    }

    static void chart(Path png, List<Result> results) throws IOException {
        List<String> labels = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        List<Double> base = new ArrayList<>();
        for (Result r : results) {
            if (r.contender().equals("ours")) {
                labels.add(r.scenario() + " / " + r.store());
                ours.add(r.throughput());
                base.add(baselineOf(r, results).map(Result::throughput).orElse(0.0));
            }
        }
        if (labels.isEmpty()) {
            return;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
                .title("Throughput, ours vs raw-driver baseline (ops/s, log scale)").xAxisTitle("scenario / store")
                .yAxisTitle("ops/s").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(1.0);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.addSeries("ours", labels, ours);
        chart.addSeries("baseline", labels, base.stream().map(v -> v == 0 ? 1.0 : v).toList());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
