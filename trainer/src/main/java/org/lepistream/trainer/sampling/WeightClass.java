package org.lepistream.trainer.sampling;

import java.util.Locale;

/** How the service did on an example, which decides whether the next training run sees it more or less often. */
public enum WeightClass {
    /** Right species (or genus) and the classifier looked at the butterfly: already learnt, under-weighted. */
    EASY,
    /** Right answer but the attention sat mostly off the butterfly (a LOW_OVERLAP review): right for the wrong reasons. */
    LOW_OVERLAP,
    /** The service's answer at the expert's rank was wrong: hard negative, over-weighted. */
    WRONG,
    /** No service outcome to judge by (the seed training set): neither pushed nor held back. */
    NEUTRAL;

    /** Lower-case label used in metrics and files. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The class of an expert-labelled example. */
    public static WeightClass of(boolean correct, boolean lowOverlap) {
        if (!correct) {
            return WRONG;
        }
        return lowOverlap ? LOW_OVERLAP : EASY;
    }
}
