package org.lepistream.vision.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.lepistream.vision.data.Augmenter;
import org.lepistream.vision.data.ImageTensors;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.evaluation.MaskOverlap;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;

/**
 * Trains the butterfly segmenter on the few hand masks it is given (the paper uses 10% of them): joint image+mask
 * augmentation, Adam, BCE + soft Dice (Dice keeps small butterflies from being drowned by background pixels), best
 * epoch by validation IoU. Its masks then stand in for missing hand masks in the guided loss and feed the service's
 * attention-overlap routing.
 */
public final class SegmenterTrainer {
    private static final int EVAL_BATCH = 32;
    /**
     * An epoch visits at least this many (augmented) images, cycling through the masks: with 10% of a small dataset's
     * masks a plain pass would be one or two optimiser steps, far too few to learn anything per "epoch".
     */
    static final int MIN_IMAGES_PER_EPOCH = 128;
    /** Element-wise bound on gradients before the Adam update. */
    static final float CLIP_GRADIENT = 1f;

    private final SegmenterConfig network;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final long seed;
    private Augmenter augmenter = new Augmenter();
    private ProgressLine progress = new ProgressLine(System.err);
    private Block warmStart;

    public SegmenterTrainer(SegmenterConfig network, int epochs, int batchSize, double learningRate, long seed) {
        if (epochs < 1 || batchSize < 2 || !(learningRate > 0)) {
            throw new IllegalArgumentException("segmenter training needs epochs >= 1, batch >= 2 and lr > 0, got "
                    + epochs + ", " + batchSize + ", " + learningRate);
        }
        this.network = network;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.seed = seed;
    }

    /** Replaces the paper augmentation. */
    public SegmenterTrainer withAugmenter(Augmenter augmenter) {
        this.augmenter = augmenter;
        return this;
    }

    /** Starts from another segmenter's weights (same network) instead of a fresh initialisation: fine-tuning. */
    public SegmenterTrainer withWarmStart(Block from) {
        this.warmStart = from;
        return this;
    }

    /** Where the live progress line goes; null silences it. */
    public SegmenterTrainer withProgress(PrintStream out) {
        this.progress = new ProgressLine(out);
        return this;
    }

    /**
     * Trains on the entries of {@code train} that have masks and keeps the epoch with the best IoU on the masked
     * entries of {@code val} (the last epoch when val has no masks).
     */
    public TrainedSegmenter train(SampleCache train, SampleCache val) {
        List<SampleCache.Entry> masked = train.entries().stream().filter(e -> e.mask() != null).toList();
        if (masked.size() < 2) {
            throw new IllegalArgumentException("the segmenter needs at least 2 training images with masks, got "
                    + masked.size() + " (raise --segmenter-fraction or add masks)");
        }
        int size = network.inputSize();
        List<float[]> valImages = new ArrayList<>();
        List<float[]> valMasks = new ArrayList<>();
        for (SampleCache.Entry e : val.entries()) {
            if (e.mask() != null) {
                valImages.add(ImageTensors.toChw(e.image(), size));
                valMasks.add(ImageTensors.maskToArray(e.mask(), size));
            }
        }
        Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance("segmenter");
        model.setBlock(Segmenter.build(network));
        int perEpoch = Math.max(masked.size(), MIN_IMAGES_PER_EPOCH);
        int steps = Math.max(1, epochs * (perEpoch / batchSize));
        DefaultTrainingConfig djl = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(new LearningRateSchedule(learningRate, steps, 0.05, 0.05))
                        // With all 565 Leeds masks, one spiking step at epoch 13 threw the unclipped U-Net into a
                        // state it never left (loss 0.26 -> 3.2, val IoU 0.83 -> 0.16); clipping bounds such steps.
                        .optClipGrad(CLIP_GRADIENT).build());
        double bestIoU = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        Checkpoint best = null;
        long start = System.nanoTime();
        try (Trainer trainer = model.newTrainer(djl)) {
            trainer.initialize(new Shape(batchSize, 3, size, size));
            if (warmStart != null) {
                WarmStart.copy(warmStart, model.getBlock(), "the current segmenter");
            }
            for (int epoch = 1; epoch <= epochs; epoch++) {
                Random rng = new Random(seed * 31 + epoch);
                List<SampleCache.Entry> order = new ArrayList<>();
                while (order.size() < perEpoch) {
                    List<SampleCache.Entry> pass = new ArrayList<>(masked);
                    java.util.Collections.shuffle(pass, rng);
                    order.addAll(pass);
                }
                double lossSum = 0;
                int batches = 0;
                // Full batches only: a ragged last batch of a few photos gives BatchNorm noisy statistics.
                for (int from = 0; from + batchSize <= order.size(); from += batchSize) {
                    List<SampleCache.Entry> part = order.subList(from, Math.min(order.size(), from + batchSize));
                    lossSum += step(trainer, part, rng);
                    batches++;
                }
                double iou = valImages.isEmpty() ? Double.NaN : meanIoU(trainer, valImages, valMasks);
                double score = Double.isNaN(iou) ? epoch : iou;
                if (score > bestIoU) {
                    bestIoU = score;
                    bestEpoch = epoch;
                    best = Checkpoint.of(model.getBlock());
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                progress.show(String.format(Locale.ROOT,
                        "segmenter epoch %d/%d loss %.4f | val IoU %.3f (best @%d) | ETA %s", epoch, epochs,
                        lossSum / batches, iou, bestEpoch, ProgressLine.duration(elapsed / epoch * (epochs - epoch))));
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        } finally {
            progress.finish();
        }
        best.restore(model.getBlock(), model.getNDManager());
        return new TrainedSegmenter(model, network, valImages.isEmpty() ? Double.NaN : bestIoU, masked.size(),
                epochs, (System.nanoTime() - start) / 1e9);
    }

    private float step(Trainer trainer, List<SampleCache.Entry> part, Random rng) {
        int size = network.inputSize();
        List<float[]> images = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        for (SampleCache.Entry e : part) {
            Augmenter.Augmented a = augmenter.apply(e.image(), e.mask(), size, rng);
            images.add(ImageTensors.toChw(a.image(), size));
            masks.add(ImageTensors.maskToArray(a.mask(), size));
        }
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = ImageTensors.batch(m, images, 3, size, size);
            NDArray y = ImageTensors.batch(m, masks, 1, size, size);
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).get(0);
                NDArray loss = loss(logits, y);
                gc.backward(loss);
                float value = loss.getFloat();
                if (!Float.isFinite(value)) {
                    throw new IllegalStateException("segmenter training diverged: loss " + value);
                }
                trainer.step();
                return value;
            }
        }
    }

    /** Mean per-pixel BCE on logits (stable form) plus the batch's soft Dice loss. */
    static NDArray loss(NDArray logits, NDArray target) {
        NDArray bce = logits.maximum(0).sub(logits.mul(target)).add(logits.abs().neg().exp().add(1).log()).mean();
        NDArray p = Activation.sigmoid(logits);
        NDArray inter = p.mul(target).sum();
        NDArray dice = inter.mul(2).add(1).div(p.sum().add(target.sum()).add(1)).neg().add(1);
        return bce.add(dice);
    }

    private double meanIoU(Trainer trainer, List<float[]> images, List<float[]> masks) {
        int size = network.inputSize();
        double sum = 0;
        for (int from = 0; from < images.size(); from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, images.size() - from);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray x = ImageTensors.batch(m, images.subList(from, from + n), 3, size, size);
                float[] probs = Activation.sigmoid(trainer.evaluate(new NDList(x)).get(0)).toFloatArray();
                int plane = size * size;
                for (int i = 0; i < n; i++) {
                    float[] one = java.util.Arrays.copyOfRange(probs, i * plane, (i + 1) * plane);
                    sum += MaskOverlap.iou(one, masks.get(from + i));
                }
            }
        }
        return sum / images.size();
    }

    /**
     * The segmenter's masks for every entry of a cache that has no hand mask, at the cache's size, keyed by sample id
     * (black/white images like the cached hand masks).
     */
    public static Map<String, BufferedImage> predictMissing(TrainedSegmenter segmenter, SampleCache cache) {
        return predictMissing((org.lepistream.vision.segmentation.Segmenter) segmenter.model().getBlock(), cache);
    }

    /** The same for any initialised segmenter, e.g. one reused from another model's bundle. */
    public static Map<String, BufferedImage> predictMissing(org.lepistream.vision.segmentation.Segmenter segmenter,
            SampleCache cache) {
        try (NDManager base = NDManager.newBaseManager()) {
            return predictMissing(segmenter, base, cache);
        }
    }

    private static Map<String, BufferedImage> predictMissing(org.lepistream.vision.segmentation.Segmenter block,
            NDManager manager, SampleCache cache) {
        int size = block.config().inputSize();
        List<SampleCache.Entry> missing = cache.entries().stream().filter(e -> e.mask() == null).toList();
        Map<String, BufferedImage> out = new HashMap<>();
        ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(manager, false);
        for (int from = 0; from < missing.size(); from += EVAL_BATCH) {
            List<SampleCache.Entry> part = missing.subList(from, Math.min(missing.size(), from + EVAL_BATCH));
            List<float[]> images = new ArrayList<>();
            part.forEach(e -> images.add(ImageTensors.toChw(e.image(), size)));
            try (NDManager m = manager.newSubManager()) {
                NDArray x = ImageTensors.batch(m, images, 3, size, size);
                float[] probs = Activation.sigmoid(block.forward(ps, new NDList(x), false).get(0))
                        .toFloatArray();
                int plane = size * size;
                for (int i = 0; i < part.size(); i++) {
                    int[] px = new int[plane];
                    for (int j = 0; j < plane; j++) {
                        px[j] = probs[i * plane + j] > 0.5f ? 0xFFFFFF : 0;
                    }
                    BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                    mask.setRGB(0, 0, size, size, px, 0, size);
                    out.put(part.get(i).sample().id(), ImageTensors.resize(mask, cache.imageSize()));
                }
            }
        }
        return out;
    }
}
