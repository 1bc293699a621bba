package org.lepistream.streams.models;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.schemas.serde.AvroSerdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted model-releases topic from the beginning and, for the latest release of this service's
 * model, loads its bundle from the model store, validates and warms it, and offers it to the runner, which swaps
 * it in between two batches. A release that fails is logged and counted; the model in service stays.
 */
public final class ReleaseWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseWatcher.class);

    private final String topic;
    private final String modelName;
    private final ModelStore store;
    private final ModelLoader loader;
    private final ModelRunner runner;
    private final Consumer<String> onRejected;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ModelRelease> releases;
    private final Thread thread;
    private final String bootstrap;
    private volatile boolean running = true;
    private volatile boolean started;

    /**
     * @param clientConfig Kafka and serde settings (bootstrap.servers, schema.registry.url, security)
     * @param onRejected told the reason when a release cannot be served
     */
    public ReleaseWatcher(Map<String, Object> clientConfig, String topic, String modelName, ModelStore store,
            ModelLoader loader, ModelRunner runner, Consumer<String> onRejected) {
        this.topic = topic;
        this.modelName = modelName;
        this.store = store;
        this.loader = loader;
        this.runner = runner;
        this.onRejected = onRejected;
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.bootstrap = String.valueOf(clientConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.releases = AvroSerdes.specific(ModelRelease.class, clientConfig).deserializer();
        this.thread = new Thread(this::run, "model-release-watcher");
        this.thread.setDaemon(true);
    }

    public void start() {
        // No consumer group: every instance reads every release, and always from the start of the compacted log.
        List<TopicPartition> partitions;
        try {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + " (no answer about topic " + topic
                    + " within 30 s)");
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist at " + bootstrap);
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        started = true;
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
                ModelRelease latest = null;
                for (ConsumerRecord<String, byte[]> r : batch) {
                    ModelRelease release = decode(r);
                    if (release != null && modelName.equals(release.getModelName())) {
                        latest = release; // compacted topic, one partition per name: the last one wins
                    }
                }
                if (latest != null) {
                    apply(latest);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("model release watcher stopped: {}", e.toString(), e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private ModelRelease decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return releases.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            String reason = "undecodable record on " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": "
                    + e.getMessage();
            LOG.error("ignoring model release: {}", reason);
            onRejected.accept(reason);
            return null;
        }
    }

    private void apply(ModelRelease release) {
        ServingModel serving = runner.latest();
        if (serving != null && serving.version().equals(release.getVersion())) {
            LOG.info("release {} of {} is already in service", release.getVersion(), modelName);
            return;
        }
        try {
            Path dir = store.locate(release);
            ServingModel model = loader.load(dir, release);
            if (!model.version().equals(release.getVersion())) {
                model.bundle().close();
                throw new ModelLoader.RejectedModelException("release announces version " + release.getVersion()
                        + " but the bundle at " + dir + " is version " + model.version(), null);
            }
            runner.offer(model);
            LOG.info("release {} of {} loaded; it goes into service before the next batch", release.getVersion(),
                    modelName);
        } catch (RuntimeException e) {
            String reason = "release " + release.getVersion() + " of " + modelName + " rejected, keeping "
                    + (serving == null ? "no model" : serving.version()) + ": " + e.getMessage();
            LOG.error(reason);
            onRejected.accept(reason);
        }
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
