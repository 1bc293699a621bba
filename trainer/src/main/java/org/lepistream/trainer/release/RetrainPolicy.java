package org.lepistream.trainer.release;

import java.time.Duration;

/** When to train: after {@code labels} new trainable labels, or once {@code period} has passed with at least one. */
public record RetrainPolicy(int labels, Duration period) {

    public RetrainPolicy {
        if (labels < 1) {
            throw new IllegalArgumentException("retrain label count must be >= 1, got " + labels);
        }
    }

    /**
     * @param fresh trainable labels since the last training started
     * @param lastTrainingAt epoch millis of the last training start; 0 = never trained, in which case the period
     *     counts from {@code startedAt}, so a quiet source still gets a first training
     * @param startedAt epoch millis when this trainer process started
     */
    public boolean due(int fresh, long lastTrainingAt, long startedAt, long now) {
        if (fresh >= labels) {
            return true;
        }
        long since = lastTrainingAt > 0 ? lastTrainingAt : startedAt;
        return fresh > 0 && now - since >= period.toMillis();
    }
}
