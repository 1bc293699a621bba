package org.lepistream.stack.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lepistream.schemas.connect.ConnectionOptions;
import org.lepistream.schemas.serde.AvroDeserializer;
import org.lepistream.schemas.serde.AvroJson;
import org.lepistream.schemas.serde.RegistryException;
import org.lepistream.schemas.serde.RegistryUnreachableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lepistream consume}: prints a topic's records as JSON lines. */
@Command(name = "consume", description = {
            "Prints each record's value of TOPIC as one JSON line on standard output (bytes shown as {\"$bytes\": N}).",
            "A record that cannot be decoded prints 'error: TOPIC partition P offset O: REASON' on standard error and "
                + "consumption goes on. Reads all partitions without a consumer group (nothing is committed).",
            "Shows what the services' own consumers see: committed records only (read_committed); "
                + "--read-uncommitted shows the raw log, aborted transactions included."})
final class ConsumeCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to read.")
    String topic;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0",
            description = "Stop after N records, undecodable ones included (default: no limit).")
    long max;

    @Option(names = "--from-beginning", description = "Start at the oldest record (default: only new records).")
    boolean fromBeginning;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after this long without a record (default: wait forever).")
    double idleTimeout;

    @Option(names = "--with-metadata",
            description = "Wrap each value as {\"partition\",\"offset\",\"timestamp\",\"key\",\"value\"}.")
    boolean withMetadata;

    @Option(names = "--read-uncommitted",
            description = "Also print records of aborted and still-open transactions (the raw log). Default: "
                + "committed records only, so a retried or fenced batch of the service is not shown twice.")
    boolean readUncommitted;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (max < 0) {
            throw new CliFailure("--max must be zero or positive, got " + max);
        }
        if (idleTimeout < 0 || Double.isNaN(idleTimeout)) {
            throw new CliFailure("--idle-timeout must be zero or positive, got " + idleTimeout);
        }
        Map<String, Object> kafka = connection.kafkaProperties();
        int partitions = Reachability.requireTopic(kafka, topic);
        Map<String, Object> serde = Reachability.fastFailingSerde(connection.serdeConfig());
        Reachability.requireRegistry(serde);
        AvroDeserializer<GenericRecord> values = new AvroDeserializer<>();
        values.configure(serde, false);

        long consumed = 0;
        long failed = 0;
        CountDownLatch finished = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, readUncommitted)) {
            // Ctrl-C: wake the poll loop and give it a moment to print its summary before the JVM halts.
            Thread stopper = new Thread(() -> {
                consumer.wakeup();
                try {
                    finished.await(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "lepistream-consume-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            List<TopicPartition> assigned = IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(assigned);
            if (fromBeginning) {
                consumer.seekToBeginning(assigned);
            } else {
                consumer.seekToEnd(assigned);
            }
            long idleNanos = (long) (idleTimeout * 1e9);
            long lastRecord = System.nanoTime();
            try {
                while (max == 0 || consumed < max) {
                    var records = consumer.poll(Duration.ofMillis(250));
                    if (records.isEmpty()) {
                        if (idleNanos > 0 && System.nanoTime() - lastRecord >= idleNanos) {
                            break;
                        }
                        continue;
                    }
                    lastRecord = System.nanoTime();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        if (max > 0 && consumed >= max) {
                            break;
                        }
                        consumed++;
                        try {
                            out.println(render(record, values));
                        } catch (RuntimeException e) {
                            failed++;
                            if (unreachable(e)) {
                                throw new CliFailure(registryMessage(e), e);
                            }
                            err.println("error: " + topic + " partition " + record.partition() + " offset "
                                    + record.offset() + ": " + CliFailure.describe(e));
                            err.flush();
                        }
                        out.flush();
                    }
                }
            } catch (WakeupException e) {
                // Ctrl-C: finish quietly with what was printed.
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException e) {
                    // The JVM is already exiting.
                }
            }
        } finally {
            values.close();
        }
        err.println("consumed " + consumed + " record" + (consumed == 1 ? "" : "s")
                + (failed > 0 ? " (" + failed + " undecodable)" : ""));
        err.flush();
        out.flush();
        finished.countDown();
        return 0;
    }

    private String render(ConsumerRecord<byte[], byte[]> record, AvroDeserializer<GenericRecord> values) {
        GenericRecord value = values.deserialize(record.topic(), record.headers(), record.value());
        String json = value == null ? "null" : AvroJson.toJson(value);
        if (!withMetadata) {
            return json;
        }
        return "{\"partition\":" + record.partition() + ",\"offset\":" + record.offset() + ",\"timestamp\":"
                + record.timestamp() + ",\"key\":" + keyJson(record.key()) + ",\"value\":" + json + "}";
    }

    /** Keys are UTF-8 strings everywhere in lepistream; anything else is shown by length, like bytes values. */
    static String keyJson(byte[] key) {
        if (key == null) {
            return "null";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
            return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
        } catch (CharacterCodingException e) {
            return "{\"$bytes\":" + key.length + "}";
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> kafka, boolean readUncommitted) {
        Map<String, Object> props = new HashMap<>(Reachability.fastFailing(kafka));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The service writes in transactions: a batch aborted by a crash or a fencing is in the log but never happened.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readUncommitted ? "read_uncommitted" : "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "lepistream-consume");
        // Sightings carry photos inline; let one fetch hold a few of them.
        props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnreachableException) {
                return true;
            }
        }
        return false;
    }

    private static String registryMessage(Throwable e) {
        RegistryException registry = ProduceCommand.registryCause(e);
        return registry != null ? registry.getMessage() : CliFailure.describe(e);
    }
}
