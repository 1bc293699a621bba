package org.lepistream.vision.training;

import ai.djl.Model;
import org.lepistream.vision.segmentation.SegmenterConfig;

/**
 * A trained segmenter with its best epoch's parameters.
 *
 * @param valIoU mean IoU on the validation masks at the kept epoch ({@code NaN} when there were none)
 * @param trainedOn number of masks it was trained on
 */
public record TrainedSegmenter(Model model, SegmenterConfig config, double valIoU, int trainedOn, int epochs,
        double seconds) implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}
