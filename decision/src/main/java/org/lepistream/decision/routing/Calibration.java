package org.lepistream.decision.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lepistream.decision.analysis.AttentionMap;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * Calibrates routing on labelled validation photos: picks the attention level and binarisation rule whose Over-CAM
 * overlap best separates right from wrong species predictions (AUROC), then the species-probability and overlap
 * thresholds that accept as many photos as possible while the accepted ones stay at least {@code target} correct.
 * Also reports the risk–coverage curves of overlap routing against confidence-only routing.
 */
public final class Calibration {

    /**
     * One validation photo as the model saw it, with its true node index per rank (-1 unknown); {@code gradCam} may
     * be null (then only CBAM levels are candidates).
     */
    public record Observation(double[][] rankProbabilities, List<AttentionMap> attention, AttentionMap gradCam,
            float[] mask, int maskSize, int[] labels) {

        public Observation(double[][] rankProbabilities, List<AttentionMap> attention, float[] mask, int maskSize,
                int[] labels) {
            this(rankProbabilities, attention, null, mask, maskSize, labels);
        }

        /** The photo as seen by the service. */
        public static Observation of(ImageAnalysis a, int[] labels) {
            return new Observation(a.rankProbabilities(), a.attention(), a.gradCam(), a.mask(), a.maskSize(), labels);
        }
    }

    /** One Over-CAM setting and how well its overlap separates right from wrong (0.5 = not at all). */
    public record Candidate(OverCam.Settings settings, double auroc) {}

    /**
     * The cascade's operating point: at or above {@code maskFreeAbove} species probability the overlap is not
     * consulted, so the segmenter need not run ({@code maskedShare} of the photos still need it); the lowest such
     * threshold that keeps the accepted precision at the target. Infinite when no photo can skip the mask.
     */
    public record Cascade(double maskFreeAbove, double precision, double coverage, double maskedShare) {
        public boolean skipsAny() {
            return maskedShare < 1;
        }

        /** The cascade's rule, as calibrated and as served: a photo needs its mask below the threshold. */
        public static boolean needsMask(double[][] rankProbabilities, double maskFreeAbove) {
            double top = 0;
            for (double v : rankProbabilities[rankProbabilities.length - 1]) {
                top = Math.max(top, v);
            }
            return top < maskFreeAbove;
        }
    }

    /** A point of a risk–coverage curve: share accepted, and share of the accepted that is wrong. */
    public record Point(double coverage, double risk) {}

    /**
     * The outcome.
     *
     * @param thresholds per rank name plus "overlap", ready for a release or for {@code lepistream.threshold.*}
     * @param reachable whether some thresholds achieve the target; if not, the species threshold is 1 (review all)
     * @param precision share of accepted species predictions that are right, on this data
     * @param coverage share of photos accepted
     * @param confidenceOnlyCoverage coverage confidence-only routing reaches at the same target
     */
    public record Result(OverCam.Settings overlap, Map<String, Double> thresholds, boolean reachable, double precision,
            double coverage, double confidenceOnlyCoverage, int n, int correct, List<Candidate> candidates,
            List<Point> withOverlap, List<Point> confidenceOnly, Cascade cascade) {

        /** Thresholds plus the Over-CAM setting as the legacy map of doubles (see {@link RoutingPolicy#fromLegacy}). */
        public Map<String, Double> releaseThresholds() {
            Map<String, Double> all = new LinkedHashMap<>(thresholds);
            all.putAll(overlap.toThresholds());
            if (cascade.skipsAny() && cascade.maskFreeAbove() <= 1) {
                // The cascade's operating point belongs to this model: a release carries it with its thresholds.
                all.put(RoutingPolicy.MASK_FREE_ABOVE_KEY, cascade.maskFreeAbove());
            }
            return all;
        }
    }

    private static final double[] TOP_PERCENTS = {10, 20, 30};

    private Calibration() {}

    public static Result calibrate(List<Observation> all, Taxonomy taxonomy, double target) {
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("target precision must be in (0, 1], got " + target);
        }
        int leaf = taxonomy.depth() - 1;
        List<Observation> obs = all.stream().filter(o -> o.labels()[leaf] >= 0).toList();
        if (obs.isEmpty()) {
            throw new IllegalArgumentException("no validation photos with a species label to calibrate on");
        }
        int n = obs.size();
        double[] p = new double[n];
        boolean[] right = new boolean[n];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double[] leafP = obs.get(i).rankProbabilities()[leaf];
            int best = ImageAnalysis.argmax(leafP);
            p[i] = leafP[best];
            right[i] = best == obs.get(i).labels()[leaf];
            correct += right[i] ? 1 : 0;
        }

        List<Candidate> candidates = new ArrayList<>();
        Candidate chosen = null;
        double[] chosenOverlap = null;
        int levels = obs.get(0).attention().size();
        List<OverCam.Settings> settings = new ArrayList<>();
        for (int level = levels - 1; level >= 0; level--) {
            settings.addAll(rules(level - levels, OverCam.Source.ATTENTION));
        }
        if (obs.stream().allMatch(o -> o.gradCam() != null)) {
            settings.addAll(rules(-1, OverCam.Source.GRAD_CAM));
        }
        for (OverCam.Settings s : settings) {
            double[] o = overlaps(obs, new OverCam(s));
            Candidate c = new Candidate(s, auroc(o, right));
            candidates.add(c);
            // Strictly better only: ties keep the earlier candidate (CBAM before Grad-CAM, deeper level, mean rule).
            if (chosen == null || (!Double.isNaN(c.auroc()) && (Double.isNaN(chosen.auroc())
                    || c.auroc() > chosen.auroc()))) {
                chosen = c;
                chosenOverlap = o;
            }
        }
        if (chosen == null) {
            throw new IllegalArgumentException("the model has no attention maps or Grad-CAM to calibrate Over-CAM on");
        }

        Operating withOverlap = bestOperatingPoint(p, chosenOverlap, right, target);
        Operating confidenceOnly = bestOperatingPoint(p, new double[n], right, target);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        double species = withOverlap.reachable ? withOverlap.speciesThreshold : 1.0;
        for (int r = 0; r < leaf; r++) {
            // Never stricter than the species threshold: a parent's probability is at least its child's, so an
            // accepted species always gets past its ancestors on the way down.
            thresholds.put(taxonomy.ranks().get(r), Math.min(species, rankThreshold(obs, r, target)));
        }
        thresholds.put(taxonomy.ranks().get(leaf), species);
        thresholds.put("overlap", withOverlap.reachable ? withOverlap.overlapThreshold : 0.0);
        Cascade cascade = withOverlap.reachable
                ? cascade(p, chosenOverlap, right, species, withOverlap.overlapThreshold, target)
                : new Cascade(Double.POSITIVE_INFINITY, withOverlap.precision, withOverlap.coverage, 1.0);
        return new Result(chosen.settings(), thresholds, withOverlap.reachable, withOverlap.precision,
                withOverlap.coverage, confidenceOnly.reachable ? confidenceOnly.coverage : 0.0, n, correct,
                candidates, curve(p, chosenOverlap, withOverlap.overlapThreshold, right),
                curve(p, new double[n], 0.0, right), cascade);
    }

    /**
     * The lowest species probability m ≥ t_s such that accepting every photo with p ≥ m, and those with
     * t_s ≤ p < m only when their overlap ≥ t_o, is still at least {@code target} correct. Skipping the overlap can
     * only add accepted photos, so coverage never falls; precision is what bounds m.
     */
    static Cascade cascade(double[] p, double[] overlap, boolean[] right, double ts, double to, double target) {
        double[] cuts = Arrays.stream(p).filter(v -> v >= ts).distinct().sorted().toArray();
        Cascade best = evaluate(p, overlap, right, ts, to, Double.POSITIVE_INFINITY);
        for (int k = cuts.length - 1; k >= 0; k--) {
            Cascade c = evaluate(p, overlap, right, ts, to, cuts[k]);
            if (c.precision() >= target) {
                best = c; // lower m, more photos skip the segmenter
            } else {
                break; // a lower m only adds the photos the overlap would have turned away
            }
        }
        return best;
    }

    private static Cascade evaluate(double[] p, double[] overlap, boolean[] right, double ts, double to, double m) {
        int accepted = 0;
        int ok = 0;
        int masked = 0;
        for (int i = 0; i < p.length; i++) {
            boolean skip = p[i] >= m; // p is the top species probability: Cascade.needsMask's rule
            masked += skip ? 0 : 1;
            if (skip || (p[i] >= ts && overlap[i] >= to)) {
                accepted++;
                ok += right[i] ? 1 : 0;
            }
        }
        return new Cascade(m, accepted == 0 ? 1.0 : (double) ok / accepted, (double) accepted / p.length,
                (double) masked / p.length);
    }

    private static List<OverCam.Settings> rules(int level, OverCam.Source source) {
        List<OverCam.Settings> out = new ArrayList<>();
        out.add(new OverCam.Settings(level, OverCam.Rule.MEAN, 20, 0.5, source));
        for (double top : TOP_PERCENTS) {
            out.add(new OverCam.Settings(level, OverCam.Rule.TOP_PERCENT, top, 0.5, source));
        }
        return out;
    }

    private record Operating(boolean reachable, double speciesThreshold, double overlapThreshold, double precision,
            double coverage) {}

    /**
     * Most photos accepted (species probability ≥ t_s and overlap ≥ t_o) with precision ≥ target; for each
     * candidate t_o, a sweep over the photos sorted by probability finds the best t_s.
     */
    static Operating bestOperatingPoint(double[] p, double[] overlap, boolean[] right, double target) {
        int n = p.length;
        double[] overlapCuts = Arrays.stream(overlap).distinct().sorted().toArray();
        Operating best = new Operating(false, 1.0, 0.0, 0.0, 0.0);
        Integer[] byP = new Integer[n];
        for (int i = 0; i < n; i++) {
            byP[i] = i;
        }
        Arrays.sort(byP, Comparator.comparingDouble((Integer i) -> p[i]).reversed());
        for (double to : overlapCuts) {
            int accepted = 0;
            int ok = 0;
            for (int k = 0; k < n; k++) {
                int i = byP[k];
                if (overlap[i] < to) {
                    continue;
                }
                accepted++;
                ok += right[i] ? 1 : 0;
                // Only cut between distinct probabilities: t_s = p[i] accepts every photo at least this confident.
                boolean lastOfTie = k + 1 == n || p[byP[k + 1]] < p[i];
                if (!lastOfTie) {
                    continue;
                }
                double precision = (double) ok / accepted;
                double coverage = (double) accepted / n;
                if (precision >= target && (coverage > best.coverage
                        || (coverage == best.coverage && precision > best.precision))) {
                    best = new Operating(true, p[i], to, precision, coverage);
                }
            }
        }
        return best;
    }

    /** Lowest probability threshold at a parent rank whose accepted argmax predictions are ≥ target correct. */
    private static double rankThreshold(List<Observation> obs, int rank, double target) {
        List<double[]> scored = new ArrayList<>(); // {probability, right?1:0}
        for (Observation o : obs) {
            if (o.labels()[rank] < 0) {
                continue;
            }
            int best = ImageAnalysis.argmax(o.rankProbabilities()[rank]);
            scored.add(new double[] {o.rankProbabilities()[rank][best], best == o.labels()[rank] ? 1 : 0});
        }
        scored.sort(Comparator.comparingDouble((double[] s) -> s[0]).reversed());
        double threshold = 1.0;
        int ok = 0;
        for (int k = 0; k < scored.size(); k++) {
            ok += (int) scored.get(k)[1];
            boolean lastOfTie = k + 1 == scored.size() || scored.get(k + 1)[0] < scored.get(k)[0];
            if (lastOfTie && (double) ok / (k + 1) >= target) {
                threshold = scored.get(k)[0];
            }
        }
        return threshold;
    }

    /** Risk–coverage of accepting by decreasing probability among photos whose overlap clears the threshold. */
    private static List<Point> curve(double[] p, double[] overlap, double overlapThreshold, boolean[] right) {
        int n = p.length;
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (overlap[i] >= overlapThreshold) {
                eligible.add(i);
            }
        }
        eligible.sort(Comparator.comparingDouble((Integer i) -> p[i]).reversed());
        List<Point> points = new ArrayList<>();
        int wrong = 0;
        int step = Math.max(1, eligible.size() / 20);
        for (int k = 0; k < eligible.size(); k++) {
            wrong += right[eligible.get(k)] ? 0 : 1;
            if ((k + 1) % step == 0 || k + 1 == eligible.size()) {
                points.add(new Point((double) (k + 1) / n, (double) wrong / (k + 1)));
            }
        }
        return points;
    }

    private static double[] overlaps(List<Observation> obs, OverCam overCam) {
        double[] o = new double[obs.size()];
        for (int i = 0; i < o.length; i++) {
            Observation x = obs.get(i);
            if (x.mask() == null) {
                // No segmenter in the bundle: overlap 0, as the service measures it, so only confidence can route.
                continue;
            }
            AttentionMap map = overCam.settings().source() == OverCam.Source.GRAD_CAM ? x.gradCam()
                    : x.attention().get(overCam.levelIndex(x.attention().size()));
            o[i] = overCam.overlap(map.values(), map.height(), map.width(), x.mask(), x.maskSize(), x.maskSize());
        }
        return o;
    }

    /** Probability that a random right prediction has a higher score than a random wrong one (ties count half). */
    static double auroc(double[] score, boolean[] positive) {
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (int i = 0; i < score.length; i++) {
            (positive[i] ? pos : neg).add(score[i]);
        }
        if (pos.isEmpty() || neg.isEmpty()) {
            return Double.NaN;
        }
        double wins = 0;
        for (double a : pos) {
            for (double b : neg) {
                wins += a > b ? 1 : a == b ? 0.5 : 0;
            }
        }
        return wins / ((double) pos.size() * neg.size());
    }
}
