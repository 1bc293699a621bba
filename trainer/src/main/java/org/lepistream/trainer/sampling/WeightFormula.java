package org.lepistream.trainer.sampling;

import java.util.Locale;
import java.util.Map;

/**
 * The adaptive-sampling weight of one training example:
 *
 * <pre>
 *   w = clamp( outcome(class) × ( N / (K · n_c) )^α , min, max )
 * </pre>
 *
 * where outcome is {@code easy} / {@code lowOverlap} / {@code wrong} / {@code neutral} by {@link WeightClass}, N the
 * number of training examples, K the number of distinct label classes, n_c the examples of this example's class (its
 * deepest labelled taxon) and α the class-balance exponent (0 = off, 1 = full inverse frequency). Weights are then
 * divided by their mean so that an epoch's expected loss scale does not drift with the mix of outcomes.
 *
 * <p>Defaults (paper's intent, values our choice): easy 0.5, low overlap 0.75 (under-weighted, but less than an easy
 * case: the label is right yet the model must still learn to look at the insect), wrong 2.0, neutral 1.0, α = 0.5
 * (square-root balancing: full inverse frequency over-samples a rare class's handful of photos to memorisation),
 * clamp [0.1, 10].
 */
public record WeightFormula(double easy, double lowOverlap, double wrong, double neutral, double classBalance,
        double min, double max) {

    public static final WeightFormula DEFAULT = new WeightFormula(0.5, 0.75, 2.0, 1.0, 0.5, 0.1, 10.0);
    /** Every example equally likely: the baseline the adaptive formula is compared with. */
    public static final WeightFormula UNIFORM = new WeightFormula(1, 1, 1, 1, 0, 1, 1);
    /** Every label class drawn equally often whatever the outcomes: the class-balanced baseline (no clamp in reach). */
    public static final WeightFormula CLASS_BALANCED = new WeightFormula(1, 1, 1, 1, 1, 0, 1e6);

    public WeightFormula {
        for (double v : new double[] {easy, lowOverlap, wrong, neutral, classBalance, min, max}) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("weight formula values must be finite and >= 0, got " + v);
            }
        }
        if (min > max) {
            throw new IllegalArgumentException("weight min " + min + " is above max " + max);
        }
        if (max <= 0) {
            throw new IllegalArgumentException("weight max must be > 0");
        }
    }

    /** The outcome factor of a class. */
    public double outcome(WeightClass c) {
        return switch (c) {
            case EASY -> easy;
            case LOW_OVERLAP -> lowOverlap;
            case WRONG -> wrong;
            case NEUTRAL -> neutral;
        };
    }

    /**
     * Reads {@code weight.easy}, {@code weight.low-overlap}, {@code weight.wrong}, {@code weight.neutral},
     * {@code weight.class-balance}, {@code weight.min}, {@code weight.max} (each optional) over the defaults.
     */
    public static WeightFormula fromProperties(Map<String, String> p) {
        return new WeightFormula(num(p, "weight.easy", DEFAULT.easy), num(p, "weight.low-overlap", DEFAULT.lowOverlap),
                num(p, "weight.wrong", DEFAULT.wrong), num(p, "weight.neutral", DEFAULT.neutral),
                num(p, "weight.class-balance", DEFAULT.classBalance), num(p, "weight.min", DEFAULT.min),
                num(p, "weight.max", DEFAULT.max));
    }

    private static double num(Map<String, String> p, String key, double fallback) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "easy=%.2f lowOverlap=%.2f wrong=%.2f neutral=%.2f classBalance=%.2f "
                + "clamp=[%.2f,%.2f]", easy, lowOverlap, wrong, neutral, classBalance, min, max);
    }
}
