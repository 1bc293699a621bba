package org.lepistream.vision.training;

import ai.djl.Model;
import org.lepistream.vision.model.ClassifierConfig;

/**
 * A trained classifier holding the parameters of its kept epoch, ready to be put into a model bundle. Closing it frees
 * the network's native memory. {@code lastEpoch} holds the schedule's last epoch when another one was kept and the
 * trainer was asked for it ({@link ClassifierTrainer#withLastEpochSnapshot}), else null.
 */
public record TrainedClassifier(Model model, ClassifierConfig config, TrainingHistory history, Checkpoint lastEpoch)
        implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}
