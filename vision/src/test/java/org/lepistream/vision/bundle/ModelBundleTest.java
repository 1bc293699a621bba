package org.lepistream.vision.bundle;

import org.lepistream.decision.analysis.ImageAnalysis;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.loss.ToyTaxonomy;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.decision.taxonomy.Taxonomy;

class ModelBundleTest {
    @TempDir
    Path tmp;

    private NDManager manager;
    private Taxonomy taxonomy;
    private Classifier classifier;
    private Segmenter segmenter;
    private ModelBundle bundle;

    @BeforeEach
    void trainedLookingNetworks() {
        Engine.getInstance().setRandomSeed(31);
        manager = NDManager.newBaseManager();
        taxonomy = ToyTaxonomy.create();
        // Small networks keep the suite fast; save/load walks every block type of the full-size ones.
        classifier = Classifier.build(new ClassifierConfig(32, 8, List.of(8, 16), List.of(1, 2), true, 0.2, 4,
                taxonomy.leafCount()));
        segmenter = Segmenter.build(new SegmenterConfig(32, List.of(4, 8, 16)));
        classifier.initialize(manager, DataType.FLOAT32, classifier.inputShape(4));
        segmenter.initialize(manager, DataType.FLOAT32, segmenter.inputShape(4));
        // Training-mode passes move the batch-norm running statistics away from their defaults, so the test
        // proves they are saved too.
        ParameterStore ps = new ParameterStore(manager, false);
        for (int i = 0; i < 3; i++) {
            classifier.forward(ps, new NDList(manager.randomNormal(classifier.inputShape(4))), true);
            segmenter.forward(ps, new NDList(manager.randomNormal(segmenter.inputShape(4))), true);
        }
        BundleManifest manifest = BundleManifest.create("test-model", taxonomy, classifier.config(), segmenter.config())
                .withThresholds(Map.of("species.minProbability", 0.7))
                .withMetrics(Map.of("ranks", Map.of("species", Map.of("top1", 0.5))))
                .withParentVersion("20240101T000000Z-00000000");
        bundle = ModelBundle.of(manifest, taxonomy, classifier, segmenter);
    }

    @AfterEach
    void close() {
        bundle.close();
        manager.close();
    }

    private static BufferedImage photo(int seed, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40 + seed * 20, 120, 200 - seed * 10));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.ORANGE);
        g.fillOval(w / 4 + seed, h / 4, w / 2, h / 3);
        g.dispose();
        return img;
    }

    @Test
    void untrainedBundleLoadsWithItsShapesAndThresholds() {
        ClassifierConfig cc = new ClassifierConfig(32, 8, List.of(8, 16), List.of(1, 1), true, 0.2, 4,
                taxonomy.leafCount());
        SegmenterConfig sc = new SegmenterConfig(32, List.of(4, 8, 16));
        Path dir = tmp.resolve("untrained");
        String version = ModelBundle.writeUntrained(dir, "fresh", taxonomy, cc, sc, Map.of("species", 0.25));
        try (ModelBundle loaded = ModelBundle.load(dir)) {
            assertEquals(version, loaded.manifest().version());
            assertEquals(cc, loaded.manifest().classifier());
            assertEquals(sc, loaded.manifest().segmenter());
            assertEquals(0.25, loaded.manifest().thresholds().get("species"));
            assertEquals(taxonomy, loaded.taxonomy());
        }
    }

    @Test
    void saveThenLoadGivesBitIdenticalOutputs() {
        Path dir = tmp.resolve("release-1");
        bundle.save(dir);
        for (String file : List.of("bundle.json", "taxonomy.json", "classifier.params", "segmenter.params",
                "classifier.onnx", "segmenter.onnx")) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file);
        }
        try (ModelBundle loaded = ModelBundle.load(dir); NDManager m = NDManager.newBaseManager()) {
            assertEquals(taxonomy, loaded.taxonomy());
            BundleManifest read = loaded.manifest();
            assertEquals(bundle.manifest().version(), read.version());
            assertEquals(classifier.config(), read.classifier());
            assertEquals(segmenter.config(), read.segmenter());
            assertEquals(0.7, read.thresholds().get("species.minProbability"));
            assertEquals("20240101T000000Z-00000000", read.parentVersion());
            assertEquals(java.util.Set.of("classifier.params", "segmenter.params", "classifier.onnx", "segmenter.onnx"),
                    read.checksums().keySet());

            NDArray x = m.randomNormal(classifier.inputShape(2));
            NDList before = classifier.forward(new ParameterStore(m, false), new NDList(x), false);
            NDList after = loaded.classifier().forward(new ParameterStore(m, false), new NDList(x), false);
            assertEquals(before.size(), after.size());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i).toFloatArray(), after.get(i).toFloatArray(), "output " + i);
            }
            NDArray segBefore = segmenter.forward(new ParameterStore(m, false), new NDList(x), false).head();
            NDArray segAfter = loaded.segmenter().orElseThrow()
                    .forward(new ParameterStore(m, false), new NDList(x), false).head();
            assertArrayEquals(segBefore.toFloatArray(), segAfter.toFloatArray());

            List<BufferedImage> photos = List.of(photo(1, 90, 70), photo(2, 64, 64));
            try (Identifier a = bundle.newIdentifier(); Identifier b = loaded.newIdentifier()) {
                List<ImageAnalysis> ra = a.analyse(photos);
                List<ImageAnalysis> rb = b.analyse(photos);
                for (int i = 0; i < photos.size(); i++) {
                    assertArrayEquals(ra.get(i).leafProbabilities(), rb.get(i).leafProbabilities());
                    assertArrayEquals(ra.get(i).mask(), rb.get(i).mask());
                    assertEquals(ra.get(i).attention(), rb.get(i).attention());
                }
            }
        }
    }

    @Test
    void eachPhotoOfABatchGetsTheAnalysisItGetsAlone() {
        // Photos are prepared in parallel: each result must still belong to its own photo.
        List<BufferedImage> photos = List.of(photo(1, 90, 70), photo(2, 64, 64), photo(3, 50, 80), photo(4, 120, 90),
                photo(5, 70, 70), photo(6, 40, 100));
        try (Identifier identifier = bundle.newIdentifier()) {
            List<ImageAnalysis> batch = identifier.analyse(photos);
            for (int i = 0; i < photos.size(); i++) {
                ImageAnalysis alone = identifier.analyse(List.of(photos.get(i))).get(0);
                double[] a = alone.leafProbabilities();
                double[] b = batch.get(i).leafProbabilities();
                for (int k = 0; k < a.length; k++) {
                    assertEquals(a[k], b[k], 1e-4, "photo " + i + ", class " + k);
                }
            }
        }
    }

    @Test
    void identifierReportsEveryRankAttentionAndMask() {
        try (Identifier identifier = bundle.newIdentifier()) {
            List<ImageAnalysis> results = identifier.analyse(List.of(photo(0, 120, 80), photo(3, 50, 60)));
            assertEquals(2, results.size());
            for (ImageAnalysis a : results) {
                assertEquals(taxonomy.ranks(), a.ranks());
                for (int r = 0; r < taxonomy.depth(); r++) {
                    assertEquals(taxonomy.size(r), a.rankProbabilities()[r].length);
                    assertEquals(1.0, java.util.Arrays.stream(a.rankProbabilities()[r]).sum(), 1e-5);
                }
                // the family of the top species carries at least the species' probability
                int species = a.top(2);
                assertTrue(a.rankProbabilities()[0][taxonomy.ancestor(species, 0)] >= a.topProbability(2) - 1e-6);
                assertEquals(3, a.attention().size()); // one map per residual block: 1 + 2
                assertArrayEquals(new int[] {8, 4, 4}, a.attention().stream().mapToInt(m -> m.height()).toArray());
                assertEquals(32, a.maskSize());
                assertEquals(32 * 32, a.mask().length);
                double inMask = a.attentionInMask().orElseThrow();
                assertTrue(inMask >= 0 && inMask <= 1, "attention in mask " + inMask);
            }
            assertEquals(List.of(), identifier.analyse(List.of()));
            java.util.ArrayList<BufferedImage> withNull = new java.util.ArrayList<>();
            withNull.add(null);
            assertThrows(IllegalArgumentException.class, () -> identifier.analyse(withNull));
        }
    }

    @Test
    void aFittedTemperatureAndATypedPolicyTravelInTheBundleAndTheTemperatureSoftensItsProbabilities() {
        var policy = new org.lepistream.decision.routing.RoutingPolicy(java.util.Map.of("species", 0.8), 0.4, null, 0.99,
                0.96);
        Path dir = tmp.resolve("calibrated");
        try (ModelBundle hot = ModelBundle.of(bundle.manifest().withPolicy(policy).withTemperature(4.0), taxonomy,
                classifier, segmenter)) {
            hot.save(dir);
        }
        List<BufferedImage> photos = List.of(photo(5, 80, 60));
        try (ModelBundle loaded = ModelBundle.load(dir); Identifier raw = bundle.newIdentifier();
                Identifier calibrated = loaded.newIdentifier()) {
            assertEquals(4.0, loaded.manifest().temperature());
            assertEquals(policy, loaded.manifest().routingPolicy(org.lepistream.decision.routing.OverCam.Settings.DEFAULT));
            double[] p = raw.analyse(photos).get(0).leafProbabilities();
            double[] q = calibrated.analyse(photos).get(0).leafProbabilities();
            // softmax(z / 4) ∝ p^(1/4): same ranking, flatter.
            double[] expected = new double[p.length];
            double total = 0;
            for (int k = 0; k < p.length; k++) {
                expected[k] = Math.pow(p[k], 0.25);
                total += expected[k];
            }
            for (int k = 0; k < p.length; k++) {
                assertEquals(expected[k] / total, q[k], 1e-5, "class " + k);
            }
        }
        // A bundle written before the policy was typed routes with its thresholds map.
        assertEquals(0.7, bundle.manifest().routingPolicy(org.lepistream.decision.routing.OverCam.Settings.DEFAULT)
                .rankThresholds().get("species"));
        // New thresholds replace a typed policy rather than hide behind it.
        assertEquals(null, bundle.manifest().withPolicy(policy).withThresholds(java.util.Map.of()).policy());
    }

    @Test
    void flipAveragingClassifiesAPhotoAndItsMirrorAlikeAndOldBundlesKeepTheirResampling() {
        Preprocessing p = bundle.manifest().preprocessing();
        try (ModelBundle flipping = ModelBundle.of(bundle.manifest().withPreprocessing(p.with(p.resampling(), null,
                true)), taxonomy, classifier, segmenter); Identifier id = flipping.newIdentifier()) {
            BufferedImage photo = photo(9, 70, 70);
            BufferedImage mirror = new BufferedImage(70, 70, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 70; y++) {
                for (int x = 0; x < 70; x++) {
                    mirror.setRGB(69 - x, y, photo.getRGB(x, y));
                }
            }
            List<ImageAnalysis> both = id.analyse(List.of(photo, mirror));
            assertArrayEquals(both.get(0).leafProbabilities(), both.get(1).leafProbabilities(), 1e-5);
        }
        // bundle.json written before resampling was recorded: the bilinear path it was trained with.
        Preprocessing legacy = new Preprocessing(32, p.mean(), p.std(), null, null, null, null);
        assertEquals(Preprocessing.ANTIALIASED, Preprocessing.imageNet(32).resampling());
        BufferedImage photo = photo(2, 100, 50);
        assertArrayEquals(org.lepistream.vision.data.ImageTensors.toChw(photo, 32), legacy.toChw(photo));
    }

    /**
     * With the mirrored pass a photo and its mirror get mirror-image masks (the average is symmetric by construction);
     * with the single pass new bundles run, an untrained segmenter's masks are not. Old bundles keep the pass.
     */
    @Test
    void theMirroredMaskPassRunsOnlyWhenThePreprocessingAsksForIt() {
        BufferedImage photo = photo(5, 64, 64);
        BufferedImage mirror = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                mirror.setRGB(63 - x, y, photo.getRGB(x, y));
            }
        }
        Preprocessing p = bundle.manifest().preprocessing();
        double[] asymmetry = new double[2];
        for (int on = 0; on < 2; on++) {
            try (ModelBundle view = bundle.withPreprocessing(p.withMirroredMask(on == 1));
                    Identifier id = view.newIdentifier()) {
                List<ImageAnalysis> both = id.analyse(List.of(photo, mirror));
                float[] a = both.get(0).mask();
                float[] b = both.get(1).mask();
                int side = both.get(0).maskSize();
                double diff = 0;
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        diff = Math.max(diff, Math.abs(a[y * side + x] - b[y * side + side - 1 - x]));
                    }
                }
                asymmetry[on] = diff;
            }
        }
        assertTrue(asymmetry[1] < 1e-4, "mirrored pass: masks should mirror each other, max diff " + asymmetry[1]);
        assertTrue(asymmetry[0] > 1e-3, "single pass: an untrained segmenter is not mirror-symmetric, max diff "
                + asymmetry[0]);
        assertTrue(new Preprocessing(32, p.mean(), p.std(), null, null, null, null).mirroredMasks());
        assertFalse(Preprocessing.imageNet(32).mirroredMasks());
    }

    /** The cascade: masks only where asked, and each one the same as when the whole batch is segmented. */
    @Test
    void theSegmenterRunsOnlyForThePhotosThatNeedAMask() {
        List<BufferedImage> photos = List.of(photo(1, 64, 64), photo(2, 80, 60), photo(3, 64, 64));
        try (Identifier id = bundle.newIdentifier()) {
            List<ImageAnalysis> all = id.analyse(photos);
            java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
            List<ImageAnalysis> some = id.analyse(photos, p -> asked.getAndIncrement() == 1);
            List<ImageAnalysis> none = id.analyse(photos, p -> false);
            assertEquals(3, asked.get(), "asked once per photo");
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(all.get(i).leafProbabilities(), some.get(i).leafProbabilities(), 1e-6);
                assertFalse(all.get(i).maskSkipped());
                assertTrue(none.get(i).maskSkipped() && none.get(i).mask() == null);
                assertEquals(all.get(i).maskSize(), none.get(i).maskSize());
            }
            assertTrue(some.get(0).maskSkipped() && some.get(2).maskSkipped());
            assertArrayEquals(all.get(1).mask(), some.get(1).mask(), 1e-5f);
        }
    }

    @Test
    void identifierIsConfinedToItsThread() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Identifier identifier = bundle.newIdentifier()) {
            Future<?> call = other.submit(() -> identifier.analyse(photo(0, 64, 64)));
            Exception e = assertThrows(Exception.class, call::get);
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void wrongFormatVersionIsRefusedWithItsNumber() throws Exception {
        Path dir = tmp.resolve("future");
        bundle.save(dir);
        Path json = dir.resolve(ModelBundle.MANIFEST_FILE);
        Files.writeString(json, Files.readString(json).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(dir));
        assertTrue(e.getMessage().contains("format version 99") && e.getMessage().contains("reads 1"),
                e.getMessage());
    }

    @Test
    void missingOrCorruptPartsAreNamed() throws Exception {
        Path dir = tmp.resolve("broken");
        bundle.save(dir);
        Path params = dir.resolve(ModelBundle.CLASSIFIER_FILE);
        byte[] good = Files.readAllBytes(params);

        Files.delete(params);
        BundleException missing = assertThrows(BundleException.class, () -> ModelBundle.load(dir));
        assertTrue(missing.getMessage().contains("classifier.params is missing"), missing.getMessage());

        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x55;
        Files.write(params, flipped);
        BundleException corrupt = assertThrows(BundleException.class, () -> ModelBundle.load(dir));
        assertTrue(corrupt.getMessage().contains("classifier.params is corrupt"), corrupt.getMessage());

        Files.write(params, good);
        Files.writeString(dir.resolve(ModelBundle.MANIFEST_FILE), "{ not json", StandardCharsets.UTF_8);
        BundleException invalid = assertThrows(BundleException.class, () -> ModelBundle.load(dir));
        assertTrue(invalid.getMessage().contains("not valid JSON"), invalid.getMessage());

        BundleException none = assertThrows(BundleException.class, () -> ModelBundle.load(tmp.resolve("nothing")));
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
    }

    @Test
    void paramsOfAnotherArchitectureAreRefused() throws Exception {
        Path dir = tmp.resolve("swapped");
        bundle.save(dir);
        // Put the segmenter's weights where the classifier's belong and fix the checksum: only the
        // architecture check can catch it.
        Path json = dir.resolve(ModelBundle.MANIFEST_FILE);
        byte[] seg = Files.readAllBytes(dir.resolve(ModelBundle.SEGMENTER_FILE));
        String oldSum = bundleChecksum(json, ModelBundle.CLASSIFIER_FILE);
        Files.write(dir.resolve(ModelBundle.CLASSIFIER_FILE), seg);
        Files.writeString(json, Files.readString(json).replace(oldSum, ModelBundle.sha256(seg)));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(dir));
        assertTrue(e.getMessage().contains("classifier.params"), e.getMessage());
    }

    private static String bundleChecksum(Path json, String file) throws Exception {
        return ModelBundle.JSON.readTree(json.toFile()).get("checksums").get(file).asText();
    }

    @Test
    void releasesAreImmutableAndVersionsUnique() {
        Path dir = tmp.resolve("once");
        bundle.save(dir);
        BundleException e = assertThrows(BundleException.class, () -> bundle.save(dir));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        BundleManifest other = BundleManifest.create("test-model", taxonomy, classifier.config(), null);
        assertNotEquals(bundle.manifest().version(), other.version());
    }

    @Test
    void aBundleWithoutSegmenterHasNoMask() {
        BundleManifest manifest = BundleManifest.create("no-seg", taxonomy, classifier.config(), null);
        Path dir = tmp.resolve("no-seg");
        ModelBundle.of(manifest, taxonomy, classifier, null).save(dir);
        assertTrue(Files.notExists(dir.resolve(ModelBundle.SEGMENTER_FILE)));
        try (ModelBundle loaded = ModelBundle.load(dir); Identifier id = loaded.newIdentifier()) {
            ImageAnalysis a = id.analyse(photo(1, 64, 64));
            assertEquals(null, a.mask());
            assertTrue(a.attentionInMask().isEmpty());
        }
    }

    @Test
    void mismatchedManifestIsRefused() {
        BundleManifest wrongLeaves = BundleManifest.create("x", taxonomy,
                classifier.config().withLeafCount(7), segmenter.config());
        assertThrows(BundleException.class, () -> ModelBundle.of(wrongLeaves, taxonomy, classifier, segmenter));
    }
}
