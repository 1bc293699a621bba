package org.lepistream.vision.training;

/**
 * Which epochs of a run are validated. Validation is not free (on
 * butterflies-75, 969 photos forward-only cost ~7% of an epoch), and only the last part of a cosine schedule is
 * where the kept epoch comes from, so a budgeted run validates every ~tenth of the run and then every epoch in its
 * last quarter; the last epoch is always validated.
 */
final class EpochPlan {
    /** The share of the run, at its end, in which every epoch is validated. */
    static final double VALIDATE_ALL_AFTER = 0.75;

    private EpochPlan() {
    }

    /** The cadence: {@code configured} when set, else every epoch for a run by epochs, every ~tenth with a budget. */
    static int every(int configured, int epochs, boolean budgeted) {
        if (configured > 0) {
            return configured;
        }
        return budgeted ? Math.max(1, (int) Math.round(epochs / 10.0)) : 1;
    }

    /** Whether 1-based {@code epoch} of {@code epochs} is validated at cadence {@code every}. */
    static boolean validates(int epoch, int epochs, int every) {
        return epoch >= epochs || epoch % every == 0 || epoch > epochs * VALIDATE_ALL_AFTER;
    }
}
