package org.lepistream.streams;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.lepistream.decision.routing.NoButterfly;
import org.lepistream.schemas.Identification;
import org.lepistream.streams.batching.BatchExecutor;
import org.lepistream.streams.batching.BatchingStep;
import org.lepistream.streams.batching.PendingSighting;
import org.lepistream.streams.batching.SourceRecords;
import org.lepistream.streams.deadletter.UndecodableSightingHandler;
import org.lepistream.streams.deadletter.UnexpectedFailureHandler;
import org.lepistream.streams.intake.FetchPool;
import org.lepistream.streams.routing.Audit;
import org.lepistream.vision.data.ImageFetcher;
import org.lepistream.streams.intake.IntakeStep;
import org.lepistream.streams.intake.ReceivedSightingDeserializer;
import org.lepistream.streams.intake.SightingIntake;
import org.lepistream.streams.models.DirectoryModelStore;
import org.lepistream.streams.models.ModelLoader;
import org.lepistream.streams.models.ModelRunner;
import org.lepistream.streams.models.ModelStore;
import org.lepistream.streams.models.ReleaseWatcher;
import org.lepistream.streams.models.ServingModel;
import org.lepistream.streams.ops.HealthServer;
import org.lepistream.streams.ops.Metrics;
import org.lepistream.streams.ops.ProgressCheck;
import org.lepistream.streams.ops.ProgressMonitor;
import org.lepistream.streams.repeats.DecidedSightings;
import org.lepistream.streams.repeats.RepeatWindow;
import org.lepistream.streams.routing.RoutingStep;
import org.lepistream.streams.routing.Verdicts;
import org.lepistream.vision.data.ImageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for every sighting, whether the model's identification can be trusted or an expert must look at it,
 * and dead-letters whatever cannot be processed — exactly one output per sighting.
 */
public final class IdentificationService implements AutoCloseable {

    static final String SOURCE = "sightings";
    static final String VALIDATE = "validate-and-decode";
    static final String INFER = "batched-inference";
    static final String ROUTE = "decide-and-route";
    static final String TO_IDENTIFICATIONS = "to-identifications";
    static final String TO_REVIEW = "to-expert-review";
    static final String TO_DEAD_LETTERS = "to-dead-letters";
    static final String BUFFER = "batching-buffer";

    private static final Logger LOG = LoggerFactory.getLogger(IdentificationService.class);
    /** Largest photo copied verbatim into a review request (keeps requests under the broker's 1 MB default). */
    private static final long REVIEW_IMAGE_BUDGET = 600 * 1024;
    /** The group session of the service's consumers: a lost member's partitions move after this long. */
    static final int SESSION_TIMEOUT_MS = 10_000;
    /** Reading back a crashed run's buffered sightings; past it the thread fails and is replaced (and tries again). */
    private static final Duration REREAD_TIMEOUT = Duration.ofSeconds(60);

    private final ServiceConfig config;
    private final StreamsTopics topics;
    private final Metrics metrics = new Metrics();
    private final ModelRunner runner;
    private final BatchExecutor<BufferedImage, ModelRunner.Output> executor;
    private final ModelLoader loader;
    private final ModelStore store;
    private final FetchPool fetches;
    private final SightingIntake intake;
    private final Verdicts verdicts;
    private final KafkaStreams streams;
    private final ReleaseWatcher watcher;
    private final ProgressCheck progress;
    private ProgressMonitor monitor;
    private HealthServer health;
    private volatile boolean closed;
    private volatile String lastModelError = "";
    private volatile Consumer<Identification> decisionObserver = id -> { };

    public IdentificationService(ServiceConfig config) {
        this(config, new DirectoryModelStore(config.modelStoreDir()));
    }

    public IdentificationService(ServiceConfig config, ModelStore store) {
        this.config = config;
        this.topics = new StreamsTopics(config);
        this.store = store;
        // First, before any thread starts: an engine this host cannot run fails the constructor with the reason.
        this.loader = new ModelLoader(config.thresholdOverrides(), config.overlapOverride(), config.overlapSettings(),
                Math.min(config.maxBatchSize(), 8), config.engine(), config.maskFreeAbove());
        this.runner = new ModelRunner(model -> metrics.modelInService(model.version()));
        this.executor = new BatchExecutor<>("model", config.maxBatchSize(), config.maxQueueDelay(), runner,
                (size, waitNanos, computeNanos, failed) -> {
                    metrics.batchSize.observe(size);
                    metrics.queueDelaySeconds.observe(waitNanos / 1e9);
                    metrics.inferenceSeconds.observe(computeNanos / 1e9);
                });
        ImageFetcher fetcher = new ImageFetcher(config.fetchAllowList(), config.maxImageBytes(), config.fetchTimeout());
        this.fetches = new FetchPool(fetcher, config.fetchMaxConcurrent(), config.fetchMaxPerHost(),
                config.fetchTimeout());
        this.intake = new SightingIntake(new ImageDecoder(config.maxImagePixels()), fetcher, fetches,
                config.sightingLimits(), config.maxImageBytes(), config.decodeMinSide());
        this.verdicts = new Verdicts(config.topK(), new Audit(config.auditShare()),
                new NoButterfly(config.noButterflyMaxArea()));
        this.progress = new ProgressCheck(config.readyAfter(), config.liveAfter());
        this.streams = new KafkaStreams(topology(), streamsProperties());
        this.streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it (it resumes from the last commit)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.watcher = new ReleaseWatcher(config.clientConfig(), topics.releases(), config.modelName(), store, loader,
                runner, reason -> {
                    metrics.modelLoadFailures.inc();
                    lastModelError = reason;
                });
        metrics.gauge("lepistream_batch_queue_length", executor::queued);
        metrics.gauge("lepistream_fetches_running", fetches::running);
        metrics.gauge("lepistream_fetches_waiting", fetches::waiting);
    }

    /**
     * The topology, top to bottom: read sightings → validate and decode → batched inference (buffered in a
     * changelogged store) → decide and route → identifications | expert-review; every step may dead-letter. A
     * sightingId decided within the repeat window is dropped at intake (or at the decision, if its first copy was
     * still in flight): one output per sighting even when the source sends it twice.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Topology topology() {
        ReceivedSightingDeserializer sightings = topics.sightingDeserializer();
        Serializer<String> keys = Serdes.String().serializer();
        StoreBuilder<KeyValueStore<Long, PendingSighting>> buffer = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(BUFFER), Serdes.Long(), PendingSighting.serde())
                // Entries are references to the source records (tens of bytes), not the photos.
                .withLoggingEnabled(Map.of());
        SourceRecords.Reader source = SourceRecords.kafka(streamsClientConfig(),
                (int) Math.min(Integer.MAX_VALUE, intake.maxSightingBytes()), REREAD_TIMEOUT);

        RepeatWindow repeats = RepeatWindow.of(config.repeatWindow());

        Topology t = new Topology();
        t.addSource(SOURCE, Serdes.String().deserializer(), sightings, topics.sightings());
        t.addProcessor(VALIDATE, () -> new IntakeStep(intake, metrics, repeats, INFER, TO_DEAD_LETTERS), SOURCE);
        t.addProcessor(INFER, () -> new BatchingStep(BUFFER, executor, intake, sightings, source, metrics,
                config.maxInFlightPerTask(), Duration.ofMillis(5), ROUTE, TO_DEAD_LETTERS), VALIDATE);
        t.addStateStore(buffer, INFER);
        t.addProcessor(ROUTE, () -> new RoutingStep(verdicts, metrics, REVIEW_IMAGE_BUDGET, repeats, TO_IDENTIFICATIONS,
                TO_REVIEW, TO_DEAD_LETTERS, id -> decisionObserver.accept(id)), INFER);
        if (repeats.enabled()) {
            t.addStateStore(DecidedSightings.storeBuilder(repeats.store(), repeats.window()), VALIDATE, ROUTE);
        }
        t.addSink(TO_IDENTIFICATIONS, topics.identifications(), keys, (Serializer) topics.identificationSerializer(),
                ROUTE);
        t.addSink(TO_REVIEW, topics.review(), keys, (Serializer) topics.reviewSerializer(), ROUTE);
        t.addSink(TO_DEAD_LETTERS, topics.deadLetters(), keys, (Serializer) topics.deadLetterSerializer(),
                VALIDATE, INFER, ROUTE);
        return t;
    }

    /** Room for the largest record written: a review request carries a photo as large as intake admits. */
    private long maxOutputBytes() {
        return Math.max(2L * 1024 * 1024, intake.maxSightingBytes() + 1024 * 1024);
    }

    /** The clients' settings with the bootstrap servers, for the progress monitor's admin client. */
    private Map<String, Object> streamsClientConfig() {
        Map<String, Object> c = new java.util.HashMap<>(config.clientConfig());
        c.put("bootstrap.servers", config.bootstrapServers());
        return c;
    }

    private Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(config.clientConfig());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        Object guarantee = p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        if (guarantee != null && !StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
            LOG.warn("ignoring processing.guarantee={}: this service always runs exactly_once_v2", guarantee);
        }
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UndecodableSightingHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, UnexpectedFailureHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(ServiceConfig.PREFIX + "topic.sightings-dlq", topics.deadLetters());
        p.put(Metrics.CONFIG_KEY, metrics);
        // Completed batches are forwarded by punctuation; a short poll keeps them from waiting on an idle poll.
        p.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, 10);
        // A stream thread replaced after its producer was fenced (a transaction timed out) leaves its consumer in the
        // group without a leave request, and its partitions wait until that member's session expires: with Kafka's
        // 45 s, a 13 s broker stall cost 45 s without any progress (docs/BROKER-CRASH-INVESTIGATION.md).
        if (Stream.of("", StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX)
                .noneMatch(prefix -> p.containsKey(prefix + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))) {
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        }
        p.putIfAbsent(StreamsConfig.producerPrefix("max.request.size"), (int) maxOutputBytes());
        config.stateDir().ifPresent(dir -> p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        return p;
    }

    /**
     * Starts serving: the health endpoint, the initial model (if configured), the release watcher; waits until a
     * model is available, then starts the stream.
     */
    public void start() {
        if (config.httpPort() >= 0) {
            try {
                health = new HealthServer(config.httpHost(), config.httpPort(), this::healthy, this::ready,
                        this::status, metrics);
                LOG.info("health and metrics on http://{}:{}/ (health, ready, metrics)", config.httpHost(),
                        health.port());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the health port " + config.httpPort() + ": "
                        + e.getMessage(), e);
            }
        }
        config.initialModel().ifPresent(dir -> runner.offer(loader.load(dir, null)));
        watcher.start();
        long waitingSince = System.currentTimeMillis();
        while (!runner.hasModel() && !closed) {
            if (System.currentTimeMillis() - waitingSince > 10_000) {
                LOG.info("no model yet: waiting for a release of '{}' on {} (or set lepistream.model.dir)",
                        config.modelName(), topics.releases());
                waitingSince = System.currentTimeMillis();
            }
            sleep(200);
        }
        if (closed) {
            return;
        }
        streams.start();
        monitor = new ProgressMonitor(streamsClientConfig(), streams, config.applicationId(),
                java.util.Set.of(topics.sightings()), progress, config.healthCheckInterval());
        LOG.info("identification service {} started: {} -> {} | {} | {}", config.applicationId(), topics.sightings(),
                topics.identifications(), topics.review(), topics.deadLetters());
    }

    /** Blocks until the stream is RUNNING (true) or the timeout passes (false). */
    public boolean awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            sleep(100);
        }
        return false;
    }

    /**
     * Alive: not closed, the stream has not failed for good, and it has not gone without a broker or without
     * progress on a backlog (or without being RUNNING) for longer than {@code health.live-after-ms}.
     */
    public boolean healthy() {
        KafkaStreams.State s = streams.state();
        return !closed && s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR
                && progress.verdict().live();
    }

    /**
     * Making progress: a model is loaded, the stream is RUNNING, a broker answered and waiting records got committed
     * within {@code health.ready-after-ms}.
     */
    public boolean ready() {
        return healthy() && runner.hasModel() && streams.state() == KafkaStreams.State.RUNNING
                && progress.verdict().ready();
    }

    /** One line for humans: state, model, counts. */
    public String status() {
        ServingModel model = runner.latest();
        return "state=" + streams.state() + " model=" + (model == null ? "none" : model.version())
                + " sightings=" + metrics.sightings.total()
                + " identified=" + metrics.outputs.get("identified")
                + " review=" + metrics.outputs.get("review")
                + " dead_letters=" + metrics.outputs.get("dead_letter")
                + (lastModelError.isEmpty() ? "" : " last_model_error=\"" + lastModelError + "\"")
                + (progress.verdict().reason().isEmpty() ? "" : " problem=\"" + progress.verdict().reason() + "\"");
    }

    /** Registers a quick, non-throwing observer of every decision (used by the demo's live view). */
    public void onDecision(Consumer<Identification> observer) {
        this.decisionObserver = observer;
    }

    public Metrics metrics() {
        return metrics;
    }

    public StreamsTopics topics() {
        return topics;
    }

    /** The model that will compute the next batch. */
    public ServingModel model() {
        return runner.latest();
    }

    /** Port of the health endpoint (-1 when disabled or not started). */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (monitor != null) {
            monitor.close();
        }
        // Leave the group so a restart with the same application.id does not wait out the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        watcher.close();
        fetches.close();
        executor.close();
        runner.close();
        if (health != null) {
            health.close();
        }
        LOG.info("identification service stopped ({})", status());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
