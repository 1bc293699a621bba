package org.lepistream.streams.batching;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Sighting;
import org.lepistream.streams.deadletter.DeadLetters;
import org.lepistream.streams.intake.Admission;
import org.lepistream.streams.intake.AdmittedSighting;
import org.lepistream.streams.intake.Origin;
import org.lepistream.streams.intake.ReceivedSightingDeserializer;
import org.lepistream.streams.intake.SightingIntake;
import org.lepistream.streams.models.ModelRunner;
import org.lepistream.streams.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline step "batched inference", built so that batching cannot break exactly-once.
 *
 * <p>Each admitted sighting is first written to a changelogged state store, then handed to the shared
 * {@link BatchExecutor}, which batches it with requests from every task and thread. Results are forwarded from this
 * same task (in {@link #process} or a wall-clock punctuation) and the store entry is deleted in the same breath.
 * Under exactly_once_v2 a commit covers the store's changelog, the outputs and the input offsets atomically: an
 * offset is committed only together with either the sighting's result or its buffered entry. After a crash the
 * entries still in the store are restored and redone in {@link #init}, so every sighting yields exactly one output.
 */
public final class BatchingStep implements Processor<String, AdmittedSighting, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingStep.class);
    /** Well under max.poll.interval.ms (5 min): a stalled executor fails the thread instead of the whole group. */
    private static final long STALL_TIMEOUT_MS = 120_000;

    /** A sighting handed to the executor (or refused on re-admission after a restart). */
    private static final class InFlight {
        final Origin origin;
        final byte[] raw;
        final Sighting sighting;
        final byte[] imageBytes;
        final BufferedImage image;
        final CompletableFuture<ModelRunner.Output> result;
        final Admission.Rejected refused;

        InFlight(Origin origin, byte[] raw, Sighting sighting, byte[] imageBytes, BufferedImage image,
                CompletableFuture<ModelRunner.Output> result, Admission.Rejected refused) {
            this.origin = origin;
            this.raw = raw;
            this.sighting = sighting;
            this.imageBytes = imageBytes;
            this.image = image;
            this.result = result;
            this.refused = refused;
        }

        boolean done() {
            return refused != null || result.isDone();
        }
    }

    private final String storeName;
    private final BatchExecutor<BufferedImage, ModelRunner.Output> executor;
    private final SightingIntake intake;
    private final ReceivedSightingDeserializer sightings;
    private final Metrics metrics;
    private final int maxInFlight;
    private final Duration punctuateEvery;
    private final String next;
    private final String deadLetters;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<Long, PendingSighting> buffer;
    private Cancellable punctuation;
    private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();

    public BatchingStep(String storeName, BatchExecutor<BufferedImage, ModelRunner.Output> executor,
            SightingIntake intake, ReceivedSightingDeserializer sightings, Metrics metrics, int maxInFlight,
            Duration punctuateEvery, String next, String deadLetters) {
        this.storeName = storeName;
        this.executor = executor;
        this.intake = intake;
        this.sightings = sightings;
        this.metrics = metrics;
        this.maxInFlight = maxInFlight;
        this.punctuateEvery = punctuateEvery;
        this.next = next;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.buffer = context.getStateStore(storeName);
        int resumed = 0;
        // Streams initialises processors only after restoring their stores: what is here was buffered (and its
        // offset committed) by an earlier owner of this task that did not get to produce the result.
        try (KeyValueIterator<Long, PendingSighting> it = buffer.all()) {
            while (it.hasNext()) {
                KeyValue<Long, PendingSighting> entry = it.next();
                resume(entry.key, entry.value);
                resumed++;
            }
        }
        if (resumed > 0) {
            LOG.info("task {}: resumed {} buffered sightings left by a previous run", context.taskId(), resumed);
        }
        punctuation = context.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, now -> forwardCompleted());
    }

    @Override
    public void process(Record<String, AdmittedSighting> record) {
        AdmittedSighting a = record.value();
        long offset = a.origin().offset();
        buffer.put(offset, new PendingSighting(a.origin(), a.raw()));
        Admission.Admitted admitted = a.admitted();
        inFlight.put(offset, new InFlight(a.origin(), a.raw(), admitted.sighting(), admitted.imageBytes(),
                admitted.image(), executor.submit(admitted.image()), null));
        forwardCompleted();
        // Back-pressure: a task never has more than maxInFlight photos decoded and waiting.
        while (inFlight.size() >= maxInFlight) {
            awaitOldest();
            forwardCompleted();
        }
    }

    private void resume(long offset, PendingSighting pending) {
        Sighting sighting = sightings.sighting(pending.origin().topic(), pending.raw());
        Admission admission = intake.admit(sighting);
        if (admission instanceof Admission.Admitted admitted) {
            inFlight.put(offset, new InFlight(pending.origin(), pending.raw(), sighting, admitted.imageBytes(),
                    admitted.image(), executor.submit(admitted.image()), null));
        } else {
            // e.g. a URI that was reachable before the crash no longer is: the sighting still gets its one output.
            inFlight.put(offset, new InFlight(pending.origin(), pending.raw(), sighting, null, null, null,
                    (Admission.Rejected) admission));
        }
    }

    private void awaitOldest() {
        InFlight oldest = inFlight.values().iterator().next();
        if (oldest.done()) {
            return;
        }
        try {
            oldest.result.get(STALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // Handled when forwarded.
        } catch (TimeoutException e) {
            throw new StreamsException("inference made no progress for " + STALL_TIMEOUT_MS + " ms ("
                    + executor.queued() + " queued); failing the thread so it restarts from the buffer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("interrupted while waiting for inference", e);
        }
    }

    private void forwardCompleted() {
        Iterator<Map.Entry<Long, InFlight>> it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, InFlight> e = it.next();
            InFlight f = e.getValue();
            if (!f.done()) {
                continue;
            }
            emit(f);
            buffer.delete(e.getKey());
            it.remove();
        }
    }

    private void emit(InFlight f) {
        if (f.refused != null) {
            deadLetter(f, f.refused.reason(), f.refused.stage(), f.refused.message());
            return;
        }
        ModelRunner.Output out;
        try {
            out = f.result.join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("inference failed for {}-{}@{}: {}", f.origin.topic(), f.origin.partition(), f.origin.offset(),
                    cause.toString());
            deadLetter(f, DeadLetterReason.INFERENCE_FAILURE, "inference", "inference failed: " + cause);
            return;
        }
        long inferenceMs = out.inferenceNanos() / 1_000_000;
        long queueMs = Math.max(0, out.finishedAtMillis() - inferenceMs - f.origin.timestamp());
        context.forward(new Record<String, Object>(f.sighting.getSightingId(),
                new AnalysedSighting(f.origin, f.sighting, f.imageBytes, f.image, out, queueMs, inferenceMs),
                f.origin.timestamp()), next);
    }

    private void deadLetter(InFlight f, DeadLetterReason reason, String stage, String message) {
        DeadLetter letter = DeadLetters.of(f.origin.topic(), f.origin.partition(), f.origin.offset(), stage, reason,
                message, f.origin.key() == null ? null : f.origin.key().getBytes(StandardCharsets.UTF_8), f.raw);
        metrics.deadLetters.inc(reason.name());
        metrics.outputs.inc("dead_letter");
        metrics.throughput.mark(1);
        String key = f.sighting != null ? f.sighting.getSightingId() : f.origin.key();
        context.forward(new Record<String, Object>(key, letter, f.origin.timestamp()), deadLetters);
    }

    @Override
    public void close() {
        if (punctuation != null) {
            punctuation.cancel();
        }
        // Results not forwarded are dropped on purpose: their entries stay in the store and the task's next owner
        // (maybe this instance after a rebalance) redoes them.
        inFlight.values().forEach(f -> {
            if (f.result != null) {
                f.result.cancel(false);
            }
        });
        inFlight.clear();
    }
}
