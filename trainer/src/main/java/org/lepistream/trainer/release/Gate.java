package org.lepistream.trainer.release;

import java.util.Locale;
import java.util.Optional;

/**
 * Releases a candidate only if it is not worse than the model in service on the fixed validation set: species top-1
 * may drop by at most {@code top1Tolerance}, mistake severity rise by at most {@code severityTolerance}, accepted-
 * prediction precision drop by at most {@code precisionTolerance}. Small tolerances absorb the noise of a ~100-photo
 * validation set (one photo = 1 point) without letting a real regression through.
 */
public record Gate(double top1Tolerance, double severityTolerance, double precisionTolerance) {

    public static final Gate DEFAULT = new Gate(0.01, 0.05, 0.02);

    /** Empty when the candidate passes, otherwise the first failing criterion, stated with both numbers. */
    public Optional<Refusal> judge(ModelScore current, ModelScore candidate) {
        if (candidate.speciesTop1() < current.speciesTop1() - top1Tolerance) {
            return Optional.of(new Refusal("species_top1", String.format(Locale.ROOT,
                    "species top-1 %.3f < current %.3f - %.3f", candidate.speciesTop1(), current.speciesTop1(),
                    top1Tolerance)));
        }
        if (candidate.mistakeSeverity() > current.mistakeSeverity() + severityTolerance) {
            return Optional.of(new Refusal("mistake_severity", String.format(Locale.ROOT,
                    "mistake severity %.3f > current %.3f + %.3f", candidate.mistakeSeverity(),
                    current.mistakeSeverity(), severityTolerance)));
        }
        // A candidate that accepts nothing sends everything to review: no wrong answer can get out, so it passes.
        if (!Double.isNaN(candidate.acceptedPrecision()) && !Double.isNaN(current.acceptedPrecision())
                && candidate.acceptedPrecision() < current.acceptedPrecision() - precisionTolerance) {
            return Optional.of(new Refusal("accepted_precision", String.format(Locale.ROOT,
                    "accepted precision %.3f < current %.3f - %.3f", candidate.acceptedPrecision(),
                    current.acceptedPrecision(), precisionTolerance)));
        }
        return Optional.empty();
    }

    /** Why a candidate was refused: the metric (a metrics label) and a sentence for the log. */
    public record Refusal(String metric, String reason) {
    }
}
