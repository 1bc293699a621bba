// The cascade's operating point checked on photos it was not chosen on: calibrate a bundle on one split (as the
// trainer does for a release), then score another split as the service would serve it, with the cascade and without
// it (every photo segmented). Run from the repo root after a build:
//   java -cp "trainer/target/classes:$(cat trainer/target/classpath.txt)" docs/experiments/CascadeHoldout.java \
//       MODEL DATA CALIBRATION_SPLIT REPORT_SPLIT [TARGET]
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lepistream.decision.routing.Calibration;
import org.lepistream.decision.routing.RoutingPolicy;
import org.lepistream.trainer.release.ModelScore;
import org.lepistream.trainer.release.Scorer;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;

public class CascadeHoldout {
    public static void main(String[] args) throws Exception {
        double target = args.length > 4 ? Double.parseDouble(args[4]) : 0.95;
        try (ModelBundle bundle = ModelBundle.load(Path.of(args[0]))) {
            Dataset data = Dataset.load(Path.of(args[1]), DatasetOptions.defaults().withTaxonomy(bundle.taxonomy()));
            List<Calibration.Observation> chosenOn = new Scorer(data.split(args[2])).observe(bundle);
            List<Calibration.Observation> report = new Scorer(data.split(args[3])).observe(bundle);
            Calibration.Result r = Calibration.calibrate(chosenOn, bundle.taxonomy(), target);
            Map<String, Double> withCascade = r.releaseThresholds();
            Map<String, Double> without = new LinkedHashMap<>(withCascade);
            Double skipFrom = without.remove(RoutingPolicy.MASK_FREE_ABOVE_KEY);
            long masked = report.stream()
                    .filter(o -> skipFrom == null || Calibration.Cascade.needsMask(o.rankProbabilities(), skipFrom))
                    .count();
            System.out.printf("calibrated on %s (%d photos) at target %.2f: species threshold %.3f, overlap %.3f,"
                    + " segmenter skipped from p %s%n", args[2], chosenOn.size(), target,
                    withCascade.get("species"), withCascade.get("overlap"), skipFrom == null ? "never" : skipFrom);
            for (String split : List.of(args[2], args[3])) {
                List<Calibration.Observation> obs = split.equals(args[2]) ? chosenOn : report;
                ModelScore w = Scorer.score(obs, bundle.taxonomy(), withCascade);
                ModelScore wo = Scorer.score(obs, bundle.taxonomy(), without);
                System.out.printf("%s (%d photos): accepted %.1f%% at precision %.3f with the cascade; %.1f%% at %.3f"
                        + " with every photo segmented%n", split, obs.size(), 100 * (1 - w.reviewRate()),
                        w.acceptedPrecision(), 100 * (1 - wo.reviewRate()), wo.acceptedPrecision());
            }
            System.out.printf("%s: the cascade segments %d of %d photos (%.0f%%)%n", args[3], masked, report.size(),
                    100.0 * masked / report.size());
        }
    }
}
