package org.lepistream.vision.cli;

import org.lepistream.decision.routing.Calibration;
import ai.djl.pytorch.jni.JniUtils;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.lepistream.vision.benchmark.BenchmarkReport;
import org.lepistream.vision.benchmark.InferenceBenchmark;
import org.lepistream.vision.benchmark.InferenceBenchmark.Soak;
import org.lepistream.vision.benchmark.InferenceBenchmark.Throughput;
import org.lepistream.vision.benchmark.ProcessMemory;
import org.lepistream.vision.bundle.BundleManifest;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.vision.bundle.InferenceEngine;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.training.EngineThreads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench-inference}: images/s of the service's inference path per batch size, and memory over a long soak. */
@Command(name = "bench-inference", mixinStandardHelpOptions = true,
        description = {"Measure Identifier.analyse (classifier + segmenter, as the service runs it) on real photos of "
                + "--data (split val when present): img/s and ms per batch for each batch size and engine, then a soak "
                + "at batch 32 on the first engine sampling the process RSS to show whether memory stays flat.",
            "With several --engine values the engines take turns at every batch size (and --rounds repeats the "
                + "sweep), so a load change on a shared machine hits them alike.",
            "Prints a markdown section; --out writes it to a file too."})
final class BenchInferenceCommand implements Callable<Integer> {
    /** Enough distinct photos to defeat caches, few enough to keep the pool small on a large dataset. */
    static final int MAX_POOL = 256;
    static final int SOAK_BATCH = 32;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model bundle folder.")
    Path model;

    @Option(names = "--data", required = true, description = "Dataset folder with labels.csv (labels are not used).")
    Path data;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32,64",
            description = "Comma-separated batch sizes (default ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--seconds-per-size", defaultValue = "20",
            description = "Timed seconds per batch size (default ${DEFAULT-VALUE}).")
    double secondsPerSize;

    @Option(names = "--soak-inferences", defaultValue = "10000",
            description = "Photos run at batch " + SOAK_BATCH + " for the memory soak; 0 skips it (default "
                    + "${DEFAULT-VALUE}).")
    int soakInferences;

    @Option(names = "--rss-every", defaultValue = "1000",
            description = "Sample RSS every this many soak photos (default ${DEFAULT-VALUE}).")
    int rssEvery;

    @Option(names = "--threads", defaultValue = "2",
            description = "Intra-op threads of PyTorch and ONNX Runtime; 0 = engine defaults (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--engine", split = ",", defaultValue = "pytorch",
            description = "Comma-separated engines: pytorch, onnxruntime, tensorrt (default ${DEFAULT-VALUE}).")
    List<InferenceEngine> engines;

    @Option(names = "--rounds", defaultValue = "1",
            description = "Times the whole batch-size × engine sweep is repeated (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--mirrored-mask", negatable = true, description = "Run the segmenter's mirrored pass (or not,"
            + " --no-mirrored-mask) whatever the bundle says: measures what the second pass costs.")
    Boolean mirroredMask;

    @Option(names = "--mask-free-above", paramLabel = "P", description = "The service's cascade: photos whose"
            + " species probability is at least P are not segmented (default: every photo is).")
    Double maskFreeAbove;

    @Option(names = "--out", description = "Also write the markdown section to this file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        validate();
        String commandLine = commandLine();
        EngineThreads.configure(threads);
        String loadAtStart = ProcessMemory.loadAverage();
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<ModelBundle> bundles = new ArrayList<>();
        List<InferenceBenchmark> benches = new ArrayList<>();
        try {
            for (InferenceEngine engine : engines) {
                ModelBundle loaded = ModelBundle.load(model, engine);
                if (mirroredMask != null) {
                    loaded = loaded.withPreprocessing(loaded.manifest().preprocessing().withMirroredMask(mirroredMask));
                }
                bundles.add(loaded);
            }
            ModelBundle bundle = bundles.get(0);
            List<BufferedImage> pool = new ArrayList<>();
            String poolText = decodePool(pool);
            System.err.println("benchmarking " + bundle.manifest().version() + " on " + poolText);
            for (ModelBundle b : bundles) {
                double skipFrom = maskFreeAbove == null ? Double.POSITIVE_INFINITY : maskFreeAbove;
                benches.add(new InferenceBenchmark(b, pool, p -> Calibration.Cascade.needsMask(p, skipFrom)));
            }
            List<String> agreement = new ArrayList<>();
            List<BufferedImage> sample = pool.subList(0, Math.min(SOAK_BATCH, pool.size()));
            List<ImageAnalysis> reference = benches.get(0).analyse(sample);
            for (int i = 1; i < benches.size(); i++) {
                agreement.add(InferenceBenchmark.agreement(engines.get(0).configName(), reference,
                        engines.get(i).configName(), benches.get(i).analyse(sample)));
                System.err.println("outputs: " + agreement.get(i - 1));
            }
            List<Throughput> rows = new ArrayList<>();
            Soak soak = null;
            for (int round = 1; round <= rounds; round++) {
                for (int batch : batchSizes) {
                    for (InferenceBenchmark bench : benches) {
                        Throughput t = bench.measure(batch, secondsPerSize);
                        System.err.printf(Locale.ROOT, "round %d, %s, batch %d: %.1f img/s, median %.1f ms/batch%n",
                                round, t.engine(), batch, t.imagesPerSecond(), t.medianMs());
                        rows.add(t);
                    }
                }
            }
            if (soakInferences > 0) {
                soak = benches.get(0).soak(soakInferences, SOAK_BATCH, rssEvery, s -> System.err.printf(Locale.ROOT,
                        "soak %d/%d: RSS %.1f MiB%n", s.images(), soakInferences, s.rssKib() / 1024.0));
            }
            BenchmarkReport report = new BenchmarkReport(startedAt, commandLine, describe(bundle.manifest()),
                    poolText, Runtime.getRuntime().availableProcessors(), loadAtStart, ProcessMemory.loadAverage(),
                    threadSettings(), jvm(), agreement, rows, soak);
            String markdown = report.toMarkdown();
            System.out.print(markdown);
            if (out != null) {
                Path target = out.toAbsolutePath();
                Files.createDirectories(target.getParent());
                Files.writeString(target, markdown, StandardCharsets.UTF_8);
                System.err.println("written to " + out);
            }
        } finally {
            benches.forEach(InferenceBenchmark::close);
            bundles.forEach(ModelBundle::close);
        }
        return 0;
    }

    private void validate() {
        if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b == null || b < 1)) {
            throw new IllegalArgumentException("--batch-sizes must be positive integers, got " + batchSizes);
        }
        if (!(secondsPerSize > 0) || Double.isInfinite(secondsPerSize)) {
            throw new IllegalArgumentException("--seconds-per-size must be positive, got " + secondsPerSize);
        }
        if (soakInferences < 0) {
            throw new IllegalArgumentException("--soak-inferences must be >= 0, got " + soakInferences);
        }
        if (engines.isEmpty() || engines.stream().distinct().count() != engines.size()) {
            throw new IllegalArgumentException("--engine must name each engine once, got " + engines);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (rssEvery < 1) {
            throw new IllegalArgumentException("--rss-every must be >= 1, got " + rssEvery);
        }
    }

    /** Decodes up to MAX_POOL photos of the val split (all rows when there is none) and says what it took. */
    private String decodePool(List<BufferedImage> pool) throws IOException {
        DatasetOptions opts = DatasetOptions.defaults().withVerification(DatasetOptions.Verification.HEADER);
        Dataset dataset = Dataset.load(data, opts);
        List<Sample> samples = dataset.split("val");
        String from = "split val";
        if (samples.isEmpty()) {
            samples = dataset.samples();
            from = "all rows";
        }
        ImageDecoder decoder = new ImageDecoder(opts.maxPixels());
        int failed = 0;
        for (Sample s : samples.subList(0, Math.min(MAX_POOL, samples.size()))) {
            try {
                pool.add(decoder.decode(s.image()));
            } catch (IOException e) {
                failed++;
                System.err.println("skipped " + s.id() + ": " + e.getMessage());
            }
        }
        if (pool.isEmpty()) {
            throw new IllegalArgumentException("no photo of " + data + " could be decoded (" + from + ", "
                    + samples.size() + " rows)");
        }
        double width = pool.stream().mapToInt(BufferedImage::getWidth).average().orElseThrow();
        double height = pool.stream().mapToInt(BufferedImage::getHeight).average().orElseThrow();
        return String.format(Locale.ROOT, "%d photos (%s of %s%s; mean %.0f×%.0f px)", pool.size(), from, data,
                failed > 0 ? ", " + failed + " undecodable skipped" : "", width, height);
    }

    private static String describe(BundleManifest m) {
        String seg = m.segmenter() == null ? "no segmenter"
                : "segmenter " + m.segmenter().inputSize() + " px " + m.segmenter().widths();
        return String.format(Locale.ROOT, "%s (%s): classifier %d px, CBAM %s, widths %s, blocks %s; %s",
                m.version(), m.modelName(), m.classifier().inputSize(), m.classifier().cbam() ? "on" : "off",
                m.classifier().widths(), m.classifier().blocks(), seg);
    }

    private String threadSettings() {
        // Read back from the engine: the properties only take effect if set before it first loaded.
        String ort = engines.contains(InferenceEngine.ONNXRUNTIME)
                ? "; ONNX Runtime intra-op " + System.getProperty(InferenceEngine.ONNXRUNTIME_THREADS_PROPERTY,
                        "default") + ", inter-op 1, no spinning" : "";
        // Only ask PyTorch when it runs here: a bundle served on ONNX Runtime alone never loads it.
        String pytorch = engines.contains(InferenceEngine.PYTORCH) ? "PyTorch intra-op " + JniUtils.getNumThreads()
                + ", inter-op " + JniUtils.getNumInteropThreads() : "PyTorch not loaded";
        return pytorch + " (--threads " + threads + ")" + ort + "; OMP_WAIT_POLICY=" + env("OMP_WAIT_POLICY");
    }

    private static String jvm() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return "Java " + Runtime.version() + ", max heap " + Runtime.getRuntime().maxMemory() / 1048576 + " MiB"
                + ", LD_PRELOAD=" + env("LD_PRELOAD") + ", options `" + String.join(" ", args) + "`";
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? "(unset)" : value;
    }

    /** The command as typed (through the ./lepistream launcher), quoted so it can be pasted back. */
    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        List<String> words = new ArrayList<>(args);
        if (words.isEmpty() || !words.get(0).equals(spec.name())) {
            words.add(0, spec.name());
        }
        return "./lepistream " + words.stream().map(BenchInferenceCommand::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String word) {
        return word.matches("[A-Za-z0-9_./=,:@%+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
