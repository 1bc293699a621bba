package org.lepistream.vision.training;

import ai.djl.training.tracker.Tracker;

/**
 * Linear warm-up then cosine decay to a floor: the schedule that trained the calibration network on Leeds best.
 *
 * <p>Warm-up starts at a tenth of the peak rather than zero so the first steps already move the weights; the floor
 * keeps late epochs from freezing entirely (fine-tuning from a release relies on that).
 */
public final class LearningRateSchedule implements Tracker {
    private final double peak;
    private final double warmupFraction;
    private int warmupSteps;
    private int totalSteps;
    private final double floor;

    /**
     * @param peak learning rate reached after warm-up
     * @param totalSteps optimiser updates in the whole run
     * @param warmupFraction share of {@code totalSteps} spent warming up
     * @param floorFraction final learning rate as a fraction of the peak
     */
    public LearningRateSchedule(double peak, int totalSteps, double warmupFraction, double floorFraction) {
        if (!(peak > 0) || totalSteps < 1 || warmupFraction < 0 || warmupFraction >= 1 || floorFraction < 0
                || floorFraction > 1) {
            throw new IllegalArgumentException("bad learning-rate schedule: peak=" + peak + " steps=" + totalSteps
                    + " warmup=" + warmupFraction + " floor=" + floorFraction);
        }
        this.peak = peak;
        this.warmupFraction = warmupFraction;
        this.floor = peak * floorFraction;
        resize(totalSteps);
    }

    /**
     * Re-sizes the run once its speed is known (a time budget measures it on the first steps). Called early, while
     * the rate is near its peak, it moves the cosine's end without a visible jump.
     */
    public void resize(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("a schedule needs at least one step, got " + steps);
        }
        this.totalSteps = steps;
        this.warmupSteps = (int) Math.round(steps * warmupFraction);
    }

    public int totalSteps() {
        return totalSteps;
    }

    /** Learning rate for the given 0-based update number (later steps than planned stay at the floor). */
    public double at(int step) {
        if (step < warmupSteps) {
            double start = peak * 0.1;
            return start + (peak - start) * step / warmupSteps;
        }
        int decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) at(numUpdate);
    }
}
