package org.lepistream.vision.bundle;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.lepistream.decision.analysis.AttentionMap;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.vision.attention.GradCam;
import org.lepistream.vision.segmentation.MaskRefinement;

/**
 * Runs a bundle's networks on photos. Like a DJL Predictor it is confined to the thread that created it (one per
 * stream thread). Between the engine's passes everything is plain Java on the batch's float arrays (softmax over the
 * taxonomy, Grad-CAM, the mask's sigmoid), so a bundle served on ONNX Runtime runs no PyTorch operator per photo.
 */
public final class Identifier implements AutoCloseable {
    private final ModelBundle bundle;
    /** The classifier's final layer, row c for species c: Grad-CAM's weights, read once. */
    private final float[][] leafWeights;
    private final Thread owner;
    private boolean closed;

    Identifier(ModelBundle bundle) {
        this.bundle = bundle;
        this.leafWeights = bundle.networks().leafWeights();
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
        int n = batch.size();
        Preprocessing preprocessing = bundle.manifest().preprocessing();
        int size = preprocessing.inputSize();
        Networks networks = bundle.networks();
        FloatTensor images = tensor(batch, preprocessing);
        Networks.Classified out = networks.classify(images);
        FloatTensor leafLogits = out.logits();
        if (preprocessing.flipAveraged()) {
            // The mirrored photo is as much a butterfly of that species; the maps stay the unmirrored pass's.
            leafLogits = leafLogits.averagedWith(networks.classify(images.mirrored()).logits());
        }
        double[][][] ranks = new double[n][][];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            ranks[i] = bundle.hierarchy().rankProbabilities(leafLogits.data(), i);
            predicted[i] = ImageAnalysis.argmax(ranks[i][ranks[i].length - 1]);
        }
        long[] f = out.features().shape();
        List<AttentionMap> gradCams = GradCam.fromFeatures(out.features().data(), (int) f[1], (int) f[2], (int) f[3],
                leafWeights, predicted);
        float[] masks = null;
        int maskSize = bundle.hasSegmenter() ? bundle.manifest().segmenter().inputSize() : 0;
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
            FloatTensor segInput = maskSize == size ? images.rows(masked)
                    : tensor(masked.size() == n ? batch : masked.stream().map(batch::get).toList(),
                            preprocessing.atSize(maskSize));
            FloatTensor logits = networks.segment(segInput);
            if (preprocessing.mirroredMasks()) {
                // Averaging with the mirrored photo's mask steadies the wing edges (IoU 0.761 → 0.769 on Leeds
                // val) at the cost of a second segmenter pass, which is why new bundles leave it off.
                logits = logits.averagedWith(networks.segment(segInput.mirrored()).mirrored());
            }
            masks = sigmoid(logits.data());
        }
        List<ImageAnalysis> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<AttentionMap> maps = new ArrayList<>(out.attention().size());
            for (FloatTensor level : out.attention()) {
                long[] s = level.shape();
                maps.add(new AttentionMap((int) s[2], (int) s[3], level.item(i)));
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

    private static float[] sigmoid(float[] logits) {
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (1 / (1 + Math.exp(-logits[i])));
        }
        return out;
    }

    private static FloatTensor tensor(List<BufferedImage> batch, Preprocessing preprocessing) {
        // Resizing is most of this thread's Java time (a JFR profile of the service, docs/PERFORMANCE.md) and the
        // engine is idle meanwhile: spread it over the cores. Each photo is independent, and the order is kept.
        List<float[]> chw = batch.parallelStream().map(preprocessing::toChw).toList();
        int size = preprocessing.inputSize();
        return FloatTensor.stack(chw, 3, size, size);
    }

    /** Ends this identifier (it holds no native memory between batches; the bundle's parameters stay). */
    @Override
    public void close() {
        closed = true;
    }
}
