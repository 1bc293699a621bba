package org.lepistream.vision.bundle;

import org.lepistream.decision.analysis.ImageAnalysis;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.ImageTensors;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.export.OnnxExport;
import org.lepistream.vision.loss.ToyTaxonomy;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * The ONNX export computes what the DJL blocks compute: a saved bundle is loaded once on PyTorch and once on ONNX
 * Runtime, and logits, every attention map and the mask logits may differ by at most {@value #TOLERANCE} — on
 * synthetic butterflies (always) and on real Leeds photos (when {@code leeds.dir} is present).
 *
 * <p>The networks are small but hold every block kind of the full-size ones: identity and projection shortcuts,
 * CBAM on every block, a three-level U-Net; batch-norm statistics are moved off their defaults by training-mode passes.
 */
class OnnxEquivalenceTest {
    static final double TOLERANCE = 1e-4;
    private static final int SIZE = 64;

    @TempDir
    static Path tmp;

    private static NDManager manager;
    private static Path dir;
    private static ModelBundle pytorch;
    private static ModelBundle onnx;

    @BeforeAll
    static void saveAndLoadOnBothEngines() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
        Taxonomy taxonomy = ToyTaxonomy.create();
        Classifier classifier = Classifier.build(new ClassifierConfig(SIZE, 8, List.of(8, 16, 16, 32),
                List.of(2, 1, 2, 1), true, 0.2, 4, taxonomy.leafCount()));
        Segmenter segmenter = Segmenter.build(new SegmenterConfig(SIZE, List.of(4, 8, 16)));
        classifier.initialize(manager, DataType.FLOAT32, classifier.inputShape(4));
        segmenter.initialize(manager, DataType.FLOAT32, segmenter.inputShape(4));
        ParameterStore ps = new ParameterStore(manager, false);
        for (int i = 0; i < 3; i++) {
            classifier.forward(ps, new NDList(manager.randomNormal(classifier.inputShape(4))), true);
            segmenter.forward(ps, new NDList(manager.randomNormal(segmenter.inputShape(4))), true);
        }
        dir = tmp.resolve("bundle");
        try (ModelBundle trained = ModelBundle.of(BundleManifest.create("onnx-test", taxonomy, classifier.config(),
                segmenter.config()), taxonomy, classifier, segmenter)) {
            trained.save(dir);
        }
        pytorch = ModelBundle.load(dir, InferenceEngine.PYTORCH);
        onnx = ModelBundle.load(dir, InferenceEngine.ONNXRUNTIME);
    }

    @AfterAll
    static void close() {
        if (onnx != null) {
            onnx.close();
        }
        if (pytorch != null) {
            pytorch.close();
        }
        manager.close();
    }

    @Test
    void bundleCarriesTheOnnxFilesWithChecksums() {
        assertEquals(InferenceEngine.ONNXRUNTIME, onnx.engine());
        for (String file : List.of(OnnxExport.CLASSIFIER_FILE, OnnxExport.SEGMENTER_FILE)) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file);
            String sum = pytorch.manifest().checksums().get(file);
            assertTrue(sum != null && sum.matches("[0-9a-f]{64}"), file + " checksum " + sum);
        }
    }

    @Test
    void syntheticButterfliesGiveTheSameOutputs() {
        List<BufferedImage> photos = new ArrayList<>();
        GenerateOptions opts = GenerateOptions.defaults();
        for (int s = 0; s < 4; s++) {
            for (int n = 0; n < 2; n++) {
                photos.add(SyntheticButterflies.render(opts, s, n).image());
            }
        }
        assertEquivalent(photos, "synthetic");
    }

    @Test
    void realLeedsPhotosGiveTheSameOutputs() throws IOException {
        String leeds = System.getProperty("leeds.dir");
        assumeTrue(leeds != null && Files.isRegularFile(Path.of(leeds, "labels.csv")),
                "Leeds dataset not available (leeds.dir=" + leeds + ")");
        List<Sample> samples = Dataset.load(Path.of(leeds)).samples();
        ImageDecoder decoder = new ImageDecoder();
        List<BufferedImage> photos = new ArrayList<>();
        // Every 40th photo: all ten species, different sizes and backgrounds.
        for (int i = 0; i < samples.size(); i += 40) {
            photos.add(decoder.decode(samples.get(i).image()));
        }
        assertEquivalent(photos, "Leeds");
    }

    /** Raw outputs at batch 1 and at the whole batch (the ONNX batch axis is symbolic), then the analyses. */
    private static void assertEquivalent(List<BufferedImage> photos, String what) {
        List<float[]> chw = new ArrayList<>();
        for (BufferedImage p : photos) {
            chw.add(ImageTensors.toChw(p, SIZE));
        }
        compare(FloatTensor.stack(chw, 3, SIZE, SIZE), what + " batch " + photos.size());
        compare(FloatTensor.stack(chw.subList(0, 1), 3, SIZE, SIZE), what + " batch 1");
        try (Identifier a = pytorch.newIdentifier(); Identifier b = onnx.newIdentifier()) {
            List<ImageAnalysis> ra = a.analyse(photos);
            List<ImageAnalysis> rb = b.analyse(photos);
            for (int i = 0; i < photos.size(); i++) {
                for (int r = 0; r < ra.get(i).rankProbabilities().length; r++) {
                    double[] pa = ra.get(i).rankProbabilities()[r];
                    double[] pb = rb.get(i).rankProbabilities()[r];
                    for (int k = 0; k < pa.length; k++) {
                        assertTrue(Math.abs(pa[k] - pb[k]) <= TOLERANCE, what + " photo " + i + " rank " + r);
                    }
                }
                assertEquals(ra.get(i).top(2), rb.get(i).top(2), what + " photo " + i + " top species");
                assertTrue(maxDiff(ra.get(i).mask(), rb.get(i).mask()) <= TOLERANCE, what + " mask " + i);
                assertTrue(maxDiff(ra.get(i).gradCam().values(), rb.get(i).gradCam().values()) <= TOLERANCE,
                        what + " Grad-CAM " + i);
                assertEquals(ra.get(i).attentionInMask().orElseThrow(), rb.get(i).attentionInMask().orElseThrow(),
                        TOLERANCE, what + " attention in mask " + i);
            }
        }
    }

    private static void compare(FloatTensor images, String what) {
        Networks.Classified a = pytorch.networks().classify(images);
        Networks.Classified b = onnx.networks().classify(images);
        int maps = pytorch.manifest().classifier().attentionSizes().length;
        assertEquals(maps, a.attention().size(), what + ": attention maps on PyTorch");
        assertEquals(maps, b.attention().size(), what + ": attention maps on ONNX Runtime");
        List<FloatTensor> x = new ArrayList<>(List.of(a.logits(), a.features()));
        List<FloatTensor> y = new ArrayList<>(List.of(b.logits(), b.features()));
        x.addAll(a.attention());
        y.addAll(b.attention());
        for (int i = 0; i < x.size(); i++) {
            String name = i == 0 ? "logits" : i == 1 ? "features" : "attention " + (i - 1);
            assertArrayEquals(x.get(i).shape(), y.get(i).shape(), what + " " + name + " shape");
            double d = maxDiff(x.get(i).data(), y.get(i).data());
            report(what, name, d);
            assertTrue(d <= TOLERANCE, what + " " + name + " differ by " + d);
        }
        FloatTensor ma = pytorch.networks().segment(images);
        FloatTensor mb = onnx.networks().segment(images);
        assertArrayEquals(ma.shape(), mb.shape(), what + " mask shape");
        double d = maxDiff(ma.data(), mb.data());
        report(what, "mask logits", d);
        assertTrue(d <= TOLERANCE, what + " mask logits differ by " + d);
    }

    private static void report(String what, String output, double d) {
        System.out.printf(Locale.ROOT, "ONNX equivalence, %s, %s: max |PyTorch - ONNX Runtime| = %.3g%n", what, output,
                d);
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void plainResNetWithoutSegmenterExportsToo() {
        // The resnet variant of the experiments: no CBAM (logits only) and a bundle without segmenter.
        Taxonomy taxonomy = ToyTaxonomy.create();
        Classifier plain = Classifier.build(new ClassifierConfig(32, 8, List.of(8, 16), List.of(1, 2), false, 0.2, 4,
                taxonomy.leafCount()));
        plain.initialize(manager, DataType.FLOAT32, plain.inputShape(2));
        plain.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(plain.inputShape(4))), true);
        Path plainDir = tmp.resolve("plain");
        try (ModelBundle trained = ModelBundle.of(BundleManifest.create("plain", taxonomy, plain.config(), null),
                taxonomy, plain, null)) {
            trained.save(plainDir);
        }
        assertTrue(Files.isRegularFile(plainDir.resolve(OnnxExport.CLASSIFIER_FILE)));
        assertTrue(!Files.exists(plainDir.resolve(OnnxExport.SEGMENTER_FILE)));
        try (ModelBundle a = ModelBundle.load(plainDir, InferenceEngine.PYTORCH);
                ModelBundle b = ModelBundle.load(plainDir, InferenceEngine.ONNXRUNTIME);
                NDManager step = manager.newSubManager()) {
            FloatTensor images = FloatTensor.of(step.randomNormal(plain.inputShape(3)));
            Networks.Classified x = a.networks().classify(images);
            Networks.Classified y = b.networks().classify(images);
            assertEquals(0, y.attention().size(), "logits and features only");
            assertTrue(maxDiff(x.logits().data(), y.logits().data()) <= TOLERANCE);
            assertTrue(maxDiff(x.features().data(), y.features().data()) <= TOLERANCE);
        }
    }

    @Test
    void servingOnOnnxRuntimeLoadsNoPyTorchBlocks() {
        assertTrue(onnx.hasSegmenter());
        IllegalStateException e = assertThrows(IllegalStateException.class, onnx::classifier);
        assertTrue(e.getMessage().contains("without its PyTorch blocks"), e.getMessage());
        assertThrows(IllegalStateException.class, onnx::segmenter);
        // Grad-CAM's weights come out of classifier.onnx instead, and are the blocks' own.
        float[][] fromOnnx = onnx.networks().leafWeights();
        float[][] fromBlocks = pytorch.networks().leafWeights();
        assertEquals(fromBlocks.length, fromOnnx.length);
        for (int c = 0; c < fromBlocks.length; c++) {
            assertArrayEquals(fromBlocks[c], fromOnnx[c], "species " + c);
        }
    }

    @Test
    void corruptParamsAreRejectedOnOnnxRuntimeToo() throws IOException {
        // The .params stay the release's reference even where the engine never reads them.
        assertRejectedWhenCorrupt(ModelBundle.CLASSIFIER_FILE);
    }

    @Test
    void corruptOnnxFileIsRejectedByName() throws IOException {
        assertRejectedWhenCorrupt(OnnxExport.SEGMENTER_FILE);
    }

    private static void assertRejectedWhenCorrupt(String file) throws IOException {
        Path copy = tmp.resolve("corrupt-" + file);
        copyBundle(dir, copy);
        byte[] bytes = Files.readAllBytes(copy.resolve(file));
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(copy.resolve(file), bytes);
        BundleException e = assertThrows(BundleException.class,
                () -> ModelBundle.load(copy, InferenceEngine.ONNXRUNTIME));
        assertTrue(e.getMessage().contains(file + " is corrupt"), e.getMessage());
    }

    @Test
    void bundleWithoutOnnxFilesIsExportedOnLoad() throws IOException {
        Path copy = tmp.resolve("no-onnx");
        copyBundle(dir, copy);
        Files.delete(copy.resolve(OnnxExport.CLASSIFIER_FILE));
        Files.delete(copy.resolve(OnnxExport.SEGMENTER_FILE));
        List<BufferedImage> photo = List.of(SyntheticButterflies.render(GenerateOptions.defaults(), 1, 3).image());
        try (ModelBundle old = ModelBundle.load(copy, InferenceEngine.ONNXRUNTIME);
                Identifier a = old.newIdentifier(); Identifier b = pytorch.newIdentifier()) {
            double[] pa = a.analyse(photo).get(0).leafProbabilities();
            double[] pb = b.analyse(photo).get(0).leafProbabilities();
            for (int k = 0; k < pa.length; k++) {
                assertEquals(pb[k], pa[k], TOLERANCE);
            }
        }
    }

    @Test
    void tensorRtWithoutItsEngineFailsWithTheReason() {
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(dir, InferenceEngine.TENSORRT));
        assertTrue(e.getMessage().contains("tensorrt is not available") && e.getMessage().contains("GPU"),
                e.getMessage());
    }

    @Test
    void engineNamesParseAndUnknownOnesAreNamed() {
        assertEquals(InferenceEngine.ONNXRUNTIME, InferenceEngine.parse(" OnnxRuntime "));
        assertEquals(InferenceEngine.TENSORRT, InferenceEngine.parse("tensorrt"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InferenceEngine.parse("tvm"));
        assertTrue(e.getMessage().contains("pytorch, onnxruntime, tensorrt"), e.getMessage());
    }

    private static void copyBundle(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
    }
}
