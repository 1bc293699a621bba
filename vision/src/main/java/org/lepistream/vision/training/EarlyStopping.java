package org.lepistream.vision.training;

/**
 * Remembers the best validation score and says when {@code patience} epochs have passed without beating it. Ties do
 * not count as improvements: with 100 val images, a later epoch at the same accuracy is not evidence of progress.
 */
public final class EarlyStopping {
    private final int patience;
    private final boolean laterTiesWin;
    private double best = Double.NEGATIVE_INFINITY;
    private int bestEpoch = -1;
    private int sinceBest;

    /** @param patience epochs without improvement before stopping; 0 never stops */
    public EarlyStopping(int patience) {
        this(patience, false);
    }

    /**
     * @param laterTiesWin whether an epoch that equals the best replaces it: right when the run follows a schedule
     *     to its end, where the later of two equal epochs has the lower learning rate and has seen more data
     */
    public EarlyStopping(int patience, boolean laterTiesWin) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        this.patience = patience;
        this.laterTiesWin = laterTiesWin;
    }

    /** Records an epoch's score; returns true when it is the new best (the caller should checkpoint). */
    public boolean record(int epoch, double score) {
        if (score > best || bestEpoch < 0 || (laterTiesWin && score == best)) {
            best = score;
            bestEpoch = epoch;
            sinceBest = 0;
            return true;
        }
        sinceBest++;
        return false;
    }

    /** True once {@code patience} epochs in a row did not improve. */
    public boolean shouldStop() {
        return patience > 0 && sinceBest >= patience;
    }

    public double best() {
        return best;
    }

    /** Epoch of the best score, or -1 before the first record. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
