package org.lepistream.loadtest.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lepistream.loadtest.measure.LatencyTracker;
import org.lepistream.loadtest.workload.Pacer;
import org.lepistream.loadtest.workload.Workload;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.serde.AvroSerializer;
import org.lepistream.schemas.serde.SerdeConfig;

/**
 * Sends sightings open-loop (fixed rate or flat out) and watches the output topics (read_committed, from their end at
 * the start) for each sighting's result: the latency is from the producer send call to the result being visible.
 */
public final class LoadGenerator {

    /** Room for the largest photo the service accepts plus the record's other fields. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private final Map<String, Object> kafka;
    private final Map<String, Object> serde;

    /**
     * @param kafka Kafka client properties (bootstrap.servers plus SASL/SSL settings)
     * @param serde serde config (schema.registry.url plus registry credentials)
     */
    public LoadGenerator(Map<String, Object> kafka, Map<String, Object> serde) {
        this.kafka = Map.copyOf(kafka);
        this.serde = Map.copyOf(serde);
    }

    /** Runs the load; {@code onCompleted} hears the completed count after every poll (progress, fault injection). */
    public LoadResult run(Workload workload, LoadSettings settings, LongConsumer onCompleted) throws InterruptedException {
        String runId = "lt-" + UUID.randomUUID().toString().substring(0, 8);
        return run(runId, workload, settings, onCompleted);
    }

    /** As {@link #run(Workload, LoadSettings, LongConsumer)} with a chosen run id (the sighting id prefix). */
    public LoadResult run(String runId, Workload workload, LoadSettings settings, LongConsumer onCompleted)
            throws InterruptedException {
        String loadBefore = MachineLoad.loadAverage();
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        LatencyTracker tracker = new LatencyTracker(start);
        Watcher watcher = new Watcher(settings.outputTopics(), tracker, onCompleted);
        Thread watching = new Thread(watcher, "load-test-results");
        watching.setDaemon(true);
        watching.start();
        watcher.awaitPositioned();
        long sendStart = System.nanoTime();
        double sendSeconds;
        try (KafkaProducer<String, Sighting> producer = producer()) {
            Pacer pacer = new Pacer(settings.rate());
            for (long n = 0; n < settings.count(); n++) {
                pacer.awaitSlot(sendStart, n);
                Sighting sighting = workload.sighting(runId, n);
                String id = sighting.getSightingId();
                tracker.sent(id, System.nanoTime());
                producer.send(new ProducerRecord<>(settings.sightingsTopic(), id, sighting), (metadata, failure) -> {
                    if (failure != null) {
                        tracker.sendFailed(id, failure.getClass().getSimpleName() + ": " + failure.getMessage());
                    }
                });
            }
            producer.flush();
            sendSeconds = (System.nanoTime() - sendStart) / 1e9;
        }
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (tracker.pendingCount() > 0 && System.nanoTime() < deadline && watcher.failure.get() == null) {
            Thread.sleep(50);
        }
        // Keep reading a little longer: a duplicate result would arrive after the first one.
        Thread.sleep(settings.settle().toMillis());
        watcher.stop();
        watching.join(10_000);
        if (watcher.failure.get() != null) {
            throw new IllegalStateException("reading results failed: " + watcher.failure.get().getMessage(),
                    watcher.failure.get());
        }
        return new LoadResult(runId, settings, workload.description(), tracker, startedAt, sendSeconds, loadBefore,
                MachineLoad.loadAverage());
    }

    private KafkaProducer<String, Sighting> producer() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "lepistream-load-test");
        Map<String, Object> serdeConfig = new HashMap<>(serde);
        serdeConfig.putIfAbsent(SerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        AvroSerializer<Sighting> values = new AvroSerializer<>();
        values.configure(serdeConfig, false);
        return new KafkaProducer<>(props, new StringSerializer(), values);
    }

    /** Reads the output topics' keys (values are not even decoded: the key is the sightingId everywhere). */
    private final class Watcher implements Runnable {
        private final List<String> topics;
        private final LatencyTracker tracker;
        private final LongConsumer onCompleted;
        private final CountDownLatch positioned = new CountDownLatch(1);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private volatile boolean running = true;
        private volatile KafkaConsumer<String, byte[]> consumer;

        Watcher(List<String> topics, LatencyTracker tracker, LongConsumer onCompleted) {
            this.topics = topics;
            this.tracker = tracker;
            this.onCompleted = onCompleted;
        }

        void awaitPositioned() throws InterruptedException {
            positioned.await();
            if (failure.get() != null) {
                throw new IllegalStateException("cannot watch the output topics " + topics + ": "
                        + failure.get().getMessage(), failure.get());
            }
        }

        void stop() {
            running = false;
            KafkaConsumer<String, byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }

        @Override
        public void run() {
            Map<String, Object> props = new HashMap<>(kafka);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "lepistream-load-test-results");
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : topics) {
                    List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
                    if (infos == null || infos.isEmpty()) {
                        throw new IllegalStateException("topic " + topic + " does not exist");
                    }
                    infos.forEach(pi -> partitions.add(new TopicPartition(topic, pi.partition())));
                }
                c.assign(partitions);
                c.seekToEnd(partitions);
                partitions.forEach(c::position); // resolve now: results of this run come after these offsets
                positioned.countDown();
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        if (r.key() != null) {
                            tracker.result(r.key(), r.topic(), System.nanoTime());
                        }
                    }
                    onCompleted.accept(tracker.completedCount());
                }
            } catch (WakeupException e) {
                // stop() asked for it
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            } finally {
                positioned.countDown();
            }
        }
    }
}
