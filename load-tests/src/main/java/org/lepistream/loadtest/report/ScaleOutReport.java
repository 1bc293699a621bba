package org.lepistream.loadtest.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.lepistream.loadtest.generator.LoadResult;
import org.lepistream.loadtest.generator.MachineLoad;
import org.lepistream.loadtest.scaleout.ScaleOutExperiment;

/** Markdown and plots of a scale-out run: throughput per instance count, and the rebalance timeline. */
public final class ScaleOutReport {

    private ScaleOutReport() {
    }

    /** Writes scale-out.md, scale-out-throughput.png, one timeline PNG per step and rebalance.png; returns the .md. */
    public static Path write(List<ScaleOutExperiment.Step> steps, ScaleOutExperiment.Rebalance rebalance, String setup,
            String command, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder md = new StringBuilder("# Scale-out run, ").append(Instant.now()).append("\n\n");
        md.append("- command: `").append(command).append("`\n");
        md.append("- setup: ").append(setup).append('\n');
        md.append("- machine: ").append(MachineLoad.cores()).append(" cores\n\n");
        if (!steps.isEmpty()) {
            md.append("## Throughput by instance count\n\n");
            md.append("| instances | sightings | results/s steady (p10–p90) | results/s first send → last result"
                    + " | p50 ms | p99 ms | exactly once (audit) | load avg before | load avg after |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            double[] x = new double[steps.size()];
            double[] steady = new double[steps.size()];
            double[] overall = new double[steps.size()];
            for (int i = 0; i < steps.size(); i++) {
                ScaleOutExperiment.Step s = steps.get(i);
                LoadResult r = s.measured();
                Histogram h = r.tracker().latencyMicros();
                x[i] = s.instances();
                steady[i] = r.tracker().steadyThroughput();
                overall[i] = r.overallThroughput();
                md.append("| ").append(s.instances()).append(" | ").append(r.tracker().sentCount()).append(" | ")
                        .append(LoadReport.fmt(steady[i])).append(" | ").append(LoadReport.fmt(overall[i])).append(" | ")
                        .append(LoadReport.ms(h.getValueAtPercentile(50))).append(" | ")
                        .append(LoadReport.ms(h.getValueAtPercentile(99))).append(" | ")
                        .append(s.audit().exactlyOnce() ? "yes" : "**no**: " + s.audit()).append(" | ")
                        .append(r.loadBefore()).append(" | ").append(r.loadAfter()).append(" |\n");
                String png = "scale-out-k" + s.instances() + ".png";
                Plots.throughput(s.instances() + " instance(s): throughput over time", r.tracker().timeline())
                        .writePng(dir.resolve(png));
            }
            new LineChart("Throughput by instance count", "service instances (processes)", "results per second")
                    .add(new LineChart.Series("steady (p10–p90)", new Color(31, 119, 180), x, steady))
                    .add(new LineChart.Series("first send → last result", new Color(120, 120, 120), x, overall))
                    .xTicks(x, v -> String.valueOf((int) v))
                    .writePng(dir.resolve("scale-out-throughput.png"));
            md.append("\n![throughput by instance count](scale-out-throughput.png)\n\n");
            for (ScaleOutExperiment.Step s : steps) {
                md.append("![").append(s.instances()).append(" instances over time](scale-out-k").append(s.instances())
                        .append(".png)\n");
            }
            md.append("\nBusiest processes when the first step started (ps, %CPU RSS command):\n\n```\n")
                    .append(steps.get(0).processes()).append("\n```\n\n");
        }
        if (rebalance != null) {
            LoadResult r = rebalance.measured();
            md.append("## Rebalance under load: one instance SIGKILLed, one added\n\n");
            md.append("| sightings (warm-up + load) | output records | missing | duplicated | unexpected | exactly once |"
                    + " results/s overall | p50 ms | p99 ms | max ms | load avg before | load avg after |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            Histogram h = r.tracker().latencyMicros();
            ScaleOutExperiment.Rebalance b = rebalance;
            md.append("| ").append(b.warmup().tracker().sentCount() + r.tracker().sentCount()).append(" | ")
                    .append(b.audit().records()).append(" | ").append(b.audit().missing().size()).append(" | ")
                    .append(b.audit().duplicated().size()).append(" | ").append(b.audit().unexpected().size())
                    .append(" | ").append(b.audit().exactlyOnce() ? "**yes**" : "**no**").append(" | ")
                    .append(LoadReport.fmt(r.overallThroughput())).append(" | ")
                    .append(LoadReport.ms(h.getValueAtPercentile(50))).append(" | ")
                    .append(LoadReport.ms(h.getValueAtPercentile(99))).append(" | ")
                    .append(LoadReport.ms(h.getMaxValue())).append(" | ")
                    .append(r.loadBefore()).append(" | ").append(r.loadAfter()).append(" |\n\nEvents:\n\n");
            LineChart chart = Plots.throughput("Rebalance under load", r.tracker().timeline());
            for (ScaleOutExperiment.Event e : b.events()) {
                md.append(String.format(java.util.Locale.ROOT, "- at %.1f s (%d results so far): %s%n", e.seconds(),
                        e.completedBefore(), e.what()));
                chart.marker(e.seconds(), e.what().replaceAll(" \\(pid.*", ""));
            }
            chart.writePng(dir.resolve("rebalance.png"));
            md.append("\n![rebalance timeline](rebalance.png)\n\nBusiest processes when it started:\n\n```\n")
                    .append(b.processes()).append("\n```\n");
        }
        Path file = dir.resolve("scale-out.md");
        Files.writeString(file, md, StandardCharsets.UTF_8);
        return file;
    }
}
