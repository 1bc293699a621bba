package org.lepistream.vision.bundle;

import org.lepistream.decision.analysis.ImageAnalysis;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import ai.djl.ndarray.NDArrays;
import org.lepistream.decision.analysis.AttentionMap;
import org.lepistream.vision.attention.GradCam;
import org.lepistream.vision.data.ImageTensors;
import org.lepistream.vision.segmentation.MaskRefinement;

/**
 * Runs a bundle's networks on photos. Like a DJL Predictor it is confined to the thread that created it (one per
 * stream thread); every array of a batch lives in a per-batch sub-manager that is closed before returning, so memory
 * does not grow with the number of photos.
 */
public final class Identifier implements AutoCloseable {
    private final ModelBundle bundle;
    private final NDManager manager;
    private final Thread owner;
    private boolean closed;

    Identifier(ModelBundle bundle) {
        this.bundle = bundle;
        this.manager = NDManager.newBaseManager();
        this.owner = Thread.currentThread();
    }

    /** Analyses one photo. */
    public ImageAnalysis analyse(BufferedImage image) {
        return analyse(List.of(image)).get(0);
    }

    /**
     * Analyses a batch of decoded photos (any size; each is resized as the bundle's preprocessing says).
     *
     * @return one analysis per photo, in order
     * @throws IllegalArgumentException for a null photo
     * @throws IllegalStateException when called from another thread than the creator's, or after close
     */
    public List<ImageAnalysis> analyse(List<BufferedImage> batch) {
        return analyse(batch, p -> true);
    }

    /**
     * Analyses a batch, running the segmenter only on the photos whose rank probabilities {@code needsMask} accepts
     * (the others get no mask: {@link ImageAnalysis#maskSkipped}). The classifier runs first, so a cascade can leave
     * the segmenter out where its mask cannot change the decision.
     */
    public List<ImageAnalysis> analyse(List<BufferedImage> batch, Predicate<double[][]> needsMask) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("an Identifier is confined to thread '" + owner.getName()
                    + "'; create one per thread with ModelBundle.newIdentifier()");
        }
        if (closed) {
            throw new IllegalStateException("identifier is closed");
        }
        if (batch == null) {
            throw new IllegalArgumentException("batch is required");
        }
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) == null) {
                throw new IllegalArgumentException("photo " + i + " of the batch is null");
            }
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        try (NDManager step = manager.newSubManager()) {
            int n = batch.size();
            Preprocessing preprocessing = bundle.manifest().preprocessing();
            int size = preprocessing.inputSize();
            NDArray images = tensor(step, batch, preprocessing);
            NDList out = bundle.networks().classify(step, images);
            NDArray leafLogits = out.get(0);
            if (preprocessing.flipAveraged()) {
                // The mirrored photo is as much a butterfly of that species; the maps stay the unmirrored pass's.
                leafLogits = leafLogits.add(bundle.networks().classify(step, images.flip(3)).get(0)).div(2);
            }
            NDList probabilities = bundle.hierarchy().rankProbabilities(leafLogits);
            int depth = probabilities.size();
            float[][] perRank = new float[depth][];
            for (int r = 0; r < depth; r++) {
                perRank[r] = probabilities.get(r).toFloatArray();
            }
            List<AttentionMap> gradCams = GradCam.fromFeatures(out.get(out.size() - 1),
                    bundle.classifier().leafWeights(), probabilities.get(depth - 1).argMax(1).toType(
                            DataType.INT32, false).toIntArray());
            List<float[]> attention = new ArrayList<>();
            List<long[]> attentionShapes = new ArrayList<>();
            for (int level = 1; level < out.size() - 1; level++) {
                attention.add(out.get(level).toFloatArray());
                attentionShapes.add(out.get(level).getShape().getShape());
            }
            double[][][] ranks = new double[n][][];
            for (int i = 0; i < n; i++) {
                ranks[i] = ranksOf(perRank, depth, n, i);
            }
            float[] masks = null;
            int maskSize = bundle.segmenter().map(segmenter -> segmenter.config().inputSize()).orElse(0);
            // Which photos get a mask, and where each one's mask sits in the segmenter's (sub-)batch.
            int[] maskRow = new int[n];
            List<Integer> masked = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                maskRow[i] = -1;
                if (maskSize > 0 && needsMask.test(ranks[i])) {
                    maskRow[i] = masked.size();
                    masked.add(i);
                }
            }
            if (!masked.isEmpty()) {
                NDArray segInput = maskSize == size ? subset(images, masked, n)
                        : tensor(step, masked.size() == n ? batch : masked.stream().map(batch::get).toList(),
                                preprocessing.atSize(maskSize));
                NDArray logits = bundle.networks().segment(step, segInput);
                if (preprocessing.mirroredMasks()) {
                    // Averaging with the mirrored photo's mask steadies the wing edges (IoU 0.761 → 0.769 on Leeds
                    // val) at the cost of a second segmenter pass, which is why new bundles leave it off.
                    NDArray mirrored = bundle.networks().segment(step, segInput.flip(3)).flip(3);
                    logits = logits.add(mirrored).div(2);
                }
                masks = Activation.sigmoid(logits).toFloatArray();
            }
            List<ImageAnalysis> result = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                List<AttentionMap> maps = new ArrayList<>(attention.size());
                for (int level = 0; level < attention.size(); level++) {
                    long[] s = attentionShapes.get(level);
                    int h = (int) s[2];
                    int w = (int) s[3];
                    float[] values = new float[h * w];
                    System.arraycopy(attention.get(level), i * h * w, values, 0, h * w);
                    maps.add(new AttentionMap(h, w, values));
                }
                float[] mask = null;
                if (masks != null && maskRow[i] >= 0) {
                    mask = new float[maskSize * maskSize];
                    System.arraycopy(masks, maskRow[i] * mask.length, mask, 0, mask.length);
                    // One solid shape: drop speckles, fill holes (IoU +0.003 alone, 0.771 with the mirror average).
                    mask = MaskRefinement.refine(mask, maskSize);
                }
                result.add(new ImageAnalysis(bundle.taxonomy().ranks(), ranks[i], maps, mask, maskSize, gradCams.get(i)));
            }
            return result;
        }
    }

    /** Photo i's probabilities per rank, out of the batch's flat per-rank arrays. */
    private static double[][] ranksOf(float[][] perRank, int depth, int n, int i) {
        double[][] ranks = new double[depth][];
        for (int r = 0; r < depth; r++) {
            int k = perRank[r].length / n;
            ranks[r] = new double[k];
            for (int j = 0; j < k; j++) {
                ranks[r][j] = perRank[r][i * k + j];
            }
        }
        return ranks;
    }

    /** The rows of a batch tensor that get a mask (the tensor itself when all do). */
    private static NDArray subset(NDArray images, List<Integer> rows, int n) {
        if (rows.size() == n) {
            return images;
        }
        NDList picked = new NDList(rows.size());
        for (int row : rows) {
            picked.add(images.get(row));
        }
        return NDArrays.stack(picked);
    }

    private static NDArray tensor(NDManager manager, List<BufferedImage> batch, Preprocessing preprocessing) {
        // Resizing is most of this thread's Java time (a JFR profile of the service, docs/PERFORMANCE.md) and the
        // engine is idle meanwhile: spread it over the cores. Each photo is independent, and the order is kept.
        List<float[]> chw = batch.parallelStream().map(preprocessing::toChw).toList();
        int size = preprocessing.inputSize();
        return ImageTensors.batch(manager, chw, 3, size, size);
    }

    /** Frees this identifier's arrays (the bundle's parameters stay). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
