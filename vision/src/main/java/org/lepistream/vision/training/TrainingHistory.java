package org.lepistream.vision.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The epochs of one run, the best one (by validation species top-1), and why the run stopped. */
public final class TrainingHistory {
    private final List<EpochStats> epochs = new ArrayList<>();
    private int bestEpoch = -1;
    private String stopReason = "";

    void add(EpochStats stats, boolean best) {
        epochs.add(stats);
        if (best) {
            bestEpoch = stats.epoch();
        }
    }

    void stopped(String reason) {
        stopReason = reason;
    }

    public List<EpochStats> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** 1-based number of the kept epoch, or -1 when none ran. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The kept epoch's stats. */
    public EpochStats best() {
        return epochs.stream().filter(e -> e.epoch() == bestEpoch).findFirst()
                .orElseThrow(() -> new IllegalStateException("no epoch was trained"));
    }

    /** "completed", "early stop (patience N)" … */
    public String stopReason() {
        return stopReason;
    }

    /** Mean training throughput over all epochs. */
    public double meanImagesPerSecond() {
        return epochs.stream().mapToDouble(EpochStats::imagesPerSecond).average().orElse(Double.NaN);
    }

    /** Mean wall time of one epoch. */
    public double meanEpochSeconds() {
        return epochs.stream().mapToDouble(EpochStats::seconds).average().orElse(Double.NaN);
    }

    /** Total wall time. */
    public double totalSeconds() {
        return epochs.stream().mapToDouble(EpochStats::seconds).sum();
    }
}
