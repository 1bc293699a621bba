package org.lepistream.streams.models;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.decision.routing.OverCam;
import org.lepistream.decision.routing.RoutingPolicy;
import org.lepistream.vision.bundle.BundleException;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.vision.bundle.InferenceEngine;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.decision.taxonomy.Taxonomy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a bundle, checks that it can serve this service (attention maps for Over-CAM, a segmenter for the mask,
 * a sane taxonomy) and warms it up with a few forward passes, so that a broken release is rejected before it
 * replaces the model in use and the first real batch pays no warm-up cost.
 */
public final class ModelLoader {

    /** A bundle that cannot serve; the current model stays. */
    public static final class RejectedModelException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RejectedModelException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);
    private static final int WARM_UP_BATCHES = 2;

    private final Map<String, Double> thresholdOverrides;
    private final Optional<OverCam.Settings> overlapOverride;
    private final OverCam.Settings overlapFallback;
    private final int warmUpBatchSize;
    private final InferenceEngine engine;
    private final OptionalDouble maskFreeAbove;

    /**
     * @param engine the runtime every loaded bundle is served on
     * @param maskFreeAbove the cascade: from this species probability up, models are served without running the
     *     segmenter (the overlap is not consulted there); {@code calibrate} measures the value that keeps the
     *     accepted precision. It overrides the value a release or bundle carries for its own model; empty: theirs,
     *     or, where they carry none, every photo is segmented.
     * @throws IllegalArgumentException when that engine cannot run in this process (with the reason)
     */
    public ModelLoader(Map<String, Double> thresholdOverrides, Optional<OverCam.Settings> overlapOverride,
            OverCam.Settings overlapFallback, int warmUpBatchSize, InferenceEngine engine,
            OptionalDouble maskFreeAbove) {
        // Fail at start-up, not at the first release: a host without the engine cannot serve any model.
        engine.unavailableReason().ifPresent(why -> {
            throw new IllegalArgumentException("engine " + engine.configName() + " cannot run here: " + why);
        });
        this.engine = engine;
        this.thresholdOverrides = Map.copyOf(thresholdOverrides);
        this.overlapOverride = overlapOverride;
        this.overlapFallback = overlapFallback;
        this.warmUpBatchSize = Math.max(1, warmUpBatchSize);
        this.maskFreeAbove = maskFreeAbove;
    }

    /**
     * Loads, validates and warms the bundle in {@code dir}.
     *
     * @param release the release that announced the bundle (its policy overrides the bundle's; configuration wins over
     *     both), or null for a bundle served from configuration
     * @throws RejectedModelException naming the bundle and what is wrong
     */
    public ServingModel load(Path dir, ModelRelease release) {
        long start = System.nanoTime();
        ModelBundle bundle;
        try {
            bundle = ModelBundle.load(dir, engine);
        } catch (BundleException e) {
            throw new RejectedModelException("cannot load model bundle " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new RejectedModelException("cannot load model bundle " + dir + ": " + e, e);
        }
        try {
            ServingModel model = validate(bundle, dir, release);
            warmUp(bundle, dir, model.overCam());
            LOG.info("model {} loaded from {} on {} and warmed up in {} ms (thresholds {}, over-cam {}, segmenter"
                    + " skipped from species p {})", model, dir, engine.configName(),
                    (System.nanoTime() - start) / 1_000_000, model.thresholds(), model.overCam().settings(),
                    model.maskFreeAbove());
            return model;
        } catch (RuntimeException e) {
            bundle.close();
            throw e instanceof RejectedModelException r ? r
                    : new RejectedModelException("model bundle " + dir + " failed validation: " + e.getMessage(), e);
        }
    }

    private ServingModel validate(ModelBundle bundle, Path dir, ModelRelease release) {
        Taxonomy taxonomy = bundle.taxonomy();
        if (taxonomy.depth() < 2) {
            throw new RejectedModelException("model bundle " + dir + " has a taxonomy of depth " + taxonomy.depth()
                    + "; hierarchical decisions need at least two ranks", null);
        }
        if (!bundle.manifest().classifier().cbam()) {
            throw new RejectedModelException("model bundle " + dir + " has a classifier without CBAM attention;"
                    + " Over-CAM routing needs its attention maps", null);
        }
        if (!bundle.hasSegmenter()) {
            throw new RejectedModelException("model bundle " + dir + " has no segmenter; Over-CAM routing needs the"
                    + " butterfly mask", null);
        }
        List<String> ranks = taxonomy.ranks();
        RoutingPolicy.Resolved policy;
        try {
            RoutingPolicy fromBundle = bundle.manifest().routingPolicy(overlapFallback);
            RoutingPolicy configured = RoutingPolicy.fromLegacy(ranks, thresholdOverrides, overlapFallback)
                    .over(new RoutingPolicy(Map.of(), null, overlapOverride.orElse(null), null,
                            maskFreeAbove.isPresent() ? maskFreeAbove.getAsDouble() : null));
            policy = RoutingPolicy.resolve(ranks, fromBundle, ReleasePolicies.of(release, ranks, overlapFallback),
                    configured, overlapFallback);
        } catch (IllegalArgumentException e) {
            throw new RejectedModelException("model bundle " + dir + ": " + e.getMessage(), e);
        }
        return new ServingModel(bundle, policy.thresholds(), new OverCam(policy.overCam()), policy.maskFreeAbove());
    }

    /** Forward passes on noise: proves the networks run and produce what routing needs, and warms the engine. */
    private void warmUp(ModelBundle bundle, Path dir, OverCam overCam) {
        int size = bundle.manifest().preprocessing().inputSize();
        Random random = new Random(42);
        List<BufferedImage> batch = new ArrayList<>();
        for (int i = 0; i < warmUpBatchSize; i++) {
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    img.setRGB(x, y, random.nextInt(0x1000000));
                }
            }
            batch.add(img);
        }
        try (Identifier identifier = bundle.newIdentifier()) {
            for (int round = 0; round < WARM_UP_BATCHES; round++) {
                List<ImageAnalysis> out = identifier.analyse(batch);
                if (out.size() != batch.size()) {
                    throw new RejectedModelException("model bundle " + dir + " returned " + out.size()
                            + " analyses for " + batch.size() + " images", null);
                }
                ImageAnalysis a = out.get(0);
                for (int r = 0; r < bundle.taxonomy().depth(); r++) {
                    if (a.rankProbabilities()[r].length != bundle.taxonomy().size(r)) {
                        throw new RejectedModelException("model bundle " + dir + " scores "
                                + a.rankProbabilities()[r].length + " taxa at rank " + bundle.taxonomy().ranks().get(r)
                                + " but its taxonomy has " + bundle.taxonomy().size(r), null);
                    }
                    double sum = 0;
                    for (double p : a.rankProbabilities()[r]) {
                        if (!Double.isFinite(p)) {
                            throw new RejectedModelException("model bundle " + dir + " produced non-finite"
                                    + " probabilities (corrupt weights?)", null);
                        }
                        sum += p;
                    }
                    if (Math.abs(sum - 1.0) > 1e-3) {
                        throw new RejectedModelException("model bundle " + dir + " probabilities at rank "
                                + bundle.taxonomy().ranks().get(r) + " sum to " + sum, null);
                    }
                }
                overCam.select(a);
                if (a.mask() == null) {
                    throw new RejectedModelException("model bundle " + dir + " produced no mask", null);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new RejectedModelException("model bundle " + dir + " cannot serve: " + e.getMessage(), e);
        }
    }
}
