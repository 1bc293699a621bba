package org.lepistream.vision.evaluation;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.decision.routing.NoButterfly;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;

/**
 * How well the segmenter's mask area tells photos with a butterfly from photos without one: every photo with a hand
 * mask is segmented as it is and with its butterfly erased ({@link BackgroundSwap#eraseSubject}, the background-swap
 * donors), and a sweep of area thresholds says what share of each would be flagged NO_BUTTERFLY.
 */
public final class NoButterflyCheck {

    /** Mask areas with and without the butterfly, in the samples' order. */
    public record Areas(double[] butterflies, double[] backgrounds) {

        /** Share of {@code values} strictly below {@code t}. */
        static double below(double[] values, double t) {
            return values.length == 0 ? 0 : Arrays.stream(values).filter(v -> v < t).count() / (double) values.length;
        }

        /** The largest threshold that flags at most {@code budget} of the butterfly photos. */
        public double threshold(double budget) {
            double[] sorted = butterflies.clone();
            Arrays.sort(sorted);
            int allowed = (int) Math.floor(budget * sorted.length);
            // Flag only areas below the (allowed+1)-th smallest butterfly area.
            return sorted.length == 0 ? 0 : sorted[Math.min(allowed, sorted.length - 1)];
        }

        public String summary() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "no butterfly: segmenter's sure-insect area on %d photos, median %.3f (min"
                    + " %.3f); on the same photos with the butterfly erased, median %.3f (max %.3f)%n",
                    butterflies.length, median(butterflies), min(butterflies), median(backgrounds),
                    max(backgrounds)));
            for (double budget : new double[] {0.01, 0.02, 0.05}) {
                double t = threshold(budget);
                s.append(String.format(Locale.ROOT, "  threshold %.3f: flags %.1f%% of butterfly photos, %.1f%% of"
                        + " butterfly-free ones%n", t, 100 * below(butterflies, t), 100 * below(backgrounds, t)));
            }
            return s.toString();
        }

        private static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length == 0 ? Double.NaN : s[s.length / 2];
        }

        private static double min(double[] v) {
            return Arrays.stream(v).min().orElse(Double.NaN);
        }

        private static double max(double[] v) {
            return Arrays.stream(v).max().orElse(Double.NaN);
        }
    }

    private NoButterflyCheck() {
    }

    /** @throws IllegalArgumentException when the bundle has no segmenter or no sample has a hand mask */
    public static Areas measure(ModelBundle bundle, List<Sample> samples) throws Exception {
        if (!bundle.hasSegmenter()) {
            throw new IllegalArgumentException("the model has no segmenter: there is no mask to measure");
        }
        ImageDecoder decoder = new ImageDecoder();
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        try (Identifier identifier = bundle.newIdentifier()) {
            for (Sample s : samples) {
                if (s.mask() == null) {
                    continue;
                }
                BufferedImage photo = decoder.decode(s.image());
                BufferedImage hand = ImageIO.read(s.mask().toFile());
                List<ImageAnalysis> both = identifier.analyse(List.of(photo, BackgroundSwap.eraseSubject(photo,
                        hand)));
                with.add(NoButterfly.area(both.get(0).mask()));
                without.add(NoButterfly.area(both.get(1).mask()));
            }
        }
        if (with.isEmpty()) {
            throw new IllegalArgumentException("no photo has a hand mask: the butterfly cannot be erased");
        }
        return new Areas(with.stream().mapToDouble(Double::doubleValue).toArray(),
                without.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
