package org.lepistream.loadtest.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.lepistream.loadtest.generator.LoadGenerator;
import org.lepistream.loadtest.generator.LoadResult;
import org.lepistream.loadtest.generator.LoadSettings;
import org.lepistream.loadtest.report.LoadReport;
import org.lepistream.loadtest.workload.Workload;
import org.lepistream.loadtest.workload.Workloads;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.connect.ConnectionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code load-test}: drives a running service and reports throughput and latency. */
@Command(name = "load-test", mixinStandardHelpOptions = true,
        description = {"Send sightings to a running identification service at a fixed rate (open loop) or flat out and"
                + " measure, per sighting, the time from the producer's send to its result being visible"
                + " (read_committed) on identifications ∪ expert-review ∪ sightings-dlq.",
            "Photos: --photos DIR (real photos, read once into memory and cycled) or generated butterflies.",
            "Writes report.md, throughput.png, latency.png and latency.hgrm to --out; exits with 1 when a sighting"
                + " has no result or more than one."})
final class LoadTestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--photos", paramLabel = "DIR", description = "Folder of photos (default: synthetic butterflies).")
    Path photos;

    @Option(names = "--photo-limit", paramLabel = "N", defaultValue = "0",
            description = "Use at most N photos of --photos (default: all).")
    int photoLimit;

    @Option(names = "--synthetic", paramLabel = "N", defaultValue = "48",
            description = "Number of distinct synthetic photos when no --photos (default: ${DEFAULT-VALUE}).")
    int synthetic;

    @Option(names = "--synthetic-size", paramLabel = "PX", defaultValue = "192",
            description = "Side of the synthetic photos (default: ${DEFAULT-VALUE}).")
    int syntheticSize;

    @Option(names = "--count", paramLabel = "N", defaultValue = "500", description = "Sightings to send (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0",
            description = "Sightings per second, open loop; 0 = flat out (default).")
    double rate;

    @Option(names = "--bad-every", paramLabel = "N", defaultValue = "0",
            description = "Truncate every N-th photo (expected on the dead-letter topic); 0 = none (default).")
    int badEvery;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "Use PREFIX-sightings, PREFIX-identifications, ... instead of the catalogue names.")
    String topicPrefix;

    @Option(names = "--release-bundle", paramLabel = "DIR", description = "Publish this bundle as a model release"
            + " while the load runs (at --release-at), and report p99 in the minute around it against the rest.")
    Path releaseBundle;

    @Option(names = "--release-model", paramLabel = "NAME", defaultValue = "lepistream",
            description = "Model name of that release (the service's lepistream.model.name; default ${DEFAULT-VALUE}).")
    String releaseModel;

    @Option(names = "--release-at", paramLabel = "FRACTION", defaultValue = "0.5",
            description = "Publish when this share of the results is in (default ${DEFAULT-VALUE}).")
    double releaseAt;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for the last results after sending (default: ${DEFAULT-VALUE}).")
    long drainSeconds;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "load-test-report",
            description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Workload workload = photos != null ? Workloads.folder(photos, photoLimit, badEvery)
                : Workloads.synthetic(synthetic, syntheticSize, 1, badEvery);
        LoadSettings settings = new LoadSettings(LoadSettings.topic(topicPrefix, Topics.SIGHTINGS),
                List.of(LoadSettings.topic(topicPrefix, Topics.IDENTIFICATIONS),
                        LoadSettings.topic(topicPrefix, Topics.EXPERT_REVIEW),
                        LoadSettings.topic(topicPrefix, Topics.SIGHTINGS_DLQ)),
                count, rate, Duration.ofSeconds(drainSeconds), Duration.ofSeconds(2));
        err.println("load-test: " + count + " sightings (" + workload.description() + ") via " + connection.describe());
        err.flush();
        AtomicLong lastPrint = new AtomicLong(System.nanoTime());
        ReleaseDuringLoad release = releaseBundle == null ? null : new ReleaseDuringLoad(connection.kafkaProperties(),
                connection.serdeConfig(), LoadSettings.topic(topicPrefix, Topics.MODEL_RELEASES), releaseModel,
                releaseBundle, (long) Math.ceil(releaseAt * count));
        LoadResult result = new LoadGenerator(connection.kafkaProperties(), connection.serdeConfig())
                .run(workload, settings, done -> {
                    if (release != null) {
                        release.onCompleted(done, err);
                    }
                    if (System.nanoTime() - lastPrint.get() > 5_000_000_000L) {
                        lastPrint.set(System.nanoTime());
                        err.println("  " + done + "/" + count + " results");
                        err.flush();
                    }
                });
        Path md = LoadReport.write(result, "./lepistream " + String.join(" ",
                spec.commandLine().getParseResult().originalArgs()), out);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("sent %d, results %d (%s), missing %d, duplicated %d; %.1f results/s; p50 %.1f ms, p99 %.1f ms%n",
                result.tracker().sentCount(), result.tracker().completedCount(), result.tracker().outcomes(),
                result.tracker().pendingCount(), result.tracker().duplicates().size(), result.overallThroughput(),
                result.tracker().latencyMicros().getValueAtPercentile(50) / 1000.0,
                result.tracker().latencyMicros().getValueAtPercentile(99) / 1000.0);
        if (release != null) {
            o.println(release.summary(result.tracker()));
        }
        o.println("report: " + md.toAbsolutePath());
        o.flush();
        return result.exactlyOnce() ? 0 : 1;
    }
}
