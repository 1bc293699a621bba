package org.lepistream.vision.training;

import ai.djl.Model;
import org.lepistream.vision.model.ClassifierConfig;

/**
 * A trained classifier holding the parameters of its best epoch, ready to be put into a model bundle. Closing it frees
 * the network's native memory.
 */
public record TrainedClassifier(Model model, ClassifierConfig config, TrainingHistory history)
        implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}
