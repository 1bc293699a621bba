import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.serde.AvroSerializer;

/**
 * Experiment for issue 16 (not part of the build): the reporter's procedure from outside, as an operator would run
 * it against a running stack and service, with any version of lepistream's modules on the class path. Run with
 * Java's single-file launcher and the class path of streams-app:
 *
 * <pre>
 * java -cp "streams-app/target/classes:$(cat streams-app/target/classpath.txt)" docs/experiments/CrashProbe.java \
 *     send BOOTSTRAP REGISTRY_URL IMAGE_BASE COUNT RATE SLOW_EVERY SLOW_SECS PREFIX PHOTOS_DIR
 * ... count BOOTSTRAP PREFIX EXPECTED          (read_committed outputs per sightingId)
 * ... offsets BOOTSTRAP GROUP                  (committed offsets against the log ends of sightings, group state)
 * </pre>
 *
 * {@code send} makes sightings whose imageUri points at {@code trickle.py}: IMAGE_BASE/photos/NAME is served at
 * once, and every SLOW_EVERY-th sighting gets IMAGE_BASE/slow/SLOW_SECS/NAME, whose body takes SLOW_SECS.
 */
public class CrashProbe {

    static final String SIGHTINGS = "sightings";
    static final List<String> OUTPUTS = List.of("identifications", "expert-review", "sightings-dlq");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "send" -> send(args[1], args[2], args[3], Integer.parseInt(args[4]), Double.parseDouble(args[5]),
                    Integer.parseInt(args[6]), Integer.parseInt(args[7]), args[8], Path.of(args[9]));
            case "count" -> count(args[1], args[2], Integer.parseInt(args[3]));
            case "offsets" -> System.out.println(offsets(args[1], args[2]));
            default -> throw new IllegalArgumentException("send, count or offsets, not " + args[0]);
        }
    }

    static void send(String bootstrap, String registry, String base, int count, double rate, int slowEvery,
            int slowSecs, String prefix, Path photos) throws Exception {
        List<String> names;
        try (Stream<Path> files = Files.list(photos)) {
            names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jpg")).sorted().toList();
        }
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true,
                "linger.ms", 5);
        AvroSerializer<Sighting> values = new AvroSerializer<>();
        values.configure(Map.of("schema.registry.url", registry), false);
        AtomicInteger delivered = new AtomicInteger();
        long start = System.nanoTime();
        try (KafkaProducer<String, Sighting> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
            for (int i = 0; i < count; i++) {
                long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String name = names.get(i % names.size());
                boolean slow = slowEvery > 0 && i % slowEvery == slowEvery - 1;
                String id = prefix + "-" + i;
                Sighting s = Sighting.newBuilder().setSightingId(id).setObserverId("probe")
                        .setObservedAt(Instant.now()).setSource("crash-probe")
                        .setImageUri(base + (slow ? "/slow/" + slowSecs + "/" : "/photos/") + name).build();
                producer.send(new ProducerRecord<>(SIGHTINGS, id, s), (m, e) -> {
                    if (e == null) {
                        delivered.incrementAndGet();
                    } else {
                        System.err.println("failed " + id + ": " + e);
                    }
                });
                if (i % 50 == 49) {
                    System.out.println(Instant.now() + " sent " + (i + 1));
                }
            }
        }
        System.out.println(Instant.now() + " delivered " + delivered.get() + " of " + count);
    }

    static void count(String bootstrap, String prefix, int expected) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed",
                "enable.auto.commit", false);
        Map<String, List<String>> perId = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : OUTPUTS) {
                for (PartitionInfo p : consumer.partitionsFor(t)) {
                    parts.add(new TopicPartition(t, p.partition()));
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline
                    && parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (r.key() != null && r.key().startsWith(prefix + "-")) {
                        perId.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.topic() + "@" + r.partition()
                                + ":" + r.offset());
                    }
                }
            }
        }
        long twice = perId.values().stream().filter(l -> l.size() > 1).count();
        int total = perId.values().stream().mapToInt(List::size).sum();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            if (!perId.containsKey(prefix + "-" + i)) {
                missing.add(prefix + "-" + i);
            }
        }
        System.out.println("outputs " + total + ", sightings with an output " + perId.size() + ", with more than one "
                + twice + ", missing " + missing.size() + (missing.isEmpty() ? "" : " " + missing.subList(0,
                Math.min(10, missing.size()))));
        perId.entrySet().stream().filter(e -> e.getValue().size() > 1).limit(10)
                .forEach(e -> System.out.println("  " + e.getKey() + " " + e.getValue()));
    }

    static String offsets(String bootstrap, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            int partitions = admin.describeTopics(List.of(SIGHTINGS)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(SIGHTINGS).partitions().size();
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            for (int i = 0; i < partitions; i++) {
                q.put(new TopicPartition(SIGHTINGS, i), OffsetSpec.latest());
            }
            Map<Integer, Long> ends = new TreeMap<>();
            admin.listOffsets(q).all().get(10, TimeUnit.SECONDS).forEach((tp, o) -> ends.put(tp.partition(),
                    o.offset()));
            Map<Integer, Long> committed = new TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .forEach((tp, o) -> {
                        if (tp.topic().equals(SIGHTINGS) && o != null) {
                            committed.put(tp.partition(), o.offset());
                        }
                    });
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all()
                    .get(10, TimeUnit.SECONDS).get(group);
            return Instant.now() + " committed " + committed + " ends " + ends + " group " + d.groupState()
                    + " members " + d.members().size();
        }
    }
}
