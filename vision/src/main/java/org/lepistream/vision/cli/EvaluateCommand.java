package org.lepistream.vision.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.evaluation.EvaluationReport;
import org.lepistream.vision.evaluation.Evaluator;
import org.lepistream.vision.evaluation.NoButterflyCheck;
import org.lepistream.vision.training.EngineThreads;
import org.lepistream.vision.training.ProgressLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: metrics of a bundle on a labelled dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a model bundle on the photos of --data: top-1/top-3 per rank, mistake severity, ECE, "
                + "attention in the hand mask, segmentation IoU and optionally the background-swap test.",
            "Prints a summary; --json writes the full result, --out-dir the confusion matrix PNG and per-class "
                + "table."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model bundle folder.")
    Path model;

    @Option(names = "--data", required = true, description = "Dataset folder with labels.csv.")
    Path data;

    @Option(names = "--split", description = "Only rows of this split (default: every row).")
    String split;

    @Option(names = "--json", description = "Write the metrics JSON here.")
    Path json;

    @Option(names = "--background-swap",
            description = "Also paste each butterfly onto another species' background and compare predictions.")
    boolean backgroundSwap;

    @Option(names = "--swap-seed", defaultValue = "1", description = "Seed choosing the swap donors (default 1).")
    long swapSeed;

    @Option(names = "--out-dir", description = "Folder for confusion-species.png and per-class.md/.csv.")
    Path outDir;

    @Option(names = "--flip-average", negatable = true, description = "Average the classifier's logits with the"
            + " mirrored photo's (--no-flip-average to force it off; default: as the bundle says).")
    Boolean flipAverage;

    @Option(names = "--centre-crop", description = "Centre crop, as a share of each side, before resizing (default:"
            + " as the bundle says, usually none).")
    Double centreCrop;

    @Option(names = "--resampling", description = "antialiased | bilinear (default: as the bundle says).")
    String resampling;

    @Option(names = "--mirrored-mask", negatable = true, description = "Average the segmenter's mask with the"
            + " mirrored photo's (a second segmenter pass; default: as the bundle says).")
    Boolean mirroredMask;

    @Option(names = "--no-butterfly", description = "Also measure the segmenter's mask area on the photos with hand"
            + " masks and on the same photos with the butterfly erased, and the NO_BUTTERFLY threshold that flags 1, 2"
            + " or 5%% of real sightings.")
    boolean noButterfly;

    @Option(names = "--mask-sheet", description = "Also write a contact sheet of the segmenter's masks on the first"
            + " photos of each species (PNG), to judge masks made for data without hand masks.")
    Path maskSheet;

    @Option(names = "--threads", defaultValue = "0",
            description = "PyTorch intra-op threads (0 = all cores; 1 is faster on a busy machine).")
    int threads;

    /** The loaded bundle, or the same networks with the inference options given here (to measure each). */
    private ModelBundle withInferenceOptions(ModelBundle loaded) {
        if (flipAverage == null && centreCrop == null && resampling == null && mirroredMask == null) {
            return loaded;
        }
        var p = loaded.manifest().preprocessing();
        var changed = p.with(resampling != null ? resampling : p.resampling(),
                centreCrop != null ? centreCrop : p.centreCrop(), flipAverage != null ? flipAverage : p.flipAverage())
                .withMirroredMask(mirroredMask != null ? mirroredMask : p.mirroredMask());
        return ModelBundle.of(loaded.manifest().withPreprocessing(changed), loaded.taxonomy(), loaded.classifier(),
                loaded.segmenter().orElse(null));
    }

    @Override
    public Integer call() throws Exception {
        EngineThreads.configure(threads);
        try (ModelBundle loaded = ModelBundle.load(model)) {
            // A view on the loaded networks (closing the loaded bundle frees both).
            ModelBundle bundle = withInferenceOptions(loaded);
            // Labels are mapped into the model's own taxonomy so indices line up; unknown names are an error.
            Dataset dataset = Dataset.load(data, DatasetOptions.defaults().withTaxonomy(bundle.taxonomy()));
            if (dataset.report().skippedCount() > 0) {
                System.err.println(dataset.report().summary());
            }
            List<Sample> samples = split == null ? dataset.samples() : dataset.split(split);
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("no rows" + (split == null ? "" : " in split '" + split + "'")
                        + " of " + data + " (splits: " + dataset.splits() + ")");
            }
            ProgressLine line = new ProgressLine(System.err);
            Evaluator evaluator = new Evaluator(bundle).withProgress(line::tick);
            if (backgroundSwap) {
                evaluator.withBackgroundSwap(swapSeed);
            }
            if (outDir != null) {
                evaluator.withOutputDir(outDir);
            }
            EvaluationReport report = evaluator.evaluate(samples);
            if (maskSheet != null) {
                // One photo per species (the first of each), so the sheet spans the list rather than one species.
                java.util.Map<Integer, Sample> firstOfEach = new java.util.TreeMap<>();
                samples.forEach(s -> firstOfEach.putIfAbsent(s.leaf(), s));
                org.lepistream.vision.evaluation.MaskSheet.write(bundle, List.copyOf(firstOfEach.values()), 40, 5,
                        maskSheet);
            }
            line.finish();
            System.out.println("model " + bundle.manifest().version() + " on " + data
                    + (split == null ? " (all rows)" : " (split " + split + ")"));
            System.out.print(report.summary());
            if (noButterfly) {
                System.out.print(NoButterflyCheck.measure(bundle, samples).summary());
            }
            if (json != null) {
                report.writeJson(json);
                System.out.println("metrics written to " + json);
            }
            if (outDir != null) {
                System.out.println("confusion matrix and per-class table written to " + outDir);
            }
        }
        return 0;
    }
}
