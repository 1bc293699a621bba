package org.lepistream.vision.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lepistream.vision.benchmark.ProcessMemory;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;
import org.lepistream.vision.training.ClassifierTrainer;
import org.lepistream.vision.training.EngineThreads;
import org.lepistream.vision.training.LossKind;
import org.lepistream.vision.training.Preset;
import org.lepistream.vision.training.TrainConfig;
import org.lepistream.vision.training.TrainingRun;
import org.lepistream.vision.training.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-train}: training throughput per variant at this process's thread count, the step and the batch
 * preparation measured apart, and the floor the convolutions alone would set at the machine's measured matrix
 * speed. Thread pools are fixed when the engine loads, so one process measures one thread setting:
 * docs/experiments/bench-train.sh runs the settings in turn.
 */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = {"Training img/s per variant (forward, backward and SGD update of the full-preset network on "
                + "augmented batches), the batch preparation's own img/s on one thread, and the convolutions' floor.",
            "Variants take turns for --rounds rounds, so a load change hits them alike. Prints a markdown table; "
                + "--out appends it to a file."})
final class BenchTrainCommand implements Callable<Integer> {

    @Option(names = "--data", description = "Dataset whose 'train' photos feed the batches (default: a synthetic set).")
    Path data;

    @Option(names = "--variants", split = ",", defaultValue = "resnet,cbam,cbam-guided",
            description = "Comma-separated variants (default ${DEFAULT-VALUE}).")
    List<String> variants;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps per variant and round.")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first.")
    int warmup;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds over the variants.")
    int rounds;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size.")
    int batch;

    @Option(names = "--input-size", defaultValue = "128", description = "Network input side.")
    int inputSize;

    @Option(names = "--out", description = "Append the markdown section to this file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        EngineThreads.configure(threads);
        String loadAtStart = ProcessMemory.loadAverage();
        Dataset dataset = Dataset.load(data != null ? data : synthetic());
        int cacheSize = (int) Math.round(inputSize * 1.25);
        SampleCache cache = SampleCache.build(dataset.split("train").subList(0,
                Math.min(512, dataset.split("train").size())), cacheSize);
        int leaves = dataset.taxonomy().leafCount();
        Map<String, List<ClassifierTrainer.StepTiming>> timings = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String v : variants) {
                TrainConfig config = TrainConfig.builder(Preset.FULL).variant(Variant.parse(v)).loss(LossKind.WCE)
                        .batchSize(batch).inputSize(inputSize).threads(threads).build();
                ClassifierConfig net = TrainingRun.classifierConfig(config, leaves);
                ClassifierTrainer trainer = new ClassifierTrainer(config, dataset.taxonomy(), net);
                if (config.variant().guided()) {
                    trainer.withPredictedMasks(ellipseMasks(cache));
                }
                timings.computeIfAbsent(v, k -> new ArrayList<>()).add(trainer.timeSteps(cache, warmup, steps));
            }
        }
        double gflops = matmulGflops();
        ClassifierConfig plain = TrainingRun.classifierConfig(TrainConfig.builder(Preset.FULL).inputSize(inputSize)
                .build(), leaves);
        double macs = convolutionMacs(plain);
        // Forward, then two backward products of the same size (input and weight gradients): 3 × 2 FLOPs per MAC.
        double floor = gflops * 1e9 / (6 * macs);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "### Training throughput, %d thread(s), OMP_WAIT_POLICY=%s%n%n", threads,
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)")));
        md.append(String.format(Locale.ROOT, "- input %d px, batch %d, %d timed steps after %d warm-up, %d rounds; "
                + "photos: %s; load %s at start, %s at end%n", inputSize, batch, steps, warmup, rounds,
                data != null ? data : "synthetic", loadAtStart, ProcessMemory.loadAverage()));
        md.append(String.format(Locale.ROOT, "- convolution floor: %.0f MMAC/image; at the %.1f GFLOP/s PyTorch "
                + "sustains on a 512² matmul here, the convolutions alone (forward + backward) allow %.0f img/s%n%n",
                macs / 1e6, gflops, floor));
        md.append("| variant | step img/s (per round) | step img/s (best) | batch preparation img/s (1 thread) |\n");
        md.append("|---|---|---:|---:|\n");
        timings.forEach((v, list) -> {
            StringBuilder perRound = new StringBuilder();
            double best = 0;
            double prep = 0;
            for (ClassifierTrainer.StepTiming t : list) {
                perRound.append(perRound.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%.1f", t.stepImagesPerSecond()));
                best = Math.max(best, t.stepImagesPerSecond());
                prep = Math.max(prep, t.prepareImagesPerSecond());
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.0f |%n", v, perRound, best, prep));
        });
        md.append('\n');
        System.out.print(md);
        if (out != null) {
            Files.writeString(out, md, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return 0;
    }

    private static Path synthetic() throws IOException {
        Path dir = Files.createTempDirectory("bench-train");
        SyntheticButterflies.generate(dir, new GenerateOptions(2, 3, 2, 0, 24, 160, 3, 0.2));
        return dir;
    }

    /** A centred ellipse per photo: the guided loss's cost does not depend on the mask's shape. */
    private static Map<String, java.awt.image.BufferedImage> ellipseMasks(SampleCache cache) {
        Map<String, java.awt.image.BufferedImage> masks = new LinkedHashMap<>();
        int s = cache.imageSize();
        for (SampleCache.Entry e : cache.entries()) {
            java.awt.image.BufferedImage m = new java.awt.image.BufferedImage(s, s,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = m.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillOval(s / 5, s / 4, s * 3 / 5, s / 2);
            g.dispose();
            masks.put(e.sample().id(), m);
        }
        return masks;
    }

    /** What PyTorch sustains on a 512×512 by 512×512 product at this thread count. */
    static double matmulGflops() {
        int n = 512;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < 5; i++) {
                a.matMul(b).close();
            }
            int reps = 40;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                a.matMul(b).close();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return 2.0 * n * n * n * reps / seconds / 1e9;
        }
    }

    /** Multiply-accumulates of every convolution of the classifier for one image (see Classifier's layout). */
    static double convolutionMacs(ClassifierConfig c) {
        double macs = 0;
        int side = (c.inputSize() + 1) / 2;
        macs += (double) side * side * c.stemWidth() * 3 * 9;
        side = (side + 1) / 2; // max pool
        int channels = c.stemWidth();
        for (int stage = 0; stage < c.widths().size(); stage++) {
            int width = c.widths().get(stage);
            for (int b = 0; b < c.blocks().get(stage); b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                int out = (side + stride - 1) / stride;
                macs += (double) out * out * width * channels * 9; // first 3×3
                macs += (double) out * out * width * width * 9; // second 3×3
                if (stride != 1 || channels != width) {
                    macs += (double) out * out * width * channels; // 1×1 projection
                }
                side = out;
                channels = width;
            }
        }
        return macs;
    }
}
