package org.lepistream.vision.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The raw forward passes of a bundle on one engine. Results live in the caller's (PyTorch) manager, so what comes
 * after them (softmax over the taxonomy, sigmoid of the mask) is the same code whatever the engine.
 */
interface Networks extends AutoCloseable {

    /**
     * Leaf logits (N,leaves), one spatial attention map (N,1,h,w) per CBAM level in forward order, then the last
     * stage's feature map (N,C,h,w) for Grad-CAM ({@code Classifier.forwardWithFeatures}).
     */
    NDList classify(NDManager step, NDArray images);

    /** Mask logits (N,1,S,S); only called when the bundle has a segmenter. */
    NDArray segment(NDManager step, NDArray images);

    @Override
    void close();
}
