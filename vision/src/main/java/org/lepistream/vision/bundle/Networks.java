package org.lepistream.vision.bundle;

import java.util.List;

/**
 * The raw forward passes of a bundle on one engine. Inputs and results are plain float tensors, so what comes after
 * them (softmax over the taxonomy, Grad-CAM, the mask's sigmoid) is the same Java code whatever the engine, and an
 * engine other than PyTorch needs nothing of PyTorch per batch.
 */
interface Networks extends AutoCloseable {

    /** What the classifier computes for a batch of images (N,3,S,S). */
    record Classified(FloatTensor logits, List<FloatTensor> attention, FloatTensor features) {
    }

    /**
     * Leaf logits (N,leaves), one spatial attention map (N,1,h,w) per CBAM level in forward order, and the last
     * stage's feature map (N,C,h,w) for Grad-CAM ({@code Classifier.forwardWithFeatures}).
     */
    Classified classify(FloatTensor images);

    /** Mask logits (N,1,S,S); only called when the bundle has a segmenter. */
    FloatTensor segment(FloatTensor images);

    /** The classifier's final-layer weights, one row per species (Grad-CAM's weights). */
    float[][] leafWeights();

    @Override
    void close();
}
