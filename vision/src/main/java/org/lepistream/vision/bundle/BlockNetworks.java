package org.lepistream.vision.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/** The bundle's DJL blocks on the PyTorch engine, in inference mode. */
final class BlockNetworks implements Networks {
    private final ModelBundle bundle;

    BlockNetworks(ModelBundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public NDList classify(NDManager step, NDArray images) {
        return bundle.classifier().forwardWithFeatures(new ParameterStore(step, false), images);
    }

    @Override
    public NDArray segment(NDManager step, NDArray images) {
        return bundle.segmenter().orElseThrow()
                .forward(new ParameterStore(step, false), new NDList(images), false).head();
    }

    @Override
    public void close() {
        // The blocks belong to the bundle.
    }
}
