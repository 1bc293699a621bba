package org.lepistream.vision.benchmark;

import java.util.List;
import java.util.Locale;
import org.lepistream.vision.benchmark.InferenceBenchmark.RssSample;
import org.lepistream.vision.benchmark.InferenceBenchmark.Soak;
import org.lepistream.vision.benchmark.InferenceBenchmark.Throughput;

/**
 * A benchmark run written up as a markdown section: what ran where (command, machine, load, threads), the throughput
 * table and the soak's memory series. The load average is there because the numbers mean little on a busy machine.
 *
 * @param agreement one line per engine after the first: how far its outputs are from the first engine's
 * @param soak null when no soak ran
 */
public record BenchmarkReport(String startedAt, String command, String model, String pool, int nproc,
        String loadAtStart, String loadAtEnd, String threads, String jvm, List<String> agreement,
        List<Throughput> throughput, Soak soak) {

    public BenchmarkReport {
        agreement = List.copyOf(agreement);
        throughput = List.copyOf(throughput);
    }

    /** The section, starting with a level-3 heading. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("### Inference benchmark: ").append(model).append("\n\n");
        md.append("- command: `").append(command).append("`\n");
        md.append("- started: ").append(startedAt).append("\n");
        md.append("- machine: nproc ").append(nproc).append("; load average (1/5/15 min) ").append(loadAtStart)
                .append(" at start, ").append(loadAtEnd).append(" at end\n");
        md.append("- threads: ").append(threads).append("\n");
        md.append("- JVM: ").append(jvm).append("\n");
        md.append("- photos: ").append(pool).append("; decoded once, outside the timings; ")
                .append(InferenceBenchmark.WARMUP_BATCHES).append(" untimed warm-up batches before each measurement\n");
        md.append("- path: `Identifier.analyse` (resize + normalise, classifier, rank probabilities, attention maps, ")
                .append("segmenter mask) on one thread\n");
        for (String line : agreement) {
            md.append("- outputs: ").append(line).append("\n");
        }
        md.append("\n");
        md.append("| engine | batch | batches | images | img/s | ms/batch median | ms/batch p90 | ms/image (median) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Throughput t : throughput) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.2f |%n", t.engine(),
                    t.batch(), t.batches(), t.images(), t.imagesPerSecond(), t.medianMs(), t.p90Ms(), t.medianMs() / t.batch()));
        }
        if (soak == null) {
            md.append("\nNo soak run (--soak-inferences 0).\n");
            return md.toString();
        }
        md.append(String.format(Locale.ROOT, "%nSoak: %d images at batch %d in %.1f s (%.1f img/s). "
                + "Resident memory (VmRSS) and JVM heap in use; the first row is after warm-up:%n%n",
                soak.images(), soak.batch(), soak.seconds(), soak.images() / soak.seconds()));
        md.append("| images | RSS MiB | heap used MiB |\n|---:|---:|---:|\n");
        for (RssSample s : soak.series()) {
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f |%n", s.images(), s.rssKib() / 1024.0,
                    s.heapUsedBytes() / 1048576.0));
        }
        md.append(String.format(Locale.ROOT, "%nRSS growth (last − first): %+.1f MiB over %d images; peak %.1f MiB.%n",
                soak.growthKib() / 1024.0, soak.images(), soak.peakKib() / 1024.0));
        return md.toString();
    }
}
