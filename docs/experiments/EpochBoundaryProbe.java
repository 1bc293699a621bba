import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Experiment for issue 16 (not part of the build): does a transaction that times out next to the producer-epoch
 * limit (32767) lose or rewind the consumer offsets it carried, once the broker is SIGKILLed and restarted? Kafka
 * clients only, so the finding is about Kafka, not lepistream. Under transactions version 2 every transaction bumps
 * the epoch, so a transactional id first gets aged with cheap transactions ({@code age}); then {@code cycle} runs
 * the consume-transform-produce loop Kafka Streams runs (poll, produce, sendOffsetsToTransaction, commit; on a fence,
 * a new producer and a rewind to the committed offsets) and hangs one transaction past its timeout. Run with the
 * class path of streams-app (for kafka-clients):
 *
 * <pre>
 * java -cp "$(cat streams-app/target/classpath.txt)" docs/experiments/EpochBoundaryProbe.java \
 *   topics  BOOTSTRAP IN OUT PARTITIONS
 *   seed    BOOTSTRAP IN PREFIX FROM TO           (records PREFIX-i, i in [FROM, TO), keyed by themselves)
 *   epoch   BOOTSTRAP TXNID                       (the coordinator's producer id, epoch and state)
 *   age     BOOTSTRAP TXNID TARGET_EPOCH          (empty-ish transactions until the epoch reaches TARGET_EPOCH)
 *   cycle   BOOTSTRAP TXNID GROUP IN OUT HANG_AT HANG_WHERE HANG_MS TIMEOUT_MS IDLE_S
 *   count   BOOTSTRAP OUT PREFIX N                (read_committed outputs per record)
 *   offsets BOOTSTRAP GROUP IN                    (committed offsets against the log ends)
 * </pre>
 *
 * {@code cycle} hangs the transaction after HANG_AT committed ones, for HANG_MS, either before its
 * sendOffsetsToTransaction (HANG_WHERE=before, where Streams hangs on a slow fetch) or after it (after); with
 * before-every or after-every, it hangs after every HANG_AT committed ones. It stops after IDLE_S seconds without
 * records. {@code broker-kill-probe.sh} beside it runs {@code cycle} while it SIGKILLs the broker; the results are in
 * docs/BROKER-CRASH-INVESTIGATION.md.
 */
public class EpochBoundaryProbe {

    static final String AGE_TOPIC = "epoch-age";

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "topics" -> topics(a[1], a[2], a[3], Integer.parseInt(a[4]));
            case "seed" -> seed(a[1], a[2], a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]));
            case "epoch" -> {
                try (Admin admin = admin(a[1])) {
                    System.out.println(describe(admin, a[2]));
                }
            }
            case "age" -> age(a[1], a[2], Short.parseShort(a[3]));
            case "cycle" -> cycle(a[1], a[2], a[3], a[4], a[5], Integer.parseInt(a[6]), a[7],
                    Long.parseLong(a[8]), Integer.parseInt(a[9]), Integer.parseInt(a[10]));
            case "count" -> count(a[1], a[2], a[3], Integer.parseInt(a[4]));
            case "offsets" -> {
                try (Admin admin = admin(a[1])) {
                    System.out.println(offsets(admin, a[2], a[3]));
                }
            }
            default -> throw new IllegalArgumentException("unknown subcommand " + a[0]);
        }
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    static void topics(String bootstrap, String in, String out, int partitions) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            create(admin, new NewTopic(in, partitions, (short) 1));
            create(admin, new NewTopic(out, partitions, (short) 1));
        }
    }

    /** Creates the topic unless it exists, so that runs can share a stack. */
    static void create(Admin admin, NewTopic topic) throws Exception {
        try {
            admin.createTopics(List.of(topic)).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
    }

    static void seed(String bootstrap, String in, String prefix, int from, int to) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < to; i++) {
                p.send(new ProducerRecord<>(in, prefix + "-" + i, prefix + "-" + i));
            }
        }
    }

    static String describe(Admin admin, String txnId) throws Exception {
        TransactionDescription d;
        try {
            d = admin.describeTransactions(List.of(txnId)).description(txnId).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TransactionalIdNotFoundException) {
                return txnId + " not used yet";
            }
            throw e;
        }
        return "producerId=" + d.producerId() + " epoch=" + d.producerEpoch() + " state=" + d.state()
                + " partitions=" + d.topicPartitions();
    }

    static KafkaProducer<String, String> producer(String bootstrap, String txnId, int timeoutMs) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "transactional.id", txnId,
                "transaction.timeout.ms", timeoutMs, "max.block.ms", 30_000, "delivery.timeout.ms", 30_000,
                "request.timeout.ms", 10_000, "linger.ms", 0);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Cheap transactions (one record each) until the coordinator reports TARGET for the id's epoch. */
    static void age(String bootstrap, String txnId, short target) throws Exception {
        long start = System.nanoTime();
        int n = 0;
        try (Admin admin = admin(bootstrap);
                KafkaProducer<String, String> p = producer(bootstrap, txnId, 60_000)) {
            create(admin, new NewTopic(AGE_TOPIC, 1, (short) 1));
            p.initTransactions();
            int epoch = -1;
            while (true) {
                if (epoch < 0 || target - epoch < 50 || n % 1000 == 0) {
                    TransactionDescription d = admin.describeTransactions(List.of(txnId)).description(txnId).get();
                    epoch = d.producerEpoch();
                    if (n % 5000 == 0 || target - epoch < 3) {
                        System.out.printf("%d transactions, producerId=%d epoch=%d%n", n, d.producerId(), epoch);
                    }
                    if (epoch >= target) {
                        break;
                    }
                } else {
                    epoch++;
                }
                p.beginTransaction();
                p.send(new ProducerRecord<>(AGE_TOPIC, "age"));
                p.commitTransaction();
                n++;
            }
        }
        System.out.printf("aged by %d transactions in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
    }

    /** The Streams loop, with one transaction hung past its timeout. */
    static void cycle(String bootstrap, String txnId, String group, String in, String out, int hangAt,
            String hangWhere, long hangMs, int timeoutMs, int idleS) throws Exception {
        Map<String, Object> cprops = Map.of("bootstrap.servers", bootstrap, "group.id", group,
                "isolation.level", "read_committed", "enable.auto.commit", false, "auto.offset.reset", "earliest",
                "max.poll.records", 5);
        int txns = 0;
        int committedRecords = 0;
        boolean every = hangWhere.endsWith("-every");
        String where = hangWhere.replace("-every", "");
        int lastHangAt = -1;
        long lastRecord = System.nanoTime();
        try (Admin admin = admin(bootstrap);
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cprops, new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of(in));
            KafkaProducer<String, String> producer = initialised(bootstrap, txnId, timeoutMs);
            while (System.nanoTime() - lastRecord < idleS * 1_000_000_000L) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                lastRecord = System.nanoTime();
                boolean hangNow = txns != lastHangAt && (every ? txns > 0 && txns % hangAt == 0 : txns == hangAt);
                try {
                    producer.beginTransaction();
                    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                    for (ConsumerRecord<String, String> r : records) {
                        producer.send(new ProducerRecord<>(out, r.key(), r.value()));
                        next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    if (hangNow && where.equals("before")) {
                        hang(admin, txnId, hangMs);
                        lastHangAt = txns;
                    }
                    producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                    if (hangNow && where.equals("after")) {
                        hang(admin, txnId, hangMs);
                        lastHangAt = txns;
                    }
                    producer.commitTransaction();
                    txns++;
                    committedRecords += records.count();
                } catch (KafkaException e) {
                    System.out.printf("%tT transaction %d failed: %s%n", System.currentTimeMillis(), txns, e);
                    producer.close(Duration.ZERO);
                    producer = initialised(bootstrap, txnId, timeoutMs);
                    rewind(consumer);
                }
                // A hang or a re-initialisation is not idleness: the idle clock starts after the batch.
                lastRecord = System.nanoTime();
            }
            producer.close();
            System.out.printf("%d transactions committed, %d records in them; %s%n", txns, committedRecords,
                    describe(admin, txnId));
        }
    }

    static void hang(Admin admin, String txnId, long ms) throws Exception {
        System.out.printf("%tT hanging %d ms in: %s%n", System.currentTimeMillis(), ms, describe(admin, txnId));
        Thread.sleep(ms);
        System.out.printf("%tT hang over: %s%n", System.currentTimeMillis(), describe(admin, txnId));
    }

    static KafkaProducer<String, String> initialised(String bootstrap, String txnId, int timeoutMs) {
        while (true) {
            KafkaProducer<String, String> p = producer(bootstrap, txnId, timeoutMs);
            try {
                p.initTransactions();
                return p;
            } catch (KafkaException e) {
                System.out.printf("%tT initTransactions failed, again: %s%n", System.currentTimeMillis(), e);
                p.close(Duration.ZERO);
            }
        }
    }

    /** What Streams does after a fence: go back to the group's committed offsets. */
    static void rewind(KafkaConsumer<String, String> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(60));
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata c = committed.get(tp);
            if (c == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, c.offset());
            }
        }
        System.out.printf("rewound to %s%n", new TreeMap<>(committed.entrySet().stream().collect(
                java.util.stream.Collectors.toMap(e -> e.getKey().toString(),
                        e -> e.getValue() == null ? -1L : e.getValue().offset()))));
    }

    static void count(String bootstrap, String out, String prefix, int n) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "group.id", "count-" + System.nanoTime(),
                "isolation.level", "read_committed", "enable.auto.commit", false, "auto.offset.reset", "earliest");
        Map<String, Integer> seen = new TreeMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            c.subscribe(List.of(out));
            long quiet = System.nanoTime();
            while (System.nanoTime() - quiet < 10_000_000_000L) {
                ConsumerRecords<String, String> rs = c.poll(Duration.ofMillis(500));
                if (!rs.isEmpty()) {
                    quiet = System.nanoTime();
                }
                rs.forEach(r -> seen.merge(r.value(), 1, Integer::sum));
            }
        }
        long dups = seen.values().stream().filter(v -> v > 1).count();
        long missing = java.util.stream.IntStream.range(0, n).filter(i -> !seen.containsKey(prefix + "-" + i)).count();
        System.out.printf("%s: %d distinct of %d, %d with more than one output, %d missing, %d outputs%n", out,
                seen.size(), n, dups, missing, seen.values().stream().mapToInt(Integer::intValue).sum());
    }

    static String offsets(Admin admin, String group, String in) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var p : admin.describeTopics(List.of(in)).allTopicNames().get().get(in).partitions()) {
            latest.put(new TopicPartition(in, p.partition()), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::partition));
        admin.listOffsets(latest).all().get().forEach((tp, r) -> ends.put(tp, r.offset()));
        StringBuilder s = new StringBuilder();
        ends.forEach((tp, end) -> s.append(tp.partition()).append(": ")
                .append(committed.containsKey(tp) ? committed.get(tp).offset() : -1).append('/').append(end)
                .append("  "));
        return s.toString();
    }
}
