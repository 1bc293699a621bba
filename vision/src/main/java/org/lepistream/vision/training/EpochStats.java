package org.lepistream.vision.training;

/**
 * What one epoch did.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean batch loss over the epoch
 * @param valTop1 validation top-1 accuracy per rank, top→leaf ({@code NaN} where no val label is known)
 * @param seconds wall time of the epoch, validation included
 * @param imagesPerSecond training throughput (forward, backward and update; validation excluded)
 * @param learningRate learning rate at the end of the epoch
 */
public record EpochStats(int epoch, double trainLoss, double[] valTop1, double seconds, double imagesPerSecond,
        double learningRate) {

    /** Validation top-1 at the leaf rank (species). */
    public double valLeafTop1() {
        return valTop1.length == 0 ? Double.NaN : valTop1[valTop1.length - 1];
    }
}
