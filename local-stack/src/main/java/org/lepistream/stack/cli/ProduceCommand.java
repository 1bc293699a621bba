package org.lepistream.stack.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.connect.ConnectionOptions;
import org.lepistream.schemas.serde.AvroSerializer;
import org.lepistream.schemas.serde.RegistryException;
import org.lepistream.schemas.serde.SerdeConfig;
import org.lepistream.stack.sighting.PhotoFolder;
import org.lepistream.stack.sighting.PhotoSightings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lepistream produce}: sends a folder's photos to the sightings topic, as an app would. */
@Command(name = "produce", description = {
            "Sends every image file directly inside DIR (not its sub-folders), in file-name order, as a Sighting with the "
                + "photo inline to the '" + Topics.SIGHTINGS + "' topic (key = sightingId).",
            "The image type is read from the file's first bytes; other files are reported and skipped.",
            "sightingId is a name-based UUID of observer + file name, so sending a folder again re-sends the same "
                + "sightings; observedAt is the file's modification time; metadata.fileName is the file name.",
            "A photo over --inline-limit (a Kafka record takes 1 MB by default) is sent by reference, as its file: URI,"
                + " and said so (--by-reference always|never changes that); the service fetches it only from folders"
                + " in lepistream.fetch.allow.",
            "Prints 'sent N, skipped M' at the end; exits with 1 if any record could not be delivered."})
final class ProduceCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    /** Room for the largest photo {@link PhotoFolder} accepts plus the record's other fields. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Folder of photos.")
    Path dir;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "Sightings per second (default: as fast as the broker takes them).")
    double rate;

    @Option(names = "--observer", paramLabel = "ID", defaultValue = "cli-observer",
            description = "observerId of every sighting (default: ${DEFAULT-VALUE}).")
    String observer;

    @Option(names = "--source", paramLabel = "NAME", defaultValue = "lepistream-produce",
            description = "source of every sighting (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Send at most N photos (default: all).")
    int limit;

    /** When a photo travels as a file: URI rather than inside the record. */
    enum ByReference { AUTO, ALWAYS, NEVER }

    @Option(names = "--by-reference", paramLabel = "WHEN", defaultValue = "auto",
            description = "auto (photos over --inline-limit), always, or never (skip those, saying why); default"
                    + " ${DEFAULT-VALUE}.")
    String byReference;

    @Option(names = "--inline-limit", paramLabel = "BYTES", defaultValue = "1000000",
            description = "Largest photo sent inside the record (default ${DEFAULT-VALUE}: the broker's default record"
                    + " limit is 1 MiB, and the record has other fields).")
    long inlineLimit;

    private ByReference referencing() {
        try {
            return ByReference.valueOf(byReference.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliFailure("--by-reference must be auto, always or never, got '" + byReference + "'");
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rate < 0 || Double.isNaN(rate)) {
            throw new CliFailure("--rate must be zero or positive, got " + rate);
        }
        if (limit < 0) {
            throw new CliFailure("--limit must be zero or positive, got " + limit);
        }
        if (inlineLimit < 1) {
            throw new CliFailure("--inline-limit must be positive, got " + inlineLimit);
        }
        ByReference when = referencing();
        PhotoFolder folder;
        PhotoSightings sightings;
        try {
            folder = PhotoFolder.of(dir);
            sightings = new PhotoSightings(observer, source);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage());
        }
        List<Path> entries = folder.entries();
        Map<String, Object> kafka = connection.kafkaProperties();
        Reachability.requireTopic(kafka, Topics.SIGHTINGS);
        Reachability.requireRegistry(connection.serdeConfig());
        err.println("Sending photos of " + dir + " to " + Topics.SIGHTINGS + " (" + connection.describe() + ")");
        err.flush();

        int sent = 0;
        int skipped = 0;
        AtomicInteger delivered = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<String, Sighting> producer = producer(kafka)) {
            for (Path file : entries) {
                if (firstFailure.get() != null || (limit > 0 && sent >= limit)) {
                    break;
                }
                PhotoFolder.Entry entry = PhotoFolder.read(file);
                if (!entry.isPhoto()) {
                    skipped++;
                    err.println("skipped " + file.getFileName() + ": " + entry.skipReason());
                    err.flush();
                    continue;
                }
                String name = file.getFileName().toString();
                boolean tooBig = entry.bytes().length > inlineLimit;
                if (tooBig && when == ByReference.NEVER) {
                    skipped++;
                    err.println("skipped " + name + ": " + megabytes(entry.bytes().length) + " is over the "
                            + megabytes(inlineLimit) + " a Kafka record takes (--inline-limit); send it by reference"
                            + " (--by-reference auto) or raise --inline-limit if your broker takes larger records");
                    err.flush();
                    continue;
                }
                boolean reference = when == ByReference.ALWAYS || tooBig;
                pace(start, sent);
                Sighting sighting = sightings.of(entry, reference);
                if (reference) {
                    err.println("sent " + name + " by reference (" + sighting.getImageUri() + ", "
                            + megabytes(entry.bytes().length) + (tooBig ? ", over the " + megabytes(inlineLimit)
                            + " inline limit" : "") + "): the service fetches it only if lepistream.fetch.allow lists"
                            + " its folder");
                    err.flush();
                }
                try {
                    producer.send(new ProducerRecord<>(Topics.SIGHTINGS, sighting.getSightingId(), sighting),
                            (metadata, failure) -> {
                                if (failure == null) {
                                    delivered.incrementAndGet();
                                } else {
                                    firstFailure.compareAndSet(null, name + ": " + CliFailure.describe(failure));
                                }
                            });
                } catch (KafkaException e) {
                    // Serialization (registry) or a closed producer: nothing after it would go through either.
                    RegistryException registry = registryCause(e);
                    throw new CliFailure("cannot send " + name + ": "
                            + (registry != null ? registry.getMessage() : CliFailure.describe(e)), e);
                }
                sent++;
            }
            producer.flush();
        }
        int failed = sent - delivered.get();
        out.println("sent " + delivered.get() + ", skipped " + skipped + (failed > 0 ? ", failed " + failed : ""));
        out.flush();
        if (firstFailure.get() != null) {
            err.println("error: delivery failed, stopped sending; first failure: " + firstFailure.get());
            err.flush();
            return 1;
        }
        return 0;
    }

    private KafkaProducer<String, Sighting> producer(Map<String, Object> kafka) {
        Map<String, Object> props = new HashMap<>(Reachability.fastFailing(kafka));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Reachability.TIMEOUT_MS);
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "lepistream-produce");
        Map<String, Object> serde = new HashMap<>(Reachability.fastFailingSerde(connection.serdeConfig()));
        serde.putIfAbsent(SerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        AvroSerializer<Sighting> values = new AvroSerializer<>();
        values.configure(serde, false);
        return new KafkaProducer<>(props, new StringSerializer(), values);
    }

    /** Sleeps so that the n-th sighting goes out no earlier than n / rate seconds after the start. */
    private void pace(long start, int alreadySent) {
        if (rate <= 0) {
            return;
        }
        long due = start + (long) (alreadySent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure("interrupted");
            }
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static RegistryException registryCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryException registry) {
                return registry;
            }
        }
        return null;
    }
}
