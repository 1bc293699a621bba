package org.lepistream.streams.batching;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>Each admitted sighting is first written to a changelogged state store (a reference to its source record, not its
 * bytes: {@link PendingSighting}), then handed to the shared
 * {@link BatchExecutor}, which batches it with requests from every task and thread. Results are forwarded from this
 * same task (in {@link #process} or a wall-clock punctuation) and the store entry is deleted in the same breath.
 * Under exactly_once_v2 a commit covers the store's changelog, the outputs and the input offsets atomically: an
 * offset is committed only together with either the sighting's result or its buffered entry. After a crash the
 * entries still in the store are restored, their records read back from the source topic ({@link SourceRecords}), and
 * redone in {@link #init}, so every sighting yields exactly one output.
 *
 * <p>A photo given by URI is fetched here, after the sighting is buffered, on the intake's {@code FetchPool} (never
 * on the stream thread): a crash while the fetch is in flight leaves the buffered entry, committed with the offset,
 * and the next owner screens and fetches it again; nothing was output for it, so it is neither lost nor doubled.
 */
public final class BatchingStep implements Processor<String, AdmittedSighting, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingStep.class);
    /** Well under max.poll.interval.ms (5 min): a stalled executor fails the thread instead of the whole group. */
    private static final long STALL_TIMEOUT_MS = 120_000;
    /** Longest one record waits for room (Streams' EOS transaction timeout is 10 s). */
    private static final long MAX_BACK_PRESSURE_WAIT_MS = 2_000;

    /** What became of a sighting: analysed by the model, or refused (its photo could not be fetched or decoded). */
    private sealed interface Outcome {
        record Analysed(Admission.Admitted admitted, ModelRunner.Output output) implements Outcome {}

        record Refused(Admission.Rejected rejected) implements Outcome {}
    }

    /**
     * A sighting between buffering and its output. {@code fetch} is its photo's fetch (null for an inline photo):
     * while it runs, the sighting holds no decoded pixels and does not count against back-pressure.
     */
    private record InFlight(Origin origin, byte[] raw, Sighting sighting, CompletableFuture<?> fetch,
            CompletableFuture<Outcome> outcome) {

        boolean fetching() {
            return fetch != null && !fetch.isDone();
        }
    }

    private final String storeName;
    private final BatchExecutor<BufferedImage, ModelRunner.Output> executor;
    private final SightingIntake intake;
    private final ReceivedSightingDeserializer sightings;
    private final SourceRecords.Reader source;
    private final Metrics metrics;
    private final int maxInFlight;
    private final Duration punctuateEvery;
    private final String next;
    private final String deadLetters;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<Long, PendingSighting> buffer;
    private Cancellable punctuation;
    private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
    private long lastProgressNanos = System.nanoTime();

    public BatchingStep(String storeName, BatchExecutor<BufferedImage, ModelRunner.Output> executor,
            SightingIntake intake, ReceivedSightingDeserializer sightings, SourceRecords.Reader source, Metrics metrics,
            int maxInFlight, Duration punctuateEvery, String next, String deadLetters) {
        this.storeName = storeName;
        this.executor = executor;
        this.intake = intake;
        this.sightings = sightings;
        this.source = source;
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
        // Streams initialises processors only after restoring their stores: what is here was buffered (and its
        // offset committed) by an earlier owner of this task that did not get to produce the result.
        List<PendingSighting> left = new ArrayList<>();
        try (KeyValueIterator<Long, PendingSighting> it = buffer.all()) {
            it.forEachRemaining(entry -> left.add(entry.value));
        }
        if (!left.isEmpty()) {
            Map<Long, byte[]> raw = reread(left);
            left.forEach(p -> resume(p, p.raw() != null ? p.raw() : raw.get(p.origin().offset())));
            LOG.info("task {}: resumed {} buffered sightings left by a previous run ({} read back from their topic)",
                    context.taskId(), left.size(), raw.size());
        }
        punctuation = context.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, now -> forwardCompleted());
    }

    @Override
    public void process(Record<String, AdmittedSighting> record) {
        AdmittedSighting a = record.value();
        long offset = a.origin().offset();
        // Buffered before anything is started: from the next commit on, a crash redoes it from here (fetch included).
        buffer.put(offset, PendingSighting.reference(a.origin()));
        inFlight.put(offset, start(a.origin(), a.raw(), a.admission()));
        forwardCompleted();
        applyBackPressure();
    }

    private InFlight start(Origin origin, byte[] raw, Admission admission) {
        if (admission instanceof Admission.Admitted admitted) {
            return new InFlight(origin, raw, admitted.sighting(), null, infer(admitted));
        }
        if (admission instanceof Admission.Fetch fetch) {
            CompletableFuture<Admission> fetched = intake.fetch(fetch);
            return new InFlight(origin, raw, fetch.sighting(), fetched, fetched.thenCompose(done ->
                    done instanceof Admission.Admitted ok ? infer(ok)
                            : CompletableFuture.completedFuture(new Outcome.Refused((Admission.Rejected) done))));
        }
        // Refused on re-admission after a restart (e.g. a limit lowered since): it still gets its one output.
        return new InFlight(origin, raw, null, null,
                CompletableFuture.completedFuture(new Outcome.Refused((Admission.Rejected) admission)));
    }

    private CompletableFuture<Outcome> infer(Admission.Admitted admitted) {
        return executor.submit(admitted.image()).thenApply(out -> new Outcome.Analysed(admitted, out));
    }

    /** The raw records of the entries that are references, by offset (a task reads one partition). */
    private Map<Long, byte[]> reread(List<PendingSighting> entries) {
        record Partition(String topic, int partition) {}
        Map<Partition, TreeSet<Long>> wanted = new HashMap<>();
        entries.stream().filter(p -> p.raw() == null).forEach(p -> wanted.computeIfAbsent(
                new Partition(p.origin().topic(), p.origin().partition()), k -> new TreeSet<>())
                .add(p.origin().offset()));
        Map<Long, byte[]> found = new HashMap<>();
        wanted.forEach((tp, offsets) -> found.putAll(source.read(tp.topic(), tp.partition(), offsets)));
        return found;
    }

    private void resume(PendingSighting pending, byte[] raw) {
        Origin origin = pending.origin();
        if (raw == null) {
            LOG.warn("buffered sighting {}-{}@{} is no longer in its topic; dead-lettered", origin.topic(),
                    origin.partition(), origin.offset());
            inFlight.put(origin.offset(), start(origin, null, new Admission.Rejected(
                    DeadLetterReason.SOURCE_RECORD_GONE, "resume", "the sighting was buffered when the service"
                    + " stopped, and its record at " + origin.topic() + "-" + origin.partition() + "@"
                    + origin.offset() + " is no longer in the topic (deleted by retention?), so it cannot be redone;"
                    + " send it again")));
            return;
        }
        Sighting sighting = sightings.sighting(origin.topic(), raw);
        // Screened again exactly as the first time (no network); a URI photo is fetched again, asynchronously.
        inFlight.put(origin.offset(), start(origin, raw, intake.screen(sighting)));
    }

    /**
     * A task never has more than maxInFlight decoded photos waiting for inference; photos still being fetched hold
     * no pixels and do not count, so sightings behind a slow image server keep flowing. The wait is bounded well
     * under the transaction timeout: a stream thread stuck here would get its producer fenced.
     */
    private void applyBackPressure() {
        long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_BACK_PRESSURE_WAIT_MS);
        while (true) {
            CompletableFuture<?>[] holding = inFlight.values().stream().filter(f -> !f.fetching())
                    .map(InFlight::outcome).filter(o -> !o.isDone()).toArray(CompletableFuture[]::new);
            if (holding.length < maxInFlight) {
                return;
            }
            long left = waitUntil - System.nanoTime();
            if (left <= 0) {
                if (System.nanoTime() - lastProgressNanos > TimeUnit.MILLISECONDS.toNanos(STALL_TIMEOUT_MS)) {
                    throw new StreamsException("inference made no progress for " + STALL_TIMEOUT_MS + " ms ("
                            + executor.queued() + " queued); failing the thread so it restarts from the buffer");
                }
                return;
            }
            try {
                CompletableFuture.anyOf(holding).get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // A failure is handled when forwarded; a timeout ends the wait above.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StreamsException("interrupted while waiting for inference", e);
            }
            forwardCompleted();
        }
    }

    private void forwardCompleted() {
        Iterator<Map.Entry<Long, InFlight>> it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, InFlight> e = it.next();
            InFlight f = e.getValue();
            if (!f.outcome().isDone()) {
                continue;
            }
            emit(f);
            buffer.delete(e.getKey());
            it.remove();
            lastProgressNanos = System.nanoTime();
        }
        if (inFlight.isEmpty()) {
            lastProgressNanos = System.nanoTime();
        }
    }

    private void emit(InFlight f) {
        Outcome outcome;
        try {
            outcome = f.outcome().join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("inference failed for {}-{}@{}: {}", f.origin().topic(), f.origin().partition(),
                    f.origin().offset(), cause.toString());
            deadLetter(f, DeadLetterReason.INFERENCE_FAILURE, "inference", "inference failed: " + cause);
            return;
        }
        if (outcome instanceof Outcome.Refused refused) {
            Admission.Rejected r = refused.rejected();
            deadLetter(f, r.reason(), r.stage(), r.message());
            return;
        }
        Outcome.Analysed analysed = (Outcome.Analysed) outcome;
        ModelRunner.Output out = analysed.output();
        Admission.Admitted admitted = analysed.admitted();
        long inferenceMs = out.inferenceNanos() / 1_000_000;
        long queueMs = Math.max(0, out.finishedAtMillis() - inferenceMs - f.origin().timestamp());
        context.forward(new Record<String, Object>(admitted.sighting().getSightingId(),
                new AnalysedSighting(f.origin(), admitted.sighting(), admitted.imageBytes(), admitted.image(), out,
                        queueMs, inferenceMs), f.origin().timestamp()), next);
    }

    private void deadLetter(InFlight f, DeadLetterReason reason, String stage, String message) {
        DeadLetter letter = DeadLetters.of(f.origin().topic(), f.origin().partition(), f.origin().offset(), stage,
                reason, message, f.origin().key() == null ? null : f.origin().key().getBytes(StandardCharsets.UTF_8),
                f.raw());
        metrics.deadLetters.inc(reason.name());
        metrics.outputs.inc("dead_letter");
        metrics.throughput.mark(1);
        String key = f.sighting() != null ? f.sighting().getSightingId() : f.origin().key();
        context.forward(new Record<String, Object>(key, letter, f.origin().timestamp()), deadLetters);
    }

    @Override
    public void close() {
        if (punctuation != null) {
            punctuation.cancel();
        }
        // Results not forwarded are dropped on purpose: their entries stay in the store and the task's next owner
        // (maybe this instance after a rebalance) redoes them.
        inFlight.values().forEach(f -> {
            if (f.fetch() != null) {
                f.fetch().cancel(false); // frees its fetch slot; the next owner fetches again
            }
            f.outcome().cancel(false);
        });
        inFlight.clear();
    }
}
