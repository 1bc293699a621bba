package org.lepistream.loadtest.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.lepistream.loadtest.generator.LoadResult;
import org.lepistream.loadtest.generator.MachineLoad;
import org.lepistream.loadtest.measure.LatencyTracker;

/** A load run as markdown (settings, counts, throughput, latency percentiles) plus its PNG plots and .hgrm file. */
public final class LoadReport {

    private LoadReport() {
    }

    /** Writes report.md, throughput.png, latency.png and latency.hgrm into {@code dir}; returns report.md. */
    public static Path write(LoadResult result, String command, Path dir) throws IOException {
        Files.createDirectories(dir);
        LatencyTracker t = result.tracker();
        Plots.throughput("Throughput — " + result.runId(), t.timeline()).writePng(dir.resolve("throughput.png"));
        Plots.latency("Latency percentiles — " + result.runId(), t.latencyMicros()).writePng(dir.resolve("latency.png"));
        Files.writeString(dir.resolve("latency.hgrm"), hgrm(t.latencyMicros()));
        Path md = dir.resolve("report.md");
        Files.writeString(md, markdown(result, command), StandardCharsets.UTF_8);
        return md;
    }

    /** The markdown text (links refer to the PNGs written beside it). */
    public static String markdown(LoadResult result, String command) {
        LatencyTracker t = result.tracker();
        StringBuilder md = new StringBuilder();
        md.append("# Load test ").append(result.runId()).append("\n\n");
        md.append("- started: ").append(result.startedAt()).append('\n');
        md.append("- command: `").append(command).append("`\n");
        md.append("- workload: ").append(result.workload()).append('\n');
        md.append("- target: ").append(result.settings().sightingsTopic()).append(" → ")
                .append(String.join(" ∪ ", result.settings().outputTopics())).append('\n');
        md.append("- rate: ").append(result.settings().rate() == 0 ? "flat out"
                : fmt(result.settings().rate()) + " sightings/s (open loop)").append('\n');
        md.append("- machine: ").append(MachineLoad.cores()).append(" cores; load average (1/5/15 min) before ")
                .append(result.loadBefore()).append(", after ").append(result.loadAfter()).append("\n\n");
        md.append("## Counts\n\n| sent | with a result | no result | duplicated | send failures | ")
                .append(t.outcomes().keySet().stream().collect(Collectors.joining(" | "))).append(" |\n|");
        md.append("---|".repeat(5 + t.outcomes().size())).append('\n');
        md.append("| ").append(t.sentCount()).append(" | ").append(t.completedCount()).append(" | ")
                .append(t.pendingCount()).append(" | ").append(t.duplicates().size()).append(" | ")
                .append(t.sendFailures().size()).append(" | ")
                .append(t.outcomes().values().stream().map(String::valueOf).collect(Collectors.joining(" | ")))
                .append(" |\n\n");
        md.append(result.exactlyOnce() ? "Every sighting has exactly one result.\n\n"
                : "**Not every sighting has exactly one result** (see the counts above).\n\n");
        if (!t.sendFailures().isEmpty()) {
            Map.Entry<String, String> first = t.sendFailures().entrySet().iterator().next();
            md.append("First send failure: ").append(first.getKey()).append(": ").append(first.getValue()).append("\n\n");
        }
        md.append("## Throughput\n\n| offered (sent/s) | results/s, first send → last result | results/s, steady (p10–p90 of completions) |\n|---|---|---|\n");
        md.append("| ").append(fmt(result.offeredRate())).append(" | ").append(fmt(result.overallThroughput()))
                .append(" | ").append(fmt(t.steadyThroughput())).append(" |\n\n");
        md.append("![throughput over time](throughput.png)\n\n");
        Histogram h = t.latencyMicros();
        md.append("## Latency, sent → result visible (read_committed), ms\n\n");
        md.append("| n | mean | p50 | p90 | p95 | p99 | p99.9 | max |\n|---|---|---|---|---|---|---|---|\n");
        md.append("| ").append(h.getTotalCount()).append(" | ").append(ms(h.getMean()));
        for (double p : new double[] {50, 90, 95, 99, 99.9}) {
            md.append(" | ").append(ms(h.getValueAtPercentile(p)));
        }
        md.append(" | ").append(ms(h.getMaxValue())).append(" |\n\n");
        md.append("![latency percentiles](latency.png)\n\nFull distribution: `latency.hgrm` (HdrHistogram, microseconds).\n");
        return md.toString();
    }

    static String hgrm(Histogram micros) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            micros.outputPercentileDistribution(out, 5, 1.0);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "n/a";
    }

    static String ms(double micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }
}
