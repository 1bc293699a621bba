package org.lepistream.streams.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lepistream.decision.routing.Calibration;
import org.lepistream.decision.routing.OverCam;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code calibrate}: routing thresholds and the Over-CAM setting for a model, measured on labelled photos. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Run a model bundle over a labelled split, pick the map (a CBAM attention level or Grad-CAM)"
                + " and rule whose Over-CAM"
                + " overlap best separates right from wrong species predictions (AUROC), and choose the species and"
                + " overlap thresholds that accept the most photos while the accepted ones stay --target correct.",
            "Prints the lepistream.* settings to use (or put the thresholds in the model release) and, with --json,"
                + " writes the risk-coverage curves of overlap routing vs confidence-only routing."})
public final class CalibrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model bundle.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder with labels.csv.")
    Path data;

    @Option(names = "--split", defaultValue = "val", description = "Split to calibrate on (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--target", defaultValue = "0.95",
            description = "Required share of accepted species predictions that are right (default ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the full result (curves, candidates) here.")
    Path json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Calibration.Result r = run(model, data, split, target);
        out.printf(Locale.ROOT, "%d %s photos, species top-1 %.3f%n", r.n(), split, (double) r.correct() / r.n());
        out.println("Over-CAM candidates (AUROC of overlap for right vs wrong species):");
        for (Calibration.Candidate c : r.candidates()) {
            out.printf(Locale.ROOT, "  %-28s %s%s%n", describe(c.settings()),
                    Double.isNaN(c.auroc()) ? "n/a" : String.format(Locale.ROOT, "%.3f", c.auroc()),
                    c.settings().equals(r.overlap()) ? "  <- chosen" : "");
        }
        if (r.reachable()) {
            out.printf(Locale.ROOT, "At target %.2f: overlap routing accepts %.1f%% (precision %.3f); confidence-only"
                    + " accepts %.1f%%%n", target, 100 * r.coverage(), r.precision(), 100 * r.confidenceOnlyCoverage());
        } else {
            out.printf(Locale.ROOT, "Target %.2f is not reachable on this data: every sighting would go to review"
                    + " (species threshold 1.0)%n", target);
        }
        Calibration.Cascade c = r.cascade();
        if (c.skipsAny()) {
            out.printf(Locale.ROOT, "Cascade: from species probability %.4f up the overlap is not consulted; %.1f%% of"
                    + " photos still need the segmenter; accepts %.1f%% (precision %.3f)%n", c.maskFreeAbove(),
                    100 * c.maskedShare(), 100 * c.coverage(), c.precision());
        } else {
            out.println("Cascade: every photo needs the segmenter at this target (no mask-free band)");
        }
        out.println("Model release thresholds (model-releases ModelRelease.thresholds):");
        out.println("  " + r.releaseThresholds());
        out.println("Or, to force them on the service (app.properties):");
        properties(r).forEach((k, v) -> out.println("  " + k + "=" + v));
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model.toAbsolutePath().toString());
            doc.put("split", split);
            doc.put("target", target);
            doc.put("result", r);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
            out.println("Wrote " + json);
        }
        return 0;
    }

    /** The lepistream.* settings that apply a calibration. */
    static Map<String, String> properties(Calibration.Result r) {
        Map<String, String> p = new LinkedHashMap<>();
        r.thresholds().forEach((k, v) -> p.put("lepistream.threshold." + k, String.format(Locale.ROOT, "%.4f", v)));
        p.put("lepistream.overlap.source", r.overlap().source() == OverCam.Source.GRAD_CAM ? "gradcam" : "attention");
        p.put("lepistream.overlap.level", String.valueOf(r.overlap().level()));
        p.put("lepistream.overlap.rule", r.overlap().rule() == OverCam.Rule.MEAN ? "mean"
                : "top" + (int) r.overlap().topPercent());
        if (r.cascade().skipsAny()) {
            p.put("lepistream.overlap.mask-free-above", String.format(Locale.ROOT, "%.4f", r.cascade().maskFreeAbove()));
        }
        return p;
    }

    /** Runs the bundle over the split and calibrates. */
    public static Calibration.Result run(Path model, Path data, String split, double target) throws IOException {
        try (ModelBundle bundle = ModelBundle.load(model); Identifier identifier = bundle.newIdentifier()) {
            Dataset dataset = Dataset.load(data, DatasetOptions.defaults().withTaxonomy(bundle.taxonomy()));
            List<Sample> samples = dataset.split(split);
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("split '" + split + "' of " + data + " is empty (splits: "
                        + dataset.splits() + ")");
            }
            ImageDecoder decoder = new ImageDecoder();
            List<Calibration.Observation> obs = new ArrayList<>();
            for (int from = 0; from < samples.size(); from += 32) {
                List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + 32));
                List<BufferedImage> images = new ArrayList<>();
                for (Sample s : chunk) {
                    images.add(decoder.decode(s.image()));
                }
                List<ImageAnalysis> analyses = identifier.analyse(images);
                for (int i = 0; i < chunk.size(); i++) {
                    ImageAnalysis a = analyses.get(i);
                    if (a.mask() == null) {
                        throw new IllegalArgumentException("model " + model + " has no segmenter: nothing to"
                                + " measure Over-CAM against");
                    }
                    obs.add(Calibration.Observation.of(a, chunk.get(i).labels()));
                }
            }
            return Calibration.calibrate(obs, bundle.taxonomy(), target);
        }
    }

    private static String describe(OverCam.Settings s) {
        String rule = s.rule() == OverCam.Rule.MEAN ? "mean" : "top " + (int) s.topPercent() + "%";
        return (s.source() == OverCam.Source.GRAD_CAM ? "Grad-CAM" : "CBAM level " + s.level()) + ", " + rule;
    }
}
