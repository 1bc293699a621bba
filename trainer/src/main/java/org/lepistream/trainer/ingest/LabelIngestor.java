package org.lepistream.trainer.ingest;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.serde.AvroSerdes;
import org.lepistream.trainer.TrainerConfig;
import org.lepistream.trainer.ops.TrainerMetrics;
import org.lepistream.trainer.store.DatasetStore;
import org.lepistream.trainer.store.Rejection;
import org.lepistream.trainer.store.TrainingExample;
import org.lepistream.vision.data.ImageFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code expert-labels} into training examples. One consumer reads the labels and the records they join with:
 * {@code expert-review} (photo + identification of every reviewed sighting), {@code identifications} (the service's
 * answer for accepted sightings an expert audits) and {@code sightings} (their photos). Join records are written to
 * the {@link JoinStore}; a label whose sighting is known becomes an example in the {@link DatasetStore}. Offsets are
 * committed only after everything read before them is durable (fsynced), and a label still waiting for its sighting
 * holds its partition's commit back, so a crash at any point replays rather than loses; replays overwrite the same
 * files, so nothing is duplicated. A label that cannot be used (unknown taxon, no photo after the join wait) is
 * recorded under {@code rejected/} with its reason, and counted.
 */
public final class LabelIngestor implements Runnable, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LabelIngestor.class);

    /** A label waiting for its sighting or identification. */
    private record Pending(ConsumerRecord<String, byte[]> record, ExpertLabel label, long since) {
    }

    private final TrainerConfig config;
    private final DatasetStore store;
    private final JoinStore joins;
    private final TrainerMetrics metrics;
    private final Supplier<ExampleBuilder> builder;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ExpertLabel> labels;
    private final Deserializer<ReviewRequest> reviews;
    private final Deserializer<Identification> identifications;
    private final Deserializer<Sighting> sightings;
    private final List<Pending> pending = new ArrayList<>();
    /** Next offset to read per partition (everything before it has been handled, unless still pending). */
    private final Map<TopicPartition, Long> seen = new HashMap<>();
    private volatile boolean running = true;
    private volatile Runnable afterBatch = () -> { };
    private final ImageFetcher fetcher;

    /** @param builder the current example builder (its taxonomy follows the current model) */
    public LabelIngestor(TrainerConfig config, DatasetStore store, JoinStore joins, TrainerMetrics metrics,
            Supplier<ExampleBuilder> builder) {
        this.config = config;
        this.store = store;
        this.joins = joins;
        this.metrics = metrics;
        this.builder = builder;
        // The service's fetcher and allow-list rules: a photo by URI is fetched once, when its label arrives.
        this.fetcher = new ImageFetcher(config.fetchAllowList(), config.maxImageBytes(),
                config.fetchTimeout());
        Map<String, Object> p = new HashMap<>(config.clientConfig());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.applicationId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // identifications and expert-review are written in the service's exactly-once transactions.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> serde = config.clientConfig();
        this.labels = AvroSerdes.specific(ExpertLabel.class, serde).deserializer();
        this.reviews = AvroSerdes.specific(ReviewRequest.class, serde).deserializer();
        this.identifications = AvroSerdes.specific(Identification.class, serde).deserializer();
        this.sightings = AvroSerdes.specific(Sighting.class, serde).deserializer();
    }

    /** Called after every durable batch (e.g. to let the retrain policy look at the new count). */
    public void afterBatch(Runnable r) {
        this.afterBatch = r;
    }

    @Override
    public void run() {
        List<String> topics = new ArrayList<>(List.of(config.reviewTopic(), config.identificationsTopic(),
                config.labelsTopic()));
        if (config.joinSightings()) {
            topics.add(config.sightingsTopic());
        }
        consumer.subscribe(topics);
        try {
            while (running) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
                List<ConsumerRecord<String, byte[]>> labelRecords = new ArrayList<>();
                // Join records first: a label and its review often arrive in the same poll.
                for (ConsumerRecord<String, byte[]> r : batch) {
                    if (r.topic().equals(config.labelsTopic())) {
                        labelRecords.add(r);
                    } else {
                        remember(r);
                    }
                    seen.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                }
                for (ConsumerRecord<String, byte[]> r : labelRecords) {
                    ExpertLabel label = decodeLabel(r);
                    if (label != null) {
                        pending.add(new Pending(r, label, System.currentTimeMillis()));
                    }
                }
                int waiting = pending.size();
                boolean stored = drainPending();
                if (stored) {
                    store.writeLabels(builder.get().ranks());
                    metrics.examplesByWeightClass(countByClass());
                }
                if (!batch.isEmpty() || stored || pending.size() != waiting) {
                    commit(seen);
                    afterBatch.run();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Joins every pending label it can; returns whether any example was stored. */
    private boolean drainPending() {
        boolean stored = false;
        long now = System.currentTimeMillis();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending p = it.next();
            String id = p.label().getSightingId();
            Optional<JoinStore.Photo> photo = joins.photo(id);
            Optional<Identification> ident = joins.identification(id);
            String source = source(p.record());
            if (photo.isEmpty() && ident.isPresent()) {
                Optional<String> uri = joins.photoUri(id);
                if (uri.isPresent()) {
                    try {
                        byte[] bytes = fetcher.fetch(uri.get());
                        joins.putPhoto(id, bytes, "");
                        photo = joins.photo(id);
                    } catch (ImageFetcher.FetchException e) {
                        reject(new Rejection(id, e.failure() == ImageFetcher.Failure
                                .NOT_ALLOWED ? "URI_NOT_ALLOWED" : "URI_UNREACHABLE", "the photo of sighting " + id
                                + " came by URI and could not be fetched: " + e.getMessage()
                                + (config.fetchAllowList().isEmpty() ? " (lepistream.fetch.allow is empty)" : ""),
                                source, now));
                        it.remove();
                        continue;
                    }
                }
            }
            if (photo.isEmpty() || ident.isEmpty()) {
                if (now - p.since() >= config.joinWait().toMillis()) {
                    reject(new Rejection(id, photo.isEmpty() ? "NO_IMAGE" : "NO_IDENTIFICATION", "no "
                            + (photo.isEmpty() ? "photo" : "identification") + " of sighting " + id + " seen within "
                            + config.joinWait() + " (the sighting carried no inline photo, or its records expired)",
                            source, now));
                    it.remove();
                }
                continue;
            }
            ExampleBuilder.Outcome o = builder.get().build(p.label(), ident.get(), photo.get(), source, now);
            if (o.accepted()) {
                TrainingExample e = o.example();
                store.put(e, photo.get().bytes(), o.extension());
                metrics.labelsIngested.inc(e.verdict());
                stored = true;
            } else {
                reject(o.rejection());
            }
            it.remove();
        }
        return stored;
    }

    private void reject(Rejection r) {
        store.reject(r);
        metrics.labelsRejected.inc(r.reason());
        LOG.warn("label for sighting {} rejected: {} ({})", r.sightingId(), r.reason(), r.detail());
    }

    /** Commits what is durable: up to the first still-pending label of each labels partition. */
    private void commit(Map<TopicPartition, Long> next) {
        Map<TopicPartition, Long> hold = new HashMap<>();
        for (Pending p : pending) {
            TopicPartition tp = new TopicPartition(p.record().topic(), p.record().partition());
            hold.merge(tp, p.record().offset(), Math::min);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((tp, off) -> offsets.put(tp, new OffsetAndMetadata(hold.containsKey(tp)
                ? Math.min(off, hold.get(tp)) : off)));
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private void remember(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(config.reviewTopic())) {
                ReviewRequest rr = reviews.deserialize(r.topic(), r.value());
                String id = rr.getIdentification().getSightingId();
                joins.putIdentification(id, rr.getIdentification());
                if (rr.getImage() != null) {
                    joins.putPhoto(id, bytes(rr.getImage()), rr.getContentType());
                } else if (rr.getImageUri() != null) {
                    joins.putPhotoUri(id, rr.getImageUri());
                }
            } else if (r.topic().equals(config.identificationsTopic())) {
                Identification i = identifications.deserialize(r.topic(), r.value());
                joins.putIdentification(i.getSightingId(), i);
            } else {
                Sighting s = sightings.deserialize(r.topic(), r.value());
                if (s.getImage() != null) {
                    joins.putPhoto(s.getSightingId(), bytes(s.getImage()), s.getContentType());
                } else if (s.getImageUri() != null) {
                    joins.putPhotoUri(s.getSightingId(), s.getImageUri());
                }
            }
            metrics.joinRecords.inc(r.topic());
        } catch (RuntimeException e) {
            // The service dead-letters bad sightings; for the trainer such a record simply cannot be joined.
            metrics.joinRecords.inc("undecodable");
            LOG.warn("skipping undecodable {} record {}: {}", r.topic(), source(r), e.getMessage());
        }
    }

    private ExpertLabel decodeLabel(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.value() == null) {
                throw new IllegalArgumentException("null value (tombstone)");
            }
            return labels.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            reject(new Rejection(r.key() == null ? "" : r.key(), "UNDECODABLE", e.getMessage(), source(r),
                    System.currentTimeMillis()));
            return null;
        }
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        java.nio.ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static String source(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }

    private Map<String, Long> countByClass() {
        Map<String, Long> counts = new TreeMap<>();
        for (TrainingExample e : store.examples()) {
            counts.merge(e.weightClass() == null ? "untrainable" : e.weightClass(), 1L, Long::sum);
        }
        return counts;
    }

    /** Labels waiting for their sighting. */
    public int pendingCount() {
        return pending.size();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
