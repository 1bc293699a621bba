package org.lepistream.vision.bundle;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/** The bundle's DJL blocks on the PyTorch engine, in inference mode; every array lives only for its call. */
final class BlockNetworks implements Networks {
    private final ModelBundle bundle;

    BlockNetworks(ModelBundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public Classified classify(FloatTensor images) {
        try (NDManager step = NDManager.newBaseManager()) {
            NDList out = bundle.classifier().forwardWithFeatures(new ParameterStore(step, false), images.on(step));
            List<FloatTensor> attention = new ArrayList<>(out.size() - 2);
            for (int level = 1; level < out.size() - 1; level++) {
                attention.add(FloatTensor.of(out.get(level)));
            }
            return new Classified(FloatTensor.of(out.head()), attention, FloatTensor.of(out.get(out.size() - 1)));
        }
    }

    @Override
    public FloatTensor segment(FloatTensor images) {
        try (NDManager step = NDManager.newBaseManager()) {
            return FloatTensor.of(bundle.segmenter().orElseThrow()
                    .forward(new ParameterStore(step, false), new NDList(images.on(step)), false).head());
        }
    }

    @Override
    public float[][] leafWeights() {
        return bundle.classifier().leafWeightRows();
    }

    @Override
    public void close() {
        // The blocks belong to the bundle.
    }
}
