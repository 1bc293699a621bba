package org.lepistream.vision.training;

import ai.djl.training.tracker.Tracker;
import java.time.Duration;

/**
 * Linear warm-up then cosine decay to a floor: the schedule that trained the calibration network on Leeds best.
 * Progress runs over optimiser steps, or, for a time budget, over wall time: then the cosine reaches its floor when
 * the budget ends however fast the machine turns out to be (a shared 2-core host's speed varies by 30% within a
 * run, and a schedule sized in steps from the first minute would be cut short or end early).
 *
 * <p>Warm-up starts at a tenth of the peak rather than zero so the first steps already move the weights; the floor
 * keeps late epochs from freezing entirely (fine-tuning from a release relies on that).
 */
public final class LearningRateSchedule implements Tracker {
    private final double peak;
    private final int totalSteps;
    private final long budgetNanos;
    private final double warmupFraction;
    private final double floor;
    private long startNanos;

    /**
     * @param peak learning rate reached after warm-up
     * @param totalSteps optimiser updates in the whole run
     * @param warmupFraction share of the run spent warming up
     * @param floorFraction final learning rate as a fraction of the peak
     */
    public LearningRateSchedule(double peak, int totalSteps, double warmupFraction, double floorFraction) {
        this(peak, totalSteps, 0, warmupFraction, floorFraction);
    }

    private LearningRateSchedule(double peak, int totalSteps, long budgetNanos, double warmupFraction,
            double floorFraction) {
        if (!(peak > 0) || (totalSteps < 1 && budgetNanos <= 0) || warmupFraction < 0 || warmupFraction >= 1
                || floorFraction < 0 || floorFraction > 1) {
            throw new IllegalArgumentException("bad learning-rate schedule: peak=" + peak + " steps=" + totalSteps
                    + " budget=" + budgetNanos + "ns warmup=" + warmupFraction + " floor=" + floorFraction);
        }
        this.peak = peak;
        this.totalSteps = totalSteps;
        this.budgetNanos = budgetNanos;
        this.warmupFraction = warmupFraction;
        this.floor = peak * floorFraction;
    }

    /** A schedule over wall time: {@link #start()} starts its clock, and it ends {@code budget} later. */
    public static LearningRateSchedule overTime(double peak, Duration budget, double warmupFraction,
            double floorFraction) {
        return new LearningRateSchedule(peak, 0, budget.toNanos(), warmupFraction, floorFraction);
    }

    /** Starts the clock of a schedule over time (the first step also starts it). */
    public void start() {
        startNanos = System.nanoTime();
    }

    /** Share of the run done: steps over planned steps, or elapsed over budgeted time (capped at 1). */
    public double progress(int step) {
        if (budgetNanos > 0) {
            if (startNanos == 0) {
                start();
            }
            return Math.min(1.0, (double) (System.nanoTime() - startNanos) / budgetNanos);
        }
        return Math.min(1.0, (double) step / totalSteps);
    }

    /** Whether the run's time is up (always false for a schedule over steps). */
    public boolean spent() {
        return budgetNanos > 0 && progress(0) >= 1.0;
    }

    /** Learning rate at a progress in [0, 1]. */
    public double atProgress(double progress) {
        if (progress < warmupFraction) {
            double start = peak * 0.1;
            return start + (peak - start) * progress / warmupFraction;
        }
        double decay = Math.min(1.0, (progress - warmupFraction) / (1 - warmupFraction));
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * decay));
    }

    /** Learning rate for the given 0-based update number (later steps than planned stay at the floor). */
    public double at(int step) {
        return atProgress(progress(step));
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) at(numUpdate);
    }
}
