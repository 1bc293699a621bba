package org.lepistream.streams.intake;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.streams.deadletter.DeadLetters;
import org.lepistream.streams.ops.Metrics;
import org.lepistream.streams.repeats.DecidedSightings;
import org.lepistream.streams.repeats.RepeatReport;
import org.lepistream.streams.repeats.RepeatWindow;

/** Pipeline step "validate and decode": admitted sightings go on to batching, refused ones become dead letters. */
public final class IntakeStep implements Processor<String, ReceivedSighting, String, Object> {

    /** Longest record key copied into a dead letter (ids are limited far below; this only stops a hostile key). */
    private static final int MAX_DEAD_LETTER_KEY_CHARS = 64 * 1024;

    private final SightingIntake intake;
    private final Metrics metrics;
    private final String next;
    private final String deadLetters;
    private final RepeatWindow repeats;
    private ProcessorContext<String, Object> context;
    private Optional<DecidedSightings> decided = Optional.empty();

    /**
     * @param next child receiving {@link AdmittedSighting}s
     * @param deadLetters child receiving {@link DeadLetter}s
     */
    public IntakeStep(SightingIntake intake, Metrics metrics, RepeatWindow repeats, String next,
            String deadLetters) {
        this.repeats = repeats;
        this.intake = intake;
        this.metrics = metrics;
        this.next = next;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.decided = repeats.open(context);
    }

    @Override
    public void process(Record<String, ReceivedSighting> record) {
        metrics.sightings.inc();
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        Origin origin = new Origin(meta.topic(), meta.partition(), meta.offset(), record.timestamp(), record.key());
        ReceivedSighting received = record.value();
        if (received == null || received.sighting() == null) {
            reject(record, origin, null, new Admission.Rejected(DeadLetterReason.INVALID_RECORD, "validate",
                    "record has no value (a tombstone is not a sighting)"), null);
            return;
        }
        Optional<Admission.Rejected> tooLarge = intake.tooLarge(received.sighting(), received.raw().length);
        if (tooLarge.isPresent()) {
            reject(record, origin, received.sighting().getSightingId(), tooLarge.get(), received.raw());
            return;
        }
        String id = received.sighting().getSightingId();
        DecidedSightings.Seen seen = id == null || decided.isEmpty() ? DecidedSightings.Seen.NEW
                : decided.get().seen(id, record.timestamp(), meta.offset());
        if (seen != DecidedSightings.Seen.NEW) {
            // A sighting already decided (sent again, or read again): its one output exists; spend nothing on it.
            RepeatReport.dropped(metrics, seen, "intake", id, meta.topic(), meta.partition(), meta.offset());
            return;
        }
        // No network here: a photo given by URI is fetched by the batching step, off this thread.
        Admission admission = intake.screen(received.sighting());
        if (admission instanceof Admission.Rejected rejected) {
            reject(record, origin, received.sighting().getSightingId(), rejected, received.raw());
        } else {
            context.forward(record.withValue(new AdmittedSighting(origin, received.raw(), admission)), next);
        }
    }

    private void reject(Record<String, ReceivedSighting> record, Origin origin, String sightingId,
            Admission.Rejected rejected, byte[] raw) {
        DeadLetter letter = DeadLetters.of(origin.topic(), origin.partition(), origin.offset(), rejected.stage(),
                rejected.reason(), rejected.message(),
                origin.key() == null || origin.key().length() > MAX_DEAD_LETTER_KEY_CHARS ? null
                        : origin.key().getBytes(StandardCharsets.UTF_8), raw);
        metrics.deadLetters.inc(rejected.reason().name());
        metrics.outputs.inc("dead_letter");
        metrics.throughput.mark(1);
        String key = sightingId != null && !sightingId.isBlank() ? sightingId : origin.key();
        if (key != null && key.length() > MAX_DEAD_LETTER_KEY_CHARS) {
            key = null; // a hostile multi-megabyte key must not make the dead letter itself too large
        }
        context.forward(new Record<String, Object>(key, letter, record.timestamp()), deadLetters);
    }
}
