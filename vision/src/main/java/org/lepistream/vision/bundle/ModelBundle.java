package org.lepistream.vision.bundle;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.lepistream.vision.export.OnnxExport;
import org.lepistream.vision.loss.Hierarchy;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.decision.taxonomy.Taxonomy;
import org.lepistream.decision.taxonomy.TaxonomyException;

/**
 * A released model as one directory: {@code bundle.json} ({@link BundleManifest}), {@code taxonomy.json},
 * {@code classifier.params} and, when there is a segmenter, {@code segmenter.params}; next to each .params file its
 * ONNX export ({@code classifier.onnx}, {@code segmenter.onnx}), so any {@link InferenceEngine} can serve it. The
 * manifest holds a SHA-256 of every one of these files.
 *
 * <p>Bundles are written once into a temporary sibling and moved into place, so a reader never sees half a bundle.
 * A loaded bundle owns its parameters and must be closed; one made with {@link #of} only borrows the trainer's
 * networks. Inference goes through {@link #newIdentifier()}, one per thread.
 */
public final class ModelBundle implements AutoCloseable {
    /** Layout version written into bundle.json and required on load. */
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST_FILE = "bundle.json";
    public static final String TAXONOMY_FILE = "taxonomy.json";
    public static final String CLASSIFIER_FILE = "classifier.params";
    public static final String SEGMENTER_FILE = "segmenter.params";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final BundleManifest manifest;
    private final Taxonomy taxonomy;
    private final Hierarchy hierarchy;
    private final Classifier classifier;
    private final Segmenter segmenter;
    private final NDManager ownedManager;
    private final InferenceEngine engine;
    private final Networks networks;

    private ModelBundle(BundleManifest manifest, Taxonomy taxonomy, Classifier classifier, Segmenter segmenter,
            NDManager ownedManager) {
        this.manifest = manifest;
        this.taxonomy = taxonomy;
        this.hierarchy = new Hierarchy(taxonomy).withTemperature(manifest.temperatureOrOne());
        this.classifier = classifier;
        this.segmenter = segmenter;
        this.ownedManager = ownedManager;
        this.engine = InferenceEngine.PYTORCH;
        this.networks = new BlockNetworks(this);
    }

    private ModelBundle(ModelBundle loaded, InferenceEngine engine, Networks networks) {
        this(loaded, loaded.manifest, engine, networks);
    }

    private ModelBundle(ModelBundle loaded, BundleManifest manifest, InferenceEngine engine, Networks networks) {
        this.manifest = manifest;
        this.taxonomy = loaded.taxonomy;
        this.hierarchy = loaded.hierarchy;
        this.classifier = loaded.classifier;
        this.segmenter = loaded.segmenter;
        this.ownedManager = loaded.ownedManager;
        this.engine = engine;
        this.networks = networks;
    }

    /** A bundle served from its .onnx files alone: no blocks, nothing of PyTorch. */
    private ModelBundle(BundleManifest manifest, Taxonomy taxonomy, InferenceEngine engine, Networks networks) {
        this.manifest = manifest;
        this.taxonomy = taxonomy;
        this.hierarchy = new Hierarchy(taxonomy).withTemperature(manifest.temperatureOrOne());
        this.classifier = null;
        this.segmenter = null;
        this.ownedManager = null;
        this.engine = engine;
        this.networks = networks;
    }

    /**
     * The same networks on the same engine, fed as {@code preprocessing} says (to measure an inference option on and
     * off on one loaded model). The two share their networks: close one of them, not both.
     */
    public ModelBundle withPreprocessing(Preprocessing preprocessing) {
        return new ModelBundle(this, manifest.withPreprocessing(preprocessing), engine, networks);
    }

    /**
     * Writes a bundle of freshly initialised (untrained) networks into {@code dir} and returns its version: real
     * inference at the cost of a trained model of the same shape, in seconds, for tests and load runs.
     */
    public static String writeUntrained(Path dir, String modelName, Taxonomy taxonomy, ClassifierConfig classifierConfig,
            SegmenterConfig segmenterConfig, Map<String, Double> thresholds) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier classifier = Classifier.build(classifierConfig);
            classifier.initialize(manager, DataType.FLOAT32, classifier.inputShape(1));
            Segmenter segmenter = Segmenter.build(segmenterConfig);
            segmenter.initialize(manager, DataType.FLOAT32, segmenter.inputShape(1));
            BundleManifest manifest = BundleManifest.create(modelName, taxonomy, classifierConfig, segmenterConfig)
                    .withThresholds(thresholds);
            of(manifest, taxonomy, classifier, segmenter).save(dir);
            return manifest.version();
        }
    }

    /**
     * Wraps trained, initialised networks (not copied: closing this bundle leaves them alone).
     *
     * @param segmenter null for a bundle without segmenter
     * @throws BundleException when the manifest does not describe these networks and this taxonomy
     */
    public static ModelBundle of(BundleManifest manifest, Taxonomy taxonomy, Classifier classifier,
            Segmenter segmenter) {
        if (manifest == null || taxonomy == null || classifier == null) {
            throw new BundleException("a bundle needs a manifest, a taxonomy and a classifier");
        }
        if (!classifier.isInitialized() || (segmenter != null && !segmenter.isInitialized())) {
            throw new BundleException("a bundle needs initialised (trained) networks");
        }
        if (!classifier.config().equals(manifest.classifier())) {
            throw new BundleException("manifest classifier config " + manifest.classifier()
                    + " differs from the network's " + classifier.config());
        }
        if (segmenter == null ? manifest.segmenter() != null : !segmenter.config().equals(manifest.segmenter())) {
            throw new BundleException("manifest segmenter config " + manifest.segmenter()
                    + " differs from the network's " + (segmenter == null ? null : segmenter.config()));
        }
        validate(manifest, taxonomy, "new bundle " + manifest.version());
        return new ModelBundle(manifest, taxonomy, classifier, segmenter, null);
    }

    private static void validate(BundleManifest m, Taxonomy taxonomy, String where) {
        if (m.formatVersion() != FORMAT_VERSION) {
            throw new BundleException(where + " has format version " + m.formatVersion() + "; this build reads "
                    + FORMAT_VERSION);
        }
        StringBuilder missing = new StringBuilder();
        if (m.modelName() == null || m.modelName().isBlank()) {
            missing.append(" modelName");
        }
        if (m.version() == null || m.version().isBlank()) {
            missing.append(" version");
        }
        if (m.classifier() == null) {
            missing.append(" classifier");
        }
        if (m.preprocessing() == null) {
            missing.append(" preprocessing");
        }
        if (m.ranks() == null) {
            missing.append(" ranks");
        }
        if (missing.length() > 0) {
            throw new BundleException(where + ": bundle.json lacks" + missing);
        }
        if (!m.ranks().equals(taxonomy.ranks())) {
            throw new BundleException(where + ": ranks " + m.ranks() + " differ from the taxonomy's " + taxonomy.ranks());
        }
        if (m.classifier().leafCount() != taxonomy.leafCount()) {
            throw new BundleException(where + ": classifier scores " + m.classifier().leafCount()
                    + " leaves but the taxonomy has " + taxonomy.leafCount());
        }
        if (m.preprocessing().inputSize() != m.classifier().inputSize()) {
            throw new BundleException(where + ": preprocessing input size " + m.preprocessing().inputSize()
                    + " differs from the classifier's " + m.classifier().inputSize());
        }
        if (!m.preprocessing().matchesThisBuild()) {
            throw new BundleException(where + ": preprocessing mean/std " + m.preprocessing().mean() + "/"
                    + m.preprocessing().std() + " differ from this build's image normalisation");
        }
    }

    /** The manifest (bundle.json). */
    public BundleManifest manifest() {
        return manifest;
    }

    /** The taxonomy the classifier's leaves are indexed by. */
    public Taxonomy taxonomy() {
        return taxonomy;
    }

    /** Leaf→rank probability mapping for this taxonomy. */
    public Hierarchy hierarchy() {
        return hierarchy;
    }

    /**
     * The classifier network.
     *
     * @throws IllegalStateException for a bundle loaded to serve on another engine than PyTorch, which loads no blocks
     */
    public Classifier classifier() {
        requireBlocks();
        return classifier;
    }

    /**
     * The segmenter network, if the bundle has one ({@link #hasSegmenter()} asks without needing the blocks).
     *
     * @throws IllegalStateException for a bundle loaded to serve on another engine than PyTorch, which loads no blocks
     */
    public Optional<Segmenter> segmenter() {
        requireBlocks();
        return Optional.ofNullable(segmenter);
    }

    /** Whether the bundle has a segmenter (masks, Over-CAM), on any engine. */
    public boolean hasSegmenter() {
        return manifest.segmenter() != null;
    }

    private void requireBlocks() {
        if (classifier == null) {
            throw new IllegalStateException("bundle " + manifest.version() + " was loaded to serve on "
                    + engine.configName() + " from its .onnx files, without its PyTorch blocks; load it on pytorch"
                    + " to train, export or inspect the networks");
        }
    }

    /** The engine this bundle's identifiers run on. */
    public InferenceEngine engine() {
        return engine;
    }

    /** The forward passes on this bundle's engine (for identifiers). */
    Networks networks() {
        return networks;
    }

    /** A new inference handle on this bundle's engine; use it from one thread only and close it. */
    public Identifier newIdentifier() {
        return new Identifier(this);
    }

    /**
     * Writes the bundle to {@code dir}, which must not exist yet (or be empty): releases are immutable.
     *
     * @throws BundleException when the directory is taken or cannot be written
     */
    public void save(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new BundleException("cannot save bundle to " + target + ": it exists and is not an empty directory");
        }
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
            Map<String, String> checksums = new LinkedHashMap<>();
            writeParams(tmp, CLASSIFIER_FILE, classifier, checksums);
            if (segmenter != null) {
                writeParams(tmp, SEGMENTER_FILE, segmenter, checksums);
            }
            writeFile(tmp, OnnxExport.CLASSIFIER_FILE, OnnxExport.classifier(classifier), checksums);
            if (segmenter != null) {
                writeFile(tmp, OnnxExport.SEGMENTER_FILE, OnnxExport.segmenter(segmenter), checksums);
            }
            Files.writeString(tmp.resolve(TAXONOMY_FILE), taxonomy.toJson(), StandardCharsets.UTF_8);
            Files.write(tmp.resolve(MANIFEST_FILE), JSON.writeValueAsBytes(manifest.withChecksums(checksums)));
            if (Files.exists(target)) {
                Files.delete(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (DirectoryNotEmptyException e) {
            throw new BundleException("cannot save bundle to " + target + ": another writer filled it meanwhile", e);
        } catch (IOException e) {
            throw new BundleException("cannot save bundle to " + target + ": " + e, e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void writeParams(Path dir, String file, Block block, Map<String, String> checksums)
            throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            block.saveParameters(out);
        }
        writeFile(dir, file, buffer.toByteArray(), checksums);
    }

    private static void writeFile(Path dir, String file, byte[] bytes, Map<String, String> checksums)
            throws IOException {
        Files.write(dir.resolve(file), bytes);
        checksums.put(file, sha256(bytes));
    }

    /**
     * Reads a bundle written by {@link #save}.
     *
     * @throws BundleException naming the bundle and the problem: missing directory or file, invalid JSON, a format
     *     version this build does not read, a taxonomy that does not match, or parameters that are corrupt or do not
     *     fit the recorded network configuration
     */
    public static ModelBundle load(Path dir) {
        return load(dir, InferenceEngine.PYTORCH);
    }

    /**
     * Reads a bundle written by {@link #save} for serving on {@code engine}. The .params files are always loaded and
     * dry-run (they are the release's reference); other engines then open the .onnx files, checked against the
     * manifest's checksums (a bundle from before ONNX export is exported in memory).
     *
     * @throws BundleException as {@link #load(Path)}, and when the engine is not available on this host
     */
    public static ModelBundle load(Path dir, InferenceEngine engine) {
        Description d = describe(dir);
        if (engine == InferenceEngine.PYTORCH) {
            return withBlocks(d);
        }
        if (Files.isRegularFile(d.source().resolve(OnnxExport.CLASSIFIER_FILE)) && (d.manifest().segmenter() == null
                || Files.isRegularFile(d.source().resolve(OnnxExport.SEGMENTER_FILE)))) {
            // The engine runs the .onnx files alone, so PyTorch is never loaded into a serving process (its natives
            // and its thread pool beside the engine's). The .params stay the release's reference: they must be
            // there and match their checksums; the service's warm-up then runs every network on this engine.
            requireIntact(d, CLASSIFIER_FILE);
            if (d.manifest().segmenter() != null) {
                requireIntact(d, SEGMENTER_FILE);
            }
            Networks networks = OnnxNetworks.open(engine, d.manifest(), d.source(), d.where(), file -> {
                throw new IllegalStateException(file + " vanished while the bundle was loading");
            });
            return new ModelBundle(d.manifest(), d.taxonomy(), engine, networks);
        }
        ModelBundle bundle = withBlocks(d);
        try {
            return new ModelBundle(bundle, engine, OnnxNetworks.open(engine, d.manifest(), d.source(), d.where(),
                    file -> file.equals(OnnxExport.CLASSIFIER_FILE) ? OnnxExport.classifier(bundle.classifier)
                            : OnnxExport.segmenter(bundle.segmenter)));
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** What a bundle directory says about itself, checked: its manifest and taxonomy. */
    private record Description(Path source, String where, BundleManifest manifest, Taxonomy taxonomy) {
    }

    private static Description describe(Path dir) {
        Path source = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(source)) {
            throw new BundleException("model bundle " + source + " does not exist or is not a directory");
        }
        Path manifestPath = source.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(manifestPath)) {
            throw new BundleException(source + " is not a model bundle: " + MANIFEST_FILE + " is missing");
        }
        String where = "model bundle " + source;
        BundleManifest manifest = readManifest(manifestPath, where);
        Taxonomy taxonomy;
        try {
            taxonomy = Taxonomy.fromJson(Files.readString(requireFile(source, TAXONOMY_FILE, where)));
        } catch (IOException | TaxonomyException e) {
            throw new BundleException(where + ": cannot read " + TAXONOMY_FILE + ": " + e.getMessage(), e);
        }
        validate(manifest, taxonomy, where);
        return new Description(source, where, manifest, taxonomy);
    }

    private static ModelBundle withBlocks(Description d) {
        NDManager manager = NDManager.newBaseManager();
        try {
            Classifier classifier = Classifier.build(d.manifest().classifier());
            loadParams(d.source(), CLASSIFIER_FILE, classifier, d.manifest(), manager, d.where());
            Segmenter segmenter = null;
            if (d.manifest().segmenter() != null) {
                segmenter = Segmenter.build(d.manifest().segmenter());
                loadParams(d.source(), SEGMENTER_FILE, segmenter, d.manifest(), manager, d.where());
            }
            return new ModelBundle(d.manifest(), d.taxonomy(), classifier, segmenter, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static BundleManifest readManifest(Path manifestPath, String where) {
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readAllBytes(manifestPath));
        } catch (JsonProcessingException e) {
            throw new BundleException(where + ": " + MANIFEST_FILE + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BundleException(where + ": cannot read " + MANIFEST_FILE + ": " + e, e);
        }
        if (tree == null || !tree.isObject()) {
            throw new BundleException(where + ": " + MANIFEST_FILE + " must be a JSON object");
        }
        // Check the version before binding, so a newer layout reports its version rather than an unknown field.
        JsonNode version = tree.get("formatVersion");
        if (version == null || !version.isInt()) {
            throw new BundleException(where + ": " + MANIFEST_FILE + " has no integer formatVersion");
        }
        if (version.intValue() != FORMAT_VERSION) {
            throw new BundleException(where + " has format version " + version.intValue() + "; this build reads "
                    + FORMAT_VERSION);
        }
        try {
            return JSON.treeToValue(tree, BundleManifest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new BundleException(where + ": " + MANIFEST_FILE + " is invalid: " + detail, e);
        }
    }

    private static Path requireFile(Path dir, String file, String where) {
        Path path = dir.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new BundleException(where + " is incomplete: " + file + " is missing");
        }
        return path;
    }

    private static void loadParams(Path dir, String file, AbstractBlock block, BundleManifest manifest,
            NDManager manager, String where) {
        byte[] bytes = intactBytes(dir, file, manifest, where);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new BundleException(where + ": " + file + " has data left over: it was written by a different"
                        + " network than the recorded configuration");
            }
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof BundleException b) {
                throw b;
            }
            throw new BundleException(where + ": " + file + " does not fit the recorded network configuration: " + e,
                    e);
        }
        dryRun(block, manager, file, where);
    }

    private static void requireIntact(Description d, String file) {
        intactBytes(d.source(), file, d.manifest(), d.where());
    }

    /** A file of the bundle, present and matching its checksum in the manifest (.params and .onnx alike). */
    static byte[] intactBytes(Path dir, String file, BundleManifest manifest, String where) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(requireFile(dir, file, where));
        } catch (IOException e) {
            throw new BundleException(where + ": cannot read " + file + ": " + e, e);
        }
        String expected = manifest.checksums().get(file);
        if (expected == null) {
            throw new BundleException(where + ": " + MANIFEST_FILE + " has no checksum for " + file);
        }
        if (!expected.equalsIgnoreCase(sha256(bytes))) {
            throw new BundleException(where + ": " + file + " is corrupt (SHA-256 differs from " + MANIFEST_FILE + ")");
        }
        return bytes;
    }

    /** One forward pass on a blank image, so parameters of the wrong shapes fail here and not on the first photo. */
    private static void dryRun(AbstractBlock block, NDManager manager, String file, String where) {
        try (NDManager scratch = manager.newSubManager()) {
            int size = block instanceof Classifier c ? c.config().inputSize() : ((Segmenter) block).config().inputSize();
            block.forward(new ParameterStore(scratch, false),
                    new NDList(scratch.zeros(new Shape(1, 3, size, size), DataType.FLOAT32)),
                    false);
        } catch (RuntimeException e) {
            throw new BundleException(where + ": " + file + " does not fit the recorded network configuration: "
                    + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover hidden temp directory is harmless and named as such.
        }
    }

    /** Frees the parameters of a loaded bundle; a bundle made with {@link #of} leaves the trainer's networks alone. */
    @Override
    public void close() {
        networks.close();
        if (ownedManager != null) {
            ownedManager.close();
        }
    }
}
