// How well calibrated a bundle is on photos nothing was fitted on, and how much of its ECE is the sampling noise of
// a few hundred photos. For each rank: ECE on the report split as the bundle serves it; the ECE a perfectly
// calibrated model with the same confidences would show on that many photos (labels drawn with each photo's own
// confidence, 1,000 draws: mean and 95th percentile); and the report ECE after refitting the species temperature on
// the fit split two ways (NLL, as `train` does; ECE itself, by grid search). Run from the repo root after a build:
//   java -cp "vision/target/classes:$(cat vision/target/classpath.txt)" docs/experiments/CalibrationHoldout.java \
//       MODEL DATA FIT_SPLIT REPORT_SPLIT
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.decision.taxonomy.Taxonomy;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.evaluation.CalibrationError;
import org.lepistream.vision.evaluation.TemperatureScaling;

public class CalibrationHoldout {
    static final int BINS = CalibrationError.DEFAULT_BINS;

    public static void main(String[] args) throws Exception {
        try (ModelBundle bundle = ModelBundle.load(Path.of(args[0]))) {
            Taxonomy taxonomy = bundle.taxonomy();
            Dataset data = Dataset.load(Path.of(args[1]), DatasetOptions.defaults().withTaxonomy(taxonomy));
            List<Sample> fit = data.split(args[2]);
            List<Sample> report = data.split(args[3]);
            List<ImageAnalysis> onFit = analyse(bundle, fit);
            List<ImageAnalysis> onReport = analyse(bundle, report);
            int leafRank = taxonomy.depth() - 1;
            System.out.printf("%s on %s (%d photos); the bundle's temperature %.3f%n", args[0], args[3], report.size(),
                    bundle.manifest().temperatureOrOne());
            for (int r = 0; r < taxonomy.depth(); r++) {
                double[][] p = rank(onReport, r);
                int[] y = labels(report, r);
                double[] floor = noiseFloor(p, 1000, new Random(1));
                System.out.printf("  %-8s ECE %.3f; a calibrated model on %d photos: %.3f mean, %.3f at the 95th"
                        + " percentile%n", taxonomy.ranks().get(r), ece(p, y), y.length, floor[0], floor[1]);
            }
            // Species temperature refitted on the fit split (relative to the bundle's own: temperatures compose).
            double[][] pf = rank(onFit, leafRank);
            int[] yf = labels(fit, leafRank);
            double[][] pr = rank(onReport, leafRank);
            int[] yr = labels(report, leafRank);
            double byNll = TemperatureScaling.fit(pf, yf);
            double byEce = 1;
            double best = Double.MAX_VALUE;
            for (double t = 0.5; t <= 2.0001; t += 0.01) {
                double e = ece(TemperatureScaling.apply(pf, t), yf);
                if (e < best) {
                    best = e;
                    byEce = t;
                }
            }
            System.out.printf("  species, refitted on %s: by NLL x%.3f -> %s ECE %.3f (%s %.3f); by ECE x%.2f -> %s"
                    + " ECE %.3f (%s %.3f)%n", args[2], byNll, args[3], ece(TemperatureScaling.apply(pr, byNll), yr),
                    args[2], ece(TemperatureScaling.apply(pf, byNll), yf), byEce, args[3],
                    ece(TemperatureScaling.apply(pr, byEce), yr), args[2], best);
        }
    }

    static List<ImageAnalysis> analyse(ModelBundle bundle, List<Sample> samples) throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        List<ImageAnalysis> out = new ArrayList<>();
        try (Identifier identifier = bundle.newIdentifier()) {
            for (int from = 0; from < samples.size(); from += 32) {
                List<BufferedImage> images = new ArrayList<>();
                for (Sample s : samples.subList(from, Math.min(samples.size(), from + 32))) {
                    images.add(decoder.decode(s.image()));
                }
                out.addAll(identifier.analyse(images));
            }
        }
        return out;
    }

    static double[][] rank(List<ImageAnalysis> analyses, int r) {
        return analyses.stream().map(a -> a.rankProbabilities()[r]).toArray(double[][]::new);
    }

    static int[] labels(List<Sample> samples, int r) {
        return samples.stream().mapToInt(s -> s.label(r)).toArray();
    }

    static double ece(double[][] p, int[] y) {
        return CalibrationError.expected(p, y, BINS);
    }

    /** ECE of outcomes drawn with each photo's own top-1 confidence: what perfect calibration scores on n photos. */
    static double[] noiseFloor(double[][] p, int draws, Random rng) {
        double[] conf = Arrays.stream(p).mapToDouble(row -> row[ImageAnalysis.argmax(row)]).toArray();
        double[] e = new double[draws];
        boolean[] right = new boolean[conf.length];
        for (int d = 0; d < draws; d++) {
            for (int i = 0; i < conf.length; i++) {
                right[i] = rng.nextDouble() < conf[i];
            }
            e[d] = CalibrationError.expected(conf, right, BINS);
        }
        Arrays.sort(e);
        return new double[] {Arrays.stream(e).average().orElse(Double.NaN), e[(int) (0.95 * draws)]};
    }
}
