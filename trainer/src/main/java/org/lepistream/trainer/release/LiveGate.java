package org.lepistream.trainer.release;

import java.util.Locale;
import java.util.Optional;

/**
 * The gate's live check: the audits (random accepted identifications that experts checked) are the only sample of
 * live accepted traffic with known answers. Once there are at least {@code minAudits} of them, the candidate, with
 * its own recalibrated thresholds, must be at least as precise on the audited photos as the current model with its
 * thresholds, within {@code tolerance}. Fewer audits say too little (one photo in 30 is 3 points): then it abstains.
 *
 * @param minAudits 0 turns the check off
 */
public record LiveGate(int minAudits, double tolerance) {

    public static final LiveGate DEFAULT = new LiveGate(30, 0.02);

    public LiveGate {
        if (minAudits < 0 || !(tolerance >= 0 && tolerance <= 1)) {
            throw new IllegalArgumentException("live gate needs minAudits >= 0 and a tolerance in [0, 1], got "
                    + minAudits + " and " + tolerance);
        }
    }

    /** Whether the check runs with this many audits. */
    public boolean applies(int audits) {
        return minAudits > 0 && audits >= minAudits;
    }

    /**
     * Empty when the candidate passes (or accepts none of the audited photos: then it sends them all to review and
     * no wrong answer gets out), otherwise the refusal with both precisions.
     */
    public Optional<Gate.Refusal> judge(ModelScore current, ModelScore candidate) {
        if (Double.isNaN(candidate.acceptedPrecision()) || Double.isNaN(current.acceptedPrecision())) {
            return Optional.empty();
        }
        if (candidate.acceptedPrecision() < current.acceptedPrecision() - tolerance) {
            return Optional.of(new Gate.Refusal("live_precision", String.format(Locale.ROOT,
                    "precision on %d audited live photos %.3f < current %.3f - %.3f", candidate.n(),
                    candidate.acceptedPrecision(), current.acceptedPrecision(), tolerance)));
        }
        return Optional.empty();
    }
}
