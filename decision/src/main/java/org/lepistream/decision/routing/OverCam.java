package org.lepistream.decision.routing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.lepistream.decision.analysis.AttentionMap;
import org.lepistream.decision.analysis.ImageAnalysis;

/** Over-CAM overlap: the share of the classifier's binarised spatial attention that lies inside the segmenter's mask. */
public final class OverCam {

    /** How an attention map is turned into an on/off region. */
    public enum Rule {
        /** Cells at or above the map's mean: adapts to each image's contrast, no parameter. */
        MEAN,
        /** The highest {@code topPercent}% of cells: a fixed-size region, robust to flat maps. */
        TOP_PERCENT
    }

    /** Which map is binarised. */
    public enum Source {
        /** One of CBAM's spatial attention maps, chosen by {@code level}. */
        ATTENTION,
        /**
         * Grad-CAM of the predicted species on the last stage ({@code level} unused). On Leeds it separated right
         * from wrong predictions better than any CBAM level for both models measured (docs/PERFORMANCE.md), so
         * calibration considers it beside the attention levels.
         */
        GRAD_CAM
    }

    /**
     * Which map and which rule.
     *
     * @param level attention level index; negative counts from the end (-1 = last, the deepest and most semantic)
     * @param rule binarisation rule
     * @param topPercent share of cells kept by {@link Rule#TOP_PERCENT}, in (0, 100]
     * @param maskThreshold mask probability at or above which a pixel counts as butterfly
     * @param source CBAM attention (at {@code level}) or Grad-CAM
     */
    public record Settings(int level, Rule rule, double topPercent, double maskThreshold, Source source) {
        public static final Settings DEFAULT = new Settings(-1, Rule.MEAN, 20.0, 0.5);
        public static final String LEVEL_KEY = "overlap.level";
        public static final String TOP_PERCENT_KEY = "overlap.topPercent";
        /** 1 = Grad-CAM, 0 or absent = CBAM attention (thresholds maps hold numbers only). */
        public static final String GRAD_CAM_KEY = "overlap.gradCam";

        /** A setting on CBAM attention. */
        public Settings(int level, Rule rule, double topPercent, double maskThreshold) {
            this(level, rule, topPercent, maskThreshold, Source.ATTENTION);
        }

        public Settings {
            if (source == null) {
                throw new IllegalArgumentException("overlap source is required (ATTENTION or GRAD_CAM)");
            }
            if (rule == null) {
                throw new IllegalArgumentException("overlap rule is required (MEAN or TOP_PERCENT)");
            }
            if (!(topPercent > 0 && topPercent <= 100)) {
                throw new IllegalArgumentException("overlap top percent must be in (0, 100], got " + topPercent);
            }
            if (!(maskThreshold >= 0 && maskThreshold <= 1)) {
                throw new IllegalArgumentException("mask threshold must be in [0, 1], got " + maskThreshold);
            }
        }

        /**
         * The setting calibrated with a model, as recorded in its release or bundle thresholds ("overlap.level",
         * "overlap.topPercent", 0 or absent meaning the mean rule), or {@code fallback} when none is recorded.
         */
        public static Settings fromThresholds(Map<String, Double> thresholds, Settings fallback) {
            Double level = thresholds.get(LEVEL_KEY);
            if (level == null) {
                return fallback;
            }
            Double top = thresholds.get(TOP_PERCENT_KEY);
            Source source = thresholds.getOrDefault(GRAD_CAM_KEY, 0.0) > 0.5 ? Source.GRAD_CAM : Source.ATTENTION;
            return top == null || top <= 0
                    ? new Settings(level.intValue(), Rule.MEAN, fallback.topPercent(), fallback.maskThreshold(), source)
                    : new Settings(level.intValue(), Rule.TOP_PERCENT, top, fallback.maskThreshold(), source);
        }

        /** This setting as threshold-map entries (see {@link #fromThresholds}). */
        public Map<String, Double> toThresholds() {
            return Map.of(LEVEL_KEY, (double) level, TOP_PERCENT_KEY, rule == Rule.MEAN ? 0.0 : topPercent,
                    GRAD_CAM_KEY, source == Source.GRAD_CAM ? 1.0 : 0.0);
        }

        /** Parses {@code mean} or {@code top20} (top 20%) as written in configuration. */
        public static Rule parseRule(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("mean")) {
                return Rule.MEAN;
            }
            if (t.startsWith("top")) {
                return Rule.TOP_PERCENT;
            }
            throw new IllegalArgumentException("unknown overlap rule '" + text + "' (expected mean or top<percent>)");
        }
    }

    private final Settings settings;

    public OverCam(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The map this setting binarises: Grad-CAM, or the configured CBAM level.
     *
     * @throws IllegalArgumentException when the analysis lacks it (no CBAM, no Grad-CAM, level out of range)
     */
    public AttentionMap select(ImageAnalysis analysis) {
        if (settings.source() == Source.GRAD_CAM) {
            if (analysis.gradCam() == null) {
                throw new IllegalArgumentException("Over-CAM is set to Grad-CAM but the model produced none");
            }
            return analysis.gradCam();
        }
        return analysis.attention().get(levelIndex(analysis.attention().size()));
    }

    /** Picks the configured level out of all levels (index may count from the end). */
    public int levelIndex(int levels) {
        if (levels == 0) {
            throw new IllegalArgumentException("the model produced no attention maps (was it trained without CBAM?)");
        }
        int i = settings.level() < 0 ? levels + settings.level() : settings.level();
        if (i < 0 || i >= levels) {
            throw new IllegalArgumentException("attention level " + settings.level() + " out of range: model has "
                    + levels + " levels");
        }
        return i;
    }

    /** On/off attention cells of an h×w map (row-major). */
    public boolean[] binarise(float[] attention, int h, int w) {
        if (attention.length != h * w) {
            throw new IllegalArgumentException("attention has " + attention.length + " cells, expected " + h + "x" + w);
        }
        boolean[] on = new boolean[attention.length];
        if (settings.rule() == Rule.MEAN) {
            double mean = 0;
            for (float a : attention) {
                mean += a;
            }
            mean /= attention.length;
            // ">=" so that a perfectly flat map is "everywhere", not "nowhere": the overlap is then the mask's area.
            for (int i = 0; i < attention.length; i++) {
                on[i] = attention[i] >= mean;
            }
        } else {
            int k = Math.max(1, (int) Math.round(attention.length * settings.topPercent() / 100.0));
            Integer[] order = new Integer[attention.length];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (a, b) -> {
                int c = Float.compare(attention[b], attention[a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int i = 0; i < k; i++) {
                on[order[i]] = true;
            }
        }
        return on;
    }

    /**
     * Share of the binarised attention inside the mask. The attention map is upsampled to the mask's grid by nearest
     * neighbour (each attention cell covers a block of mask pixels) so that a coarse 4×4 map is judged against the
     * full-resolution butterfly outline, not a blurred one.
     *
     * @return overlap in [0, 1]
     */
    public double overlap(float[] attention, int h, int w, float[] mask, int mh, int mw) {
        if (mask.length != mh * mw) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels, expected " + mh + "x" + mw);
        }
        boolean[] on = binarise(attention, h, w);
        long onPixels = 0;
        long inside = 0;
        for (int y = 0; y < mh; y++) {
            int ay = Math.min(h - 1, (int) ((long) y * h / mh));
            for (int x = 0; x < mw; x++) {
                int ax = Math.min(w - 1, (int) ((long) x * w / mw));
                if (on[ay * w + ax]) {
                    onPixels++;
                    if (mask[y * mw + x] >= settings.maskThreshold()) {
                        inside++;
                    }
                }
            }
        }
        return onPixels == 0 ? 0.0 : (double) inside / onPixels;
    }
}
