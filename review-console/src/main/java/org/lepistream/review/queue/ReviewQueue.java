package org.lepistream.review.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.lepistream.review.ConsoleConfig;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.serde.AvroSerdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what is waiting for an expert: every review request not yet labelled. A Kafka Streams application
 * materialises expert-review minus expert-labels into persistent, changelogged state stores (so the queue survives
 * restarts and moves with the instance), and counts accepted identifications for the dashboard.
 */
public final class ReviewQueue implements AutoCloseable {

    static final String REQUESTS = "review-requests";
    static final String INDEX = "review-index";
    static final String OUTCOMES = "review-outcomes";
    static final String REVIEW_STATS = "review-stats";
    static final String ACCEPTED_STATS = "accepted-stats";
    /** Review requests carry a photo and two PNGs: let their changelog take what expert-review can. */
    private static final int MAX_RECORD_BYTES = 8 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ReviewQueue.class);

    private final ConsoleConfig config;
    private final Deserializer<ReviewRequest> requests;
    private final KafkaStreams streams;

    public ReviewQueue(ConsoleConfig config) {
        this.config = config;
        Map<String, Object> serde = config.clientConfig();
        this.requests = AvroSerdes.specific(ReviewRequest.class, serde).deserializer();
        this.streams = new KafkaStreams(topology(serde), properties());
        this.streams.setUncaughtExceptionHandler(e -> {
            LOG.error("queue stream thread failed; replacing it (it resumes from the last commit)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /**
     * Two sub-topologies: (expert-review, expert-labels) → the queue, its index and the outcomes — both topics are
     * keyed by sightingId with the same partition count, so a request and its label meet in the same task; and
     * identifications → counters of accepted sightings.
     */
    private Topology topology(Map<String, Object> serde) {
        Deserializer<ExpertLabel> labels = AvroSerdes.specific(ExpertLabel.class, serde).deserializer();
        Deserializer<Identification> ids = AvroSerdes.specific(Identification.class, serde).deserializer();
        Map<String, String> changelog = Map.of("max.message.bytes", String.valueOf(MAX_RECORD_BYTES));
        Topology t = new Topology();
        t.addSource("expert-review", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                config.reviewTopic());
        t.addSource("expert-labels", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                config.labelsTopic());
        t.addProcessor("enqueue", () -> new RequestIntake(requests), "expert-review");
        t.addProcessor("dequeue", () -> new LabelIntake(labels), "expert-labels");
        for (String store : List.of(REQUESTS, INDEX, OUTCOMES)) {
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()).withLoggingEnabled(changelog), "enqueue", "dequeue");
        }
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REVIEW_STATS), Serdes.String(),
                Serdes.Long()), "enqueue", "dequeue");
        t.addSource("identifications", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                config.identificationsTopic());
        t.addProcessor("count-accepted", () -> new AcceptedIntake(ids), "identifications");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCEPTED_STATS), Serdes.String(),
                Serdes.Long()), "count-accepted");
        return t;
    }

    private Properties properties() {
        Properties p = new Properties();
        config.clientConfig().forEach((k, v) -> {
            if (!k.startsWith("schema.registry.") && !k.startsWith("basic.auth.")) {
                p.put(k, v);
            }
        });
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // A label and the queue change it causes commit together: a crash never leaves a labelled item queued.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.putIfAbsent(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        p.putIfAbsent(StreamsConfig.producerPrefix("max.request.size"), MAX_RECORD_BYTES);
        p.putIfAbsent(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), MAX_RECORD_BYTES);
        config.stateDir().ifPresent(dir -> p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        return p;
    }

    public void start() {
        streams.start();
    }

    /** Blocks until the stores are restored and the stream runs (true) or the timeout passes (false). */
    public boolean awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Every pending item (unordered). */
    public List<QueueItem> pending() {
        return read(INDEX, store -> {
            List<QueueItem> items = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                it.forEachRemaining(kv -> items.add(JsonCodec.read(kv.value, QueueItem.class)));
            }
            return items;
        });
    }

    public Optional<QueueItem> item(String sightingId) {
        byte[] v = this.<byte[]>read(INDEX, store -> store.get(sightingId));
        return Optional.ofNullable(v).map(b -> JsonCodec.read(b, QueueItem.class));
    }

    /** The full request (with its pictures) of a pending item. */
    public Optional<ReviewRequest> request(String sightingId) {
        byte[] v = this.<byte[]>read(REQUESTS, store -> store.get(sightingId));
        return Optional.ofNullable(v).map(b -> requests.deserialize(config.reviewTopic(), b));
    }

    public Optional<Outcome> outcome(String sightingId) {
        byte[] v = this.<byte[]>read(OUTCOMES, store -> store.get(sightingId));
        return Optional.ofNullable(v).map(b -> JsonCodec.read(b, Outcome.class));
    }

    public List<Outcome> outcomes() {
        return read(OUTCOMES, store -> {
            List<Outcome> all = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                it.forEachRemaining(kv -> all.add(JsonCodec.read(kv.value, Outcome.class)));
            }
            return all;
        });
    }

    /**
     * Every dashboard counter (see {@link Stats}). Each task (partition) keeps its own counters, and the store view
     * yields one entry per task for the same key: they are summed (last-seen times: the latest).
     */
    public Map<String, Long> stats() {
        Map<String, Long> all = new TreeMap<>();
        for (String name : List.of(REVIEW_STATS, ACCEPTED_STATS)) {
            // Collected per attempt: a read retried after a rebalance must not count anything twice.
            List<KeyValue<String, Long>> entries = this.<Long, List<KeyValue<String, Long>>>readLong(name, store -> {
                List<KeyValue<String, Long>> read = new ArrayList<>();
                try (KeyValueIterator<String, Long> it = store.all()) {
                    it.forEachRemaining(read::add);
                }
                return read;
            });
            entries.forEach(kv -> all.merge(kv.key, kv.value,
                    kv.key.startsWith(Stats.MODEL_LAST_SEEN) ? Math::max : Long::sum));
        }
        return all;
    }

    private <R> R read(String name, Function<ReadOnlyKeyValueStore<String, byte[]>, R> query) {
        return query(name, query);
    }

    private <V, R> R readLong(String name, Function<ReadOnlyKeyValueStore<String, V>, R> query) {
        return query(name, query);
    }

    /** Reads a local store; while the stream restores or rebalances it says so instead of answering wrongly. */
    private <V, R> R query(String name, Function<ReadOnlyKeyValueStore<String, V>, R> query) {
        InvalidStateStoreException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                ReadOnlyKeyValueStore<String, V> store = streams.store(
                        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
                return query.apply(store);
            } catch (InvalidStateStoreException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new QueueUnavailableException("the review queue is loading (" + streams.state() + "); try again shortly",
                last);
    }

    @Override
    public void close() {
        // Leave the group so a restart with the same application.id does not wait out the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
