package org.lepistream.decision.routing;

/**
 * "No butterfly in this photo": the segmenter found less insect than any real sighting shows. A species answer for
 * an empty lawn is worse than none, so such a sighting goes to an expert (reason NO_BUTTERFLY) whatever the
 * classifier's confidence. The threshold is a share of the mask's pixels, calibrated on photos with butterflies and
 * on the same photos with the butterfly erased ({@code evaluate --no-butterfly}).
 */
public record NoButterfly(double maxMaskArea) {

    /** Off: no sighting is flagged. */
    public static final NoButterfly OFF = new NoButterfly(0);

    public NoButterfly {
        if (!(maxMaskArea >= 0 && maxMaskArea <= 1)) {
            throw new IllegalArgumentException("no-butterfly mask area must be in [0, 1], got " + maxMaskArea);
        }
    }

    /**
     * The mask probability a pixel needs to count as insect. Sure pixels, not the 0.5 of the mask itself: on Leeds
     * `val` with the butterfly erased, the weak 10%-mask segmenter still marks a median 18% of the inpainted frame at
     * 0.5 but 4.7% at 0.95, while real butterflies keep 15.5% (`evaluate --no-butterfly`).
     */
    public static final float SURE = 0.95f;

    /** Share of mask pixels at or above {@link #SURE}. */
    public static double area(float[] mask) {
        return area(mask, SURE);
    }

    /** Share of mask pixels at or above {@code cut}. */
    public static double area(float[] mask, float cut) {
        int on = 0;
        for (float v : mask) {
            on += v >= cut ? 1 : 0;
        }
        return mask.length == 0 ? 0 : (double) on / mask.length;
    }

    /** Whether a photo with this mask shows no butterfly (false without a mask: nothing was measured). */
    public boolean flags(float[] mask) {
        return mask != null && maxMaskArea > 0 && area(mask) < maxMaskArea;
    }
}
