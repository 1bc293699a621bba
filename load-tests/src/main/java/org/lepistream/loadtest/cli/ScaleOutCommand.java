package org.lepistream.loadtest.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lepistream.loadtest.report.ScaleOutReport;
import org.lepistream.loadtest.scaleout.FreshModel;
import org.lepistream.loadtest.scaleout.InstanceLauncher;
import org.lepistream.loadtest.scaleout.ScaleOutExperiment;
import org.lepistream.loadtest.workload.Workload;
import org.lepistream.loadtest.workload.Workloads;
import org.lepistream.schemas.connect.ConnectionOptions;
import org.lepistream.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scale-out}: throughput for 1..n service processes on one broker, and a rebalance under load. */
@Command(name = "scale-out", mixinStandardHelpOptions = true,
        description = {"Start N identification-service processes (./lepistream serve) against one broker with a"
                + " partitioned sightings topic, for each N of --instances: warm up, send --sightings flat out,"
                + " measure results per second and latency, audit exactly one output per sighting.",
            "Then (unless --no-rebalance) a rebalance under load: two instances, one SIGKILLed at --kill-at of the"
                + " results, a third started at --add-at; every output audited.",
            "Each step uses fresh topics (so-<time>-<step>-*) and its own application id. Writes scale-out.md and PNG"
                + " plots to --out; exits with 1 when any sighting has no output or more than one."})
final class ScaleOutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--stack", description = "Start a temporary local stack for this run instead of connecting to one.")
    boolean startStack;

    @Option(names = "--instances", split = ",", paramLabel = "N[,N...]", defaultValue = "1,2,3",
            description = "Instance counts to measure (default: ${DEFAULT-VALUE}); empty skips the throughput steps.")
    List<Integer> instances;

    @Option(names = "--sightings", paramLabel = "N", defaultValue = "600",
            description = "Measured sightings per step (default: ${DEFAULT-VALUE}).")
    long sightings;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "60",
            description = "Warm-up sightings per step, not measured (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "6",
            description = "Partitions of the sightings topic (default: ${DEFAULT-VALUE}, the catalogue's).")
    int partitions;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
            description = "lepistream.batch.max-size of every instance (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--model", paramLabel = "DIR", description = "Bundle to serve (default: a fresh one, see --model-size).")
    Path model;

    @Option(names = "--model-size", paramLabel = "tiny|quick|full", defaultValue = "quick",
            description = "Architecture of the fresh bundle when no --model (default: ${DEFAULT-VALUE}).")
    String modelSize;

    @Option(names = "--photos", paramLabel = "DIR", description = "Folder of photos (default: synthetic butterflies).")
    Path photos;

    @Option(names = "--launcher", paramLabel = "FILE", defaultValue = "./lepistream",
            description = "The lepistream launcher that starts each instance (default: ${DEFAULT-VALUE}).")
    Path launcher;

    @Option(names = "--instance-java-opts", paramLabel = "OPTS",
            defaultValue = "-Xmx1g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1",
            description = "JVM options of every instance (default: ${DEFAULT-VALUE}).")
    String javaOpts;

    @Option(names = "--no-rebalance", description = "Skip the rebalance run.")
    boolean noRebalance;

    @Option(names = "--rebalance-sightings", paramLabel = "N", defaultValue = "900",
            description = "Sightings of the rebalance run (default: ${DEFAULT-VALUE}).")
    long rebalanceSightings;

    @Option(names = "--rebalance-rate", paramLabel = "PER_SECOND", defaultValue = "0",
            description = "Rate of the rebalance run, open loop; 0 = flat out (default).")
    double rebalanceRate;

    @Option(names = "--kill-at", paramLabel = "FRACTION", defaultValue = "0.3",
            description = "SIGKILL one instance when this fraction has results (default: ${DEFAULT-VALUE}).")
    double killAt;

    @Option(names = "--add-at", paramLabel = "FRACTION", defaultValue = "0.5",
            description = "Start a new instance when this fraction has results (default: ${DEFAULT-VALUE}).")
    double addAt;

    @Option(names = "--work", paramLabel = "DIR", description = "Instance configs, state and logs (default: a temp folder).")
    Path work;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "scale-out-report",
            description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("launcher " + launcher + " not found or not executable; run from the"
                    + " repository root or pass --launcher");
        }
        if (!(killAt > 0 && killAt < addAt && addAt < 1)) {
            throw new IllegalArgumentException("need 0 < --kill-at < --add-at < 1, got " + killAt + ", " + addAt);
        }
        Path workDir = work != null ? work : Files.createTempDirectory("lepistream-scale-out-");
        Path modelDir = model;
        String setupText;
        if (modelDir == null) {
            modelDir = workDir.resolve("fresh-model");
            FreshModel.write(modelDir, "scale-out", FreshModel.size(modelSize));
            setupText = "fresh (untrained) " + modelSize + " bundle";
        } else {
            setupText = "bundle " + modelDir;
        }
        Workload workload = photos != null ? Workloads.folder(photos, 0, 0) : Workloads.synthetic(48, 192, 1, 0);
        setupText += "; " + workload.description() + "; " + partitions + " partitions; batch " + batchSize
                + "; instance JVM options `" + javaOpts + "`";
        LocalStack stack = startStack ? LocalStack.startTemporary() : null;
        try {
            Map<String, Object> kafka = stack != null ? Map.of("bootstrap.servers", stack.bootstrapServers())
                    : connection.kafkaProperties();
            Map<String, Object> serde = stack != null ? Map.of("schema.registry.url", stack.registryUrl())
                    : connection.serdeConfig();
            err.println("scale-out: " + setupText + "; work folder " + workDir);
            err.flush();
            ScaleOutExperiment experiment = new ScaleOutExperiment(new ScaleOutExperiment.Setup(kafka, serde,
                    InstanceLauncher.script(launcher, javaOpts), modelDir, "scale-out", workload, partitions, batchSize,
                    workDir, Duration.ofSeconds(240), Duration.ofSeconds(600)), line -> {
                        err.println("  " + line);
                        err.flush();
                    });
            List<ScaleOutExperiment.Step> steps = new ArrayList<>();
            for (int n : instances) {
                steps.add(experiment.throughput(n, warmup, sightings, 0));
            }
            ScaleOutExperiment.Rebalance rebalance = noRebalance ? null
                    : experiment.rebalance(warmup, rebalanceSightings, rebalanceRate, killAt, addAt);
            Path md = ScaleOutReport.write(steps, rebalance, setupText, "./lepistream " + String.join(" ",
                    spec.commandLine().getParseResult().originalArgs()), out);
            spec.commandLine().getOut().println("report: " + md.toAbsolutePath());
            spec.commandLine().getOut().flush();
            boolean exact = steps.stream().allMatch(s -> s.audit().exactlyOnce())
                    && (rebalance == null || rebalance.audit().exactlyOnce());
            return exact ? 0 : 1;
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }
}
