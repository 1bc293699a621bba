package org.lepistream.vision.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lepistream.vision.cli.ConsoleCapture.stderrOf;
import static org.lepistream.vision.cli.ConsoleCapture.stdoutOf;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.bundle.BundleManifest;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.cli.VisionCli;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;

/** bench-inference end to end on a tiny synthetic dataset and an untrained small bundle (speed is not judged). */
class InferenceBenchmarkTest {
    private static final Pattern THROUGHPUT_ROW = Pattern.compile(
            "(?m)^\\| (?:pytorch|onnxruntime) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| ([\\d.]+) \\| ([\\d.]+)"
                    + " \\| ([\\d.]+) \\| ([\\d.]+) \\|$");
    private static final Pattern ENGINE_ROW = Pattern.compile("(?m)^\\| (pytorch|onnxruntime) \\| (\\d+) \\|");
    private static final Pattern RSS_ROW = Pattern.compile("(?m)^\\| (\\d+) \\| ([\\d.]+) \\| ([\\d.]+) \\|$");

    @TempDir
    static Path dir;
    static Path data;
    static Path bundle;

    @BeforeAll
    static void datasetAndBundle() throws Exception {
        data = dir.resolve("data");
        // 4 species × 6 photos, 2 of each in val: a pool of 8 photos, smaller than the largest batch.
        SyntheticButterflies.Result generated = SyntheticButterflies.generate(data,
                new GenerateOptions(2, 2, 1, 0, 6, 48, 3, 0.34));
        bundle = dir.resolve("bundle");
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier classifier = Classifier.build(new ClassifierConfig(32, 8, List.of(8, 16), List.of(1, 1), true,
                    0.2, 4, generated.taxonomy().leafCount()));
            Segmenter segmenter = Segmenter.build(new SegmenterConfig(32, List.of(4, 8, 16)));
            classifier.initialize(manager, DataType.FLOAT32, classifier.inputShape(1));
            segmenter.initialize(manager, DataType.FLOAT32, segmenter.inputShape(1));
            BundleManifest manifest = BundleManifest.create("bench-test", generated.taxonomy(), classifier.config(),
                    segmenter.config());
            ModelBundle.of(manifest, generated.taxonomy(), classifier, segmenter).save(bundle);
        }
    }

    @Test
    void reportHasARowPerBatchSizeAndAnRssSeries() throws Exception {
        Path out = dir.resolve("report/bench.md");
        String printed = stdoutOf(() -> assertEquals(0, VisionCli.execute("bench-inference", "--model",
                bundle.toString(), "--data", data.toString(), "--batch-sizes", "1,4,16", "--seconds-per-size", "1",
                "--soak-inferences", "200", "--rss-every", "50", "--threads", "1", "--out", out.toString())));
        String md = Files.readString(out);
        assertEquals(printed, md, "the file holds what was printed");

        List<Integer> batches = new ArrayList<>();
        Matcher row = THROUGHPUT_ROW.matcher(md);
        while (row.find()) {
            int batch = Integer.parseInt(row.group(1));
            batches.add(batch);
            int count = Integer.parseInt(row.group(2));
            assertTrue(count >= 1, row.group());
            assertEquals(count * batch, Integer.parseInt(row.group(3)), row.group());
            assertTrue(Double.parseDouble(row.group(4)) > 0, "throughput: " + row.group());
            double median = Double.parseDouble(row.group(5));
            assertTrue(median > 0 && Double.parseDouble(row.group(6)) >= median, row.group());
        }
        assertEquals(List.of(1, 4, 16), batches, md);

        // Batches of 32 against samples every 50 photos: one sample per multiple of 50 crossed, plus the start.
        List<Integer> images = new ArrayList<>();
        Matcher rss = RSS_ROW.matcher(md);
        while (rss.find()) {
            images.add(Integer.parseInt(rss.group(1)));
            assertTrue(Double.parseDouble(rss.group(2)) > 0, "RSS: " + rss.group());
        }
        assertEquals(List.of(0, 64, 128, 160, 200), images, md);
        assertTrue(md.contains("RSS growth (last − first): "), md);
        assertTrue(md.contains("8 photos (split val of "), md);
        assertTrue(md.contains("`./lepistream bench-inference --model " + bundle), md);
        assertTrue(md.matches("(?s).*nproc \\d+; load average \\(1/5/15 min\\) \\S+ \\S+ \\S+ at start.*"), md);
        assertTrue(md.contains("PyTorch intra-op "), md);
    }

    @Test
    void enginesTakeTurnsAtEveryBatchSize() throws Exception {
        String md = stdoutOf(() -> assertEquals(0, VisionCli.execute("bench-inference", "--model",
                bundle.toString(), "--data", data.toString(), "--batch-sizes", "1,4", "--seconds-per-size", "0.2",
                "--engine", "pytorch,onnxruntime", "--rounds", "2", "--soak-inferences", "0", "--threads", "1")));
        List<String> order = new ArrayList<>();
        Matcher row = ENGINE_ROW.matcher(md);
        while (row.find()) {
            order.add(row.group(1) + "@" + row.group(2));
        }
        List<String> sweep = List.of("pytorch@1", "onnxruntime@1", "pytorch@4", "onnxruntime@4");
        List<String> expected = new ArrayList<>(sweep);
        expected.addAll(sweep);
        assertEquals(expected, order, md);
        assertTrue(md.contains("ONNX Runtime intra-op 1, inter-op 1"), md);
        // The untrained small bundle on both engines: same outputs to well under the test tolerance.
        Matcher agree = Pattern.compile("onnxruntime vs pytorch on 8 photos: max \\|Δ\\| probability (\\S+), attention"
                + " (\\S+), mask (\\S+); same top species 8/8").matcher(md);
        assertTrue(agree.find(), md);
        for (int g = 1; g <= 3; g++) {
            assertTrue(Double.parseDouble(agree.group(g)) <= 1e-4, agree.group());
        }
    }

    @Test
    void badSettingsGetAClearMessage() {
        String err = stderrOf(() -> assertEquals(2, VisionCli.execute("bench-inference", "--model",
                bundle.toString(), "--data", data.toString(), "--batch-sizes", "8,0")));
        assertTrue(err.contains("--batch-sizes must be positive"), err);
        assertFalse(err.contains("\tat "), err);
        err = stderrOf(() -> assertEquals(2, VisionCli.execute("bench-inference", "--model",
                dir.resolve("missing").toString(), "--data", data.toString(), "--seconds-per-size", "1",
                "--soak-inferences", "0")));
        assertTrue(err.contains("missing") && err.contains("does not exist"), err);
    }

    @Test
    void percentilesUseNearestRank() {
        double[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(9, InferenceBenchmark.percentile(ten, 0.9));
        assertEquals(5.5, InferenceBenchmark.median(ten));
        assertEquals(2, InferenceBenchmark.median(new double[] {1, 2, 3}));
        assertEquals(7, InferenceBenchmark.percentile(new double[] {7}, 0.9));
    }
}
