package org.lepistream.streams.routing;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.Timings;
import org.lepistream.streams.batching.AnalysedSighting;
import org.lepistream.streams.deadletter.DeadLetters;
import org.lepistream.streams.models.ServingModel;
import org.lepistream.streams.ops.Metrics;
import org.lepistream.streams.repeats.DecidedSightings;
import org.lepistream.streams.repeats.RepeatReport;
import org.lepistream.streams.repeats.RepeatWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pipeline step "decide and route": confident identifications to one topic, everything an expert must see to another. */
public final class RoutingStep implements Processor<String, AnalysedSighting, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingStep.class);

    private final Verdicts verdicts;
    private final Metrics metrics;
    private final long reviewImageBudget;
    private final String identified;
    private final String review;
    private final String deadLetters;
    private final Consumer<Identification> observer;
    private final RepeatWindow repeats;
    private ProcessorContext<String, Object> context;
    private Optional<DecidedSightings> decided = Optional.empty();

    /**
     * @param observer told of every decision (the demo's live view); must be quick and must not throw
     * @param reviewImageBudget largest photo copied verbatim into a review request; larger ones are re-encoded
     *     smaller so the request stays under the broker's message size limit
     */
    public RoutingStep(Verdicts verdicts, Metrics metrics, long reviewImageBudget, RepeatWindow repeats,
            String identified, String review, String deadLetters, Consumer<Identification> observer) {
        this.repeats = repeats;
        this.observer = observer;
        this.verdicts = verdicts;
        this.metrics = metrics;
        this.reviewImageBudget = reviewImageBudget;
        this.identified = identified;
        this.review = review;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.decided = repeats.open(context);
    }

    @Override
    public void process(Record<String, AnalysedSighting> record) {
        AnalysedSighting a = record.value();
        Sighting s = a.sighting();
        ServingModel model = a.output().model();
        long sent = a.origin().timestamp();
        DecidedSightings.Seen seen = decided.isEmpty() ? DecidedSightings.Seen.NEW
                : decided.get().seen(s.getSightingId(), sent, a.origin().offset());
        if (seen != DecidedSightings.Seen.NEW) {
            // A second copy that was in the batching buffer beside the first (sent again, or read again).
            RepeatReport.dropped(metrics, seen, "decision", s.getSightingId(), a.origin().topic(),
                    a.origin().partition(), a.origin().offset());
            return;
        }
        try {
            long total = Math.max(0, System.currentTimeMillis() - sent);
            Verdicts.Verdict verdict = verdicts.judge(s.getSightingId(), a.output().analysis(), model.taxonomy(),
                    model.decision(), model.router(), model.overCam(), model.version(),
                    new Timings(a.queueMs(), a.inferenceMs(), total));
            Identification id = verdict.identification();
            metrics.endToEndSeconds.observe(total / 1000.0);
            metrics.throughput.mark(1);
            observer.accept(id);
            if (id.getRoute() == Route.IDENTIFIED) {
                metrics.outputs.inc("identified");
                context.forward(record.withValue(id), identified);
            } else {
                metrics.outputs.inc("review");
                for (ReviewReason r : id.getReasons()) {
                    metrics.reviewReasons.inc(r.name());
                }
                context.forward(record.withValue(reviewRequest(a, verdict)), review);
            }
            decided.ifPresent(d -> d.remember(s.getSightingId(), sent, a.origin().offset()));
        } catch (RuntimeException e) {
            // A bug or a model output the decision cannot use: this sighting still gets exactly one output.
            LOG.error("decision failed for sighting {}", s.getSightingId(), e);
            DeadLetter letter = DeadLetters.of(a.origin().topic(), a.origin().partition(), a.origin().offset(),
                    "decide", DeadLetterReason.INFERENCE_FAILURE, "decision failed: " + e,
                    a.origin().key() == null ? null : a.origin().key().getBytes(StandardCharsets.UTF_8), null);
            metrics.deadLetters.inc(DeadLetterReason.INFERENCE_FAILURE.name());
            metrics.outputs.inc("dead_letter");
            context.forward(record.withValue(letter), deadLetters);
        }
    }

    private ReviewRequest reviewRequest(AnalysedSighting a, Verdicts.Verdict verdict) {
        Sighting s = a.sighting();
        var analysis = a.output().analysis();
        var map = verdict.attention();
        ByteBuffer image = null;
        String contentType = s.getContentType();
        if (s.getImage() != null) {
            if (a.imageBytes().length <= reviewImageBudget) {
                image = ByteBuffer.wrap(a.imageBytes());
            } else {
                image = ByteBuffer.wrap(smallerJpeg(a));
                contentType = "image/jpeg";
            }
        }
        return ReviewRequest.newBuilder()
                .setIdentification(verdict.identification())
                .setImage(image)
                .setImageUri(s.getImageUri())
                .setContentType(contentType)
                .setAttention(ReviewMaps.attention(map.values(), map.height(), map.width()))
                .setMask(analysis.mask() == null ? null : ReviewMaps.mask(analysis.mask(), analysis.maskSize()))
                .setObserverId(s.getObserverId())
                .setObservedAt(s.getObservedAt())
                .setLocation(s.getLocation())
                .build();
    }

    private byte[] smallerJpeg(AnalysedSighting a) {
        for (int side = 2048; side >= 256; side /= 2) {
            byte[] jpeg = jpeg(fit(a.image(), side));
            if (jpeg.length <= reviewImageBudget) {
                return jpeg;
            }
        }
        return jpeg(fit(a.image(), 256));
    }

    /** The photo scaled (bilinear) to fit {@code maxSide}, for a review copy of a photo too large to send. */
    private static BufferedImage fit(BufferedImage photo, int maxSide) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(photo.getWidth(), photo.getHeight()));
        int w = Math.max(1, (int) Math.round(photo.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(photo.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(photo, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "jpeg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
