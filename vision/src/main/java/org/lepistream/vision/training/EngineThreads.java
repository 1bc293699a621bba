package org.lepistream.vision.training;

import org.lepistream.vision.bundle.InferenceEngine;

/**
 * Pins PyTorch's (and ONNX Runtime's) thread pools. It must run before the engine first loads (the properties are read once), which is why
 * the CLI calls it before touching any NDManager.
 */
public final class EngineThreads {
    private EngineThreads() {
    }

    /**
     * Sets intra-op threads to {@code threads} (PyTorch and ONNX Runtime) and inter-op threads to 1 (the networks here are sequential, so extra
     * inter-op threads only compete for the 2 cores). 0 leaves the engine defaults.
     */
    public static void configure(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            System.setProperty(InferenceEngine.ONNXRUNTIME_THREADS_PROPERTY, Integer.toString(threads));
        }
    }
}
