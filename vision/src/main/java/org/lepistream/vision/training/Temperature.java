package org.lepistream.vision.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.evaluation.CalibrationError;
import org.lepistream.vision.evaluation.TemperatureScaling;

/**
 * The softmax temperature of a freshly trained model, fitted on the photos that chose its epoch (label smoothing
 * and a short schedule leave the raw probabilities mis-calibrated: ECE 0.10 on Leeds, 0.13 on butterflies-75), with
 * the species ECE and NLL before and after as the evidence.
 */
record Temperature(double temperature, int photos, int mistakes, double eceBefore, double eceAfter,
        double nllBefore, double nllAfter) {
    private static final int BATCH = 32;
    /**
     * Fewer mistakes than this on val and T stays 1: with (almost) none, the likelihood keeps rising as T falls and
     * the fit would sharpen the model without bound on no evidence.
     */
    static final int MIN_MISTAKES = 5;

    /** Runs {@code bundle} (at T = 1) over {@code samples} and fits T on their species labels. */
    static Temperature fit(ModelBundle bundle, List<Sample> samples) throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        try (Identifier identifier = bundle.newIdentifier()) {
            for (int from = 0; from < samples.size(); from += BATCH) {
                List<Sample> part = samples.subList(from, Math.min(samples.size(), from + BATCH));
                List<BufferedImage> images = new ArrayList<>();
                for (Sample s : part) {
                    images.add(decoder.decode(s.image()));
                    labels.add(s.leaf());
                }
                for (ImageAnalysis a : identifier.analyse(images)) {
                    rows.add(a.leafProbabilities());
                }
            }
        }
        double[][] p = rows.toArray(new double[0][]);
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        int mistakes = mistakes(p, y);
        double t = mistakes < MIN_MISTAKES ? 1.0 : TemperatureScaling.fit(p, y);
        double[][] q = TemperatureScaling.apply(p, t);
        return new Temperature(t, y.length, mistakes, ece(p, y), ece(q, y), TemperatureScaling.meanNll(p, y),
                TemperatureScaling.meanNll(q, y));
    }

    /** Whether the fit had enough mistakes to go on (else T is 1). */
    boolean fitted() {
        return mistakes >= MIN_MISTAKES;
    }

    private static int mistakes(double[][] p, int[] y) {
        int n = 0;
        for (int i = 0; i < p.length; i++) {
            if (y[i] >= 0 && ImageAnalysis.argmax(p[i]) != y[i]) {
                n++;
            }
        }
        return n;
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", round(temperature));
        m.put("fittedOn", "val (" + photos + " photos, " + mistakes + " species mistakes)");
        m.put("fitted", fitted());
        m.put("speciesEceBefore", round(eceBefore));
        m.put("speciesEceAfter", round(eceAfter));
        m.put("nllBefore", round(nllBefore));
        m.put("nllAfter", round(nllAfter));
        return m;
    }

    private static double ece(double[][] p, int[] y) {
        return CalibrationError.expected(p, y, CalibrationError.DEFAULT_BINS);
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
