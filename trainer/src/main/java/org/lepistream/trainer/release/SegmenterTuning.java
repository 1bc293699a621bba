package org.lepistream.trainer.release;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.lepistream.vision.data.ImageTensors;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.evaluation.MaskOverlap;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.training.NoButterflyTuning;
import org.lepistream.vision.training.SegmenterTrainer;
import org.lepistream.vision.training.TrainedSegmenter;

/**
 * The candidate's segmenter: the current one, or, once experts have marked at least {@code minLabels} photos
 * NOT_A_BUTTERFLY, the current one tuned on them ({@link NoButterflyTuning}), so the service's no-butterfly check
 * learns from the experts. A tuned segmenter is kept only if its masks on the validation photos still agree with the
 * current segmenter's (mean IoU at least {@code minAgreement}): learning "empty" must not cost the butterflies, and
 * agreement needs no hand masks, which most programmes' photos lack. Tuning runs only when labels came that the current
 * segmenter has not learned from: each release records how many it was tuned on ({@link #TUNED_ON_METRIC}), and a
 * tuning refused in this run is not tried again until more come, since the same photos would give the same refusal.
 *
 * @param minLabels 0 turns tuning off
 */
public record SegmenterTuning(int minLabels, NoButterflyTuning tuning, double minAgreement) {

    public static final SegmenterTuning DEFAULT = new SegmenterTuning(20, NoButterflyTuning.DEFAULT, 0.8);
    /** The bundle metric: how many NOT_A_BUTTERFLY photos the bundle's segmenter has learned from (0: none). */
    public static final String TUNED_ON_METRIC = "segmenterTunedOn";

    public SegmenterTuning {
        if (minLabels < 0 || !(minAgreement >= 0 && minAgreement <= 1)) {
            throw new IllegalArgumentException("segmenter tuning needs min-labels >= 0 and an agreement in [0, 1], got "
                    + minLabels + " and " + minAgreement);
        }
    }

    /** What became of the segmenter this round. */
    enum Outcome { KEPT, TUNED, REFUSED }

    /**
     * What the candidate gets, and what to close once it is saved.
     *
     * @param tunedOn how many NOT_A_BUTTERFLY photos {@code segmenter} has learned from, for the candidate's metrics
     */
    record Choice(Segmenter segmenter, Outcome outcome, int tunedOn, String note, TrainedSegmenter owner)
            implements AutoCloseable {
        boolean tuned() {
            return outcome == Outcome.TUNED;
        }

        @Override
        public void close() {
            if (owner != null) {
                owner.close();
            }
        }
    }

    /**
     * @param learned how many of the {@code empty} photos the current segmenter has learned from
     * @param tried   how many there were at this run's last refused tuning (0: none refused)
     */
    Choice choose(Optional<Segmenter> current, int learned, int tried, List<Sample> butterflies, List<Sample> empty,
            List<Sample> validation, PrintStream log) {
        if (current.isEmpty()) {
            return new Choice(null, Outcome.KEPT, 0, "no segmenter", null);
        }
        if (minLabels == 0 || empty.size() < minLabels) {
            return new Choice(current.get(), Outcome.KEPT, learned, String.format(Locale.ROOT, "segmenter kept (%d"
                    + " NOT_A_BUTTERFLY photos, %s)", empty.size(), minLabels == 0 ? "tuning off" : minLabels
                    + " needed"), null);
        }
        if (empty.size() <= Math.max(learned, tried)) {
            return new Choice(current.get(), Outcome.KEPT, learned, String.format(Locale.ROOT, "segmenter kept (no"
                    + " NOT_A_BUTTERFLY photos since %s on %d)", empty.size() <= learned ? "it was tuned"
                    : "the refused tuning", Math.max(learned, tried)), null);
        }
        TrainedSegmenter tuned = tuning.tune(current.get(), butterflies, empty, log);
        Segmenter candidate = (Segmenter) tuned.model().getBlock();
        double agreement = agreement(current.get(), candidate, validation);
        if (agreement < minAgreement) {
            tuned.close();
            String why = String.format(Locale.ROOT, "tuned segmenter refused: its masks on %d validation photos"
                    + " agree with the current ones at IoU %.3f < %.3f", validation.size(), agreement, minAgreement);
            return new Choice(current.get(), Outcome.REFUSED, learned, why, null);
        }
        String how = String.format(Locale.ROOT, "segmenter tuned on %d NOT_A_BUTTERFLY photos (agreement with the"
                + " current masks on %d validation photos: IoU %.3f)", empty.size(), validation.size(), agreement);
        return new Choice(candidate, Outcome.TUNED, empty.size(), how, tuned);
    }

    /** Mean IoU of two segmenters' masks on the same photos (1 when there are none). */
    static double agreement(Segmenter a, Segmenter b, List<Sample> photos) {
        if (photos.isEmpty()) {
            return 1.0;
        }
        int size = a.config().inputSize();
        SampleCache cache = SampleCache.build(photos.stream().map(Sample::withoutMask).toList(), size);
        Map<String, BufferedImage> ma = SegmenterTrainer.predictMissing(a, cache);
        Map<String, BufferedImage> mb = SegmenterTrainer.predictMissing(b, cache);
        double sum = 0;
        for (String id : ma.keySet()) {
            sum += MaskOverlap.iou(ImageTensors.maskToArray(ma.get(id), size), ImageTensors.maskToArray(mb.get(id),
                    size));
        }
        return ma.isEmpty() ? 1.0 : sum / ma.size();
    }
}
