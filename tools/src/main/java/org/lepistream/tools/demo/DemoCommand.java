package org.lepistream.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.connect.StackDescriptor;
import org.lepistream.schemas.serde.AvroSerdes;
import org.lepistream.stack.FreePorts;
import org.lepistream.stack.LocalStack;
import org.lepistream.streams.IdentificationService;
import org.lepistream.streams.ServiceConfig;
import org.lepistream.trainer.release.PolicyRecords;
import org.lepistream.streams.cli.CalibrateCommand;
import org.lepistream.streams.models.PlaceholderBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.cli.VisionCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole product on one machine — local stack, a quickly trained model, the service, and a stream
 * of sample sightings with a live summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the local stack (or use the one already running), train a quick model on generated"
                + " butterflies unless one exists (or use --data / --model), run the identification service and stream"
                + " sample sightings through it, printing a live summary until Ctrl-C.",
            "While it runs, produce, consume and the other commands reach its stack without connection options."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", paramLabel = "DIR",
            description = "Demo folder for the stack, data and model (default: ${LEPISTREAM_HOME:-~/.lepistream}/demo).")
    Path home;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Labelled dataset (labels.csv + images/, e.g. the Leeds butterflies): trained on when no"
                    + " --model is given, and its photos are the sample sightings.")
    Path data;

    @Option(names = "--model", paramLabel = "DIR", description = "Model bundle to serve (skips training).")
    Path model;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "10",
            description = "Sample sightings per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after this long (default ${DEFAULT-VALUE} = until Ctrl-C).")
    long duration;

    @Option(names = "--bad-every", paramLabel = "N", defaultValue = "25",
            description = "Every Nth sighting is a damaged photo, to show dead-lettering (0 = never; default"
                    + " ${DEFAULT-VALUE}).")
    int badEvery;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8085",
            description = "Health/metrics port (default ${DEFAULT-VALUE}, or any free one if taken).")
    int httpPort;

    static final String MODEL_NAME = "lepistream-demo";

    private final AtomicReference<String> lastDecision = new AtomicReference<>("");
    private volatile Process training;
    private volatile Path trainingLog;
    private volatile String trainingStatus = "";
    private volatile ReviewConsoleProcess reviewConsole;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive, got " + rate);
        }
        Path descriptorFile = StackDescriptor.defaultLocation();
        Path dir = (home != null ? home : descriptorFile.getParent().resolve("demo")).toAbsolutePath();
        Files.createDirectories(dir);
        long started = System.nanoTime();

        Map<String, Object> client;
        LocalStack stack = null;
        StackDescriptor written = null;
        StackDescriptor running = reachable(descriptorFile);
        if (running != null) {
            say(out, started, "Using the local stack already running at " + running.bootstrapServers());
            client = Map.of("bootstrap.servers", running.bootstrapServers(),
                    "schema.registry.url", running.schemaRegistryUrl());
        } else {
            say(out, started, "Starting the local stack (Kafka + schema registry) in " + dir.resolve("stack") + " ...");
            stack = LocalStack.builder().dataDir(dir.resolve("stack")).fresh(true)
                    .kafkaPort(FreePorts.preferred(9092)).registryPort(FreePorts.preferred(8081)).start();
            written = stack.descriptor();
            written.write(descriptorFile);
            client = stack.clientConfig();
            say(out, started, "Stack up: bootstrap.servers=" + stack.bootstrapServers() + " schema.registry.url="
                    + stack.registryUrl());
        }
        LocalStack ownStack = stack;
        StackDescriptor ownDescriptor = written;

        Path dataDir = data != null ? data.toAbsolutePath() : dir.resolve("synthetic");
        if (data == null && !Files.isRegularFile(dataDir.resolve("labels.csv"))) {
            say(out, started, "Generating synthetic butterflies in " + dataDir + " ...");
            run("generate-data", "--out", dataDir.toString(), "--families", "2", "--genera-per-family", "2",
                    "--species-per-genus", "2", "--images-per-species", "30", "--size", "64", "--seed", "1");
        }
        List<Path> photos = photos(dataDir);
        boolean labelled = Files.isRegularFile(dataDir.resolve("labels.csv"));

        // The service takes its model from model-releases, like in production: the demo publishes releases.
        Path trainedDir = model != null ? model.toAbsolutePath()
                : dir.resolve("models").resolve("demo-" + Integer.toHexString(dataDir.toString().hashCode()));
        if (Files.isRegularFile(trainedDir.resolve(ModelBundle.MANIFEST_FILE))) {
            say(out, started, "Using model " + trainedDir);
            publish(client, trainedDir, calibrate(out, started, trainedDir, dataDir, labelled));
        } else if (model != null) {
            throw new IllegalArgumentException("--model " + model + " is not a model bundle (no bundle.json)");
        } else if (!labelled) {
            throw new IllegalArgumentException("--data " + dataDir + " has no labels.csv to train on; give --model");
        } else {
            // Training takes minutes on a laptop CPU: serve an untrained placeholder now, swap in the real model
            // through a release when it is ready (the live summary shows the version change).
            Path placeholder = dir.resolve("models").resolve("untrained-" + UUID.randomUUID().toString().substring(0, 8));
            var taxonomy = Dataset.load(dataDir, DatasetOptions.defaults()
                    .withVerification(DatasetOptions.Verification.HEADER)).taxonomy();
            PlaceholderBundle.write(placeholder, MODEL_NAME, taxonomy);
            publish(client, placeholder, Map.of());
            say(out, started, "Serving an UNTRAINED placeholder model while a quick model trains in the background"
                    + " (log: " + dir.resolve("train.log") + ")");
            training = startTraining(dir, dataDir, trainedDir);
            Thread swap = new Thread(() -> releaseWhenTrained(out, started, trainedDir, dataDir, client),
                    "lepistream-demo-training");
            swap.setDaemon(true);
            swap.start();
        }

        Properties p = new Properties();
        client.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", "lepistream-demo-" + UUID.randomUUID().toString().substring(0, 8));
        p.setProperty("lepistream.model.name", MODEL_NAME);
        p.setProperty("lepistream.model.store", dir.resolve("models").toString());
        p.setProperty("lepistream.state.dir", dir.resolve("state").toString());
        p.setProperty("lepistream.http.port", String.valueOf(FreePorts.isFree(httpPort) ? httpPort : 0));
        p.setProperty("lepistream.batch.max-size", "16");
        IdentificationService service = new IdentificationService(ServiceConfig.of(p));
        service.onDecision(id -> lastDecision.set(describe(id)));

        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            Process t = training;
            if (t != null) {
                t.destroy();
            }
            ReviewConsoleProcess console = reviewConsole;
            if (console != null) {
                console.stop();
            }
            service.close();
            if (ownStack != null) {
                removeIfOurs(descriptorFile, ownDescriptor);
                ownStack.close();
            }
            finished.countDown();
        }, "lepistream-demo-stop");
        Runtime.getRuntime().addShutdownHook(stopper);

        say(out, started, "Starting the identification service ...");
        service.start();
        if (!service.awaitRunning(Duration.ofSeconds(120))) {
            throw new IllegalStateException("the service did not start: " + service.status());
        }
        say(out, started, "Service running; health and metrics at http://127.0.0.1:" + service.healthPort()
                + "/metrics. Streaming " + photos.size() + " sample photos at " + rate + "/s (Ctrl-C to stop).");
        say(out, started, "Try: ./lepistream consume --topic identifications   |   ./lepistream consume --topic"
                + " expert-review   |   ./lepistream consume --topic sightings-dlq");

        Path taxonomy = labelled ? dataDir : trainedDir;
        Thread consoleStarter = new Thread(() -> startReviewConsole(out, started, dir, client, taxonomy),
                "lepistream-demo-review-console");
        consoleStarter.setDaemon(true);
        consoleStarter.start();

        AtomicLong sent = new AtomicLong();
        Thread producer = new Thread(() -> produce(client, photos, sent), "lepistream-demo-producer");
        producer.setDaemon(true);
        producer.start();

        long deadline = duration > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(duration) : Long.MAX_VALUE;
        while (System.nanoTime() < deadline && finished.getCount() > 0) {
            if (finished.await(2, TimeUnit.SECONDS)) {
                break;
            }
            var m = service.metrics();
            say(out, started, String.format(Locale.ROOT,
                    "sent %d | %.1f sightings/s | identified %d | review %d | dead-lettered %d | model %s%s", sent.get(),
                    m.throughput.perSecond(), m.outputs.get("identified"), m.outputs.get("review"),
                    m.outputs.get("dead_letter"), m.modelVersion(),
                    (lastDecision.get().isEmpty() ? "" : "\n           last: " + lastDecision.get())
                            + (trainingStatus.isEmpty() ? "" : "\n           training: " + trainingStatus)));
        }
        producer.interrupt();
        if (finished.getCount() > 0) {
            Runtime.getRuntime().removeShutdownHook(stopper);
            stopper.run();
        }
        say(out, started, "Demo stopped: " + service.status());
        return 0;
    }

    /** The expert review console as a child process, with a fresh demo reviewer. */
    private void startReviewConsole(PrintWriter out, long started, Path dir, Map<String, Object> client,
            Path taxonomy) {
        try {
            reviewConsole = ReviewConsoleProcess.start(dir, client, taxonomy);
            say(out, started, "Expert review console: " + reviewConsole.url + "  (sign in as " + reviewConsole.user
                    + ", password " + reviewConsole.password + ")");
        } catch (IOException e) {
            say(out, started, "Review console not started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process startTraining(Path dir, Path dataDir, Path out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A separate process: its progress goes to a log file instead of garbling the live summary, and it has its
        // own heap and native memory.
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx2g", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), VisionCli.class.getName(),
                "train", "--data", dataDir.toString(), "--out", out.toString(), "--preset", "quick",
                "--variant", "cbam-guided", "--seed", "1", "--epochs", "8", "--segmenter-epochs", "5");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("train.log").toFile());
        // Two PyTorch processes on few cores: busy-waiting OpenMP threads would starve each other.
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        trainingStatus = "starting";
        trainingLog = dir.resolve("train.log");
        return pb.start();
    }

    private void releaseWhenTrained(PrintWriter out, long started, Path trainedDir, Path dataDir,
            Map<String, Object> client) {
        try {
            Process p = training;
            while (p.isAlive()) {
                trainingStatus = lastLine(trainingLog);
                p.waitFor(2, TimeUnit.SECONDS);
            }
            if (p.exitValue() != 0) {
                trainingStatus = "FAILED (exit " + p.exitValue() + ", see " + trainingLog + ")";
                return;
            }
            trainingStatus = "done; calibrating";
            publish(client, trainedDir, calibrate(out, started, trainedDir, dataDir, true));
            trainingStatus = "";
            say(out, started, "Trained model released; the service swaps it in between two batches");
        } catch (Exception e) {
            trainingStatus = "FAILED: " + e.getMessage();
        }
    }

    private Map<String, Double> calibrate(PrintWriter out, long started, Path modelDir, Path dataDir,
            boolean labelled) {
        if (!labelled) {
            return Map.of();
        }
        try {
            var result = CalibrateCommand.run(modelDir, dataDir, "val", 0.95);
            say(out, started, String.format(Locale.ROOT, "Calibrated on %d val photos (species top-1 %.2f): overlap"
                    + " routing accepts %.0f%% at 95%% precision, confidence alone %.0f%%", result.n(),
                    (double) result.correct() / result.n(), 100 * result.coverage(),
                    100 * result.confidenceOnlyCoverage()));
            return result.releaseThresholds();
        } catch (IOException | RuntimeException e) {
            say(out, started, "Calibration skipped (" + e.getMessage() + "); using the bundle's thresholds");
            return Map.of();
        }
    }

    /** Announces a bundle on model-releases; the service loads, validates, warms and swaps it in. */
    private static void publish(Map<String, Object> client, Path bundleDir, Map<String, Double> thresholds)
            throws IOException {
        String version = new ObjectMapper().readTree(bundleDir.resolve(ModelBundle.MANIFEST_FILE).toFile())
                .get("version").asText();
        ModelRelease release = ModelRelease.newBuilder().setModelName(MODEL_NAME).setVersion(version)
                .setBundleUri(bundleDir.toUri().toString()).setThresholds(thresholds).setPolicy(PolicyRecords.of(thresholds)).setCreatedAt(Instant.now())
                .build();
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, ModelRelease> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerdes.specific(ModelRelease.class, client).serializer())) {
            producer.send(new ProducerRecord<>(Topics.MODEL_RELEASES, MODEL_NAME, release)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("cannot publish the model release: " + e.getMessage(), e);
        }
    }

    private static String lastLine(Path log) {
        try {
            String text = Files.readString(log);
            String[] lines = text.split("[\\r\\n]+");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!lines[i].isBlank()) {
                    String line = lines[i].trim();
                    return line.length() > 140 ? line.substring(0, 140) + "…" : line;
                }
            }
        } catch (IOException e) {
            // not written yet
        }
        return "starting";
    }

    private void produce(Map<String, Object> client, List<Path> photos, AtomicLong sent) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Serializer<Sighting> values = AvroSerdes.specific(Sighting.class, client).serializer();
        String run = UUID.randomUUID().toString().substring(0, 8);
        long periodNanos = (long) (1e9 / rate);
        long next = System.nanoTime();
        try (KafkaProducer<String, Sighting> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
            for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
                Path photo = photos.get((int) (i % photos.size()));
                byte[] bytes = Files.readAllBytes(photo);
                if (badEvery > 0 && i % badEvery == badEvery - 1) {
                    bytes = Arrays.copyOf(bytes, bytes.length / 2); // a photo cut short in upload
                }
                String id = "demo-" + run + "-" + i;
                Sighting s = Sighting.newBuilder().setSightingId(id).setObserverId("demo-observer-" + (i % 7))
                        .setObservedAt(Instant.now()).setImage(ByteBuffer.wrap(bytes))
                        .setContentType(photo.toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png"
                                : "image/jpeg")
                        .setSource("demo").setMetadata(Map.of("file", photo.getFileName().toString())).build();
                producer.send(new ProducerRecord<>(Topics.SIGHTINGS, id, s));
                sent.incrementAndGet();
                next += periodNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("demo producer stopped: " + e);
        }
    }

    private static List<Path> photos(Path dataDir) throws IOException {
        Path images = Files.isDirectory(dataDir.resolve("images")) ? dataDir.resolve("images") : dataDir;
        try (Stream<Path> files = Files.list(images)) {
            List<Path> list = files.filter(f -> f.toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)$"))
                    .sorted().toList();
            if (list.isEmpty()) {
                throw new IllegalArgumentException("no JPEG or PNG photos in " + images);
            }
            return list;
        }
    }

    /** The running stack named by the descriptor, if it answers within a few seconds. */
    private static StackDescriptor reachable(Path descriptorFile) throws IOException {
        var descriptor = StackDescriptor.readIfPresent(descriptorFile);
        if (descriptor.isEmpty()) {
            return null;
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", descriptor.get().bootstrapServers(),
                "request.timeout.ms", 3000, "default.api.timeout.ms", 3000))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).clusterId().get(4, TimeUnit.SECONDS);
            return descriptor.get();
        } catch (Exception e) {
            return null; // a stale descriptor left by a stack that was killed
        }
    }

    private static void removeIfOurs(Path file, StackDescriptor ours) {
        try {
            var current = StackDescriptor.readIfPresent(file);
            if (current.isPresent() && current.get().bootstrapServers().equals(ours.bootstrapServers())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Best effort: a stale descriptor is detected as unreachable next time.
        }
    }

    private static void run(String... args) {
        int code = VisionCli.execute(args);
        if (code != 0) {
            throw new IllegalStateException("'" + String.join(" ", args) + "' failed with exit code " + code);
        }
    }

    private static String describe(Identification id) {
        return String.format(Locale.ROOT, "%s -> %s %s (p=%.2f, overlap=%.2f) %s%s", id.getSightingId(),
                id.getDecidedRank(), id.getDecidedTaxon(), id.getConfidence(), id.getOverlap(), id.getRoute(),
                id.getReasons().isEmpty() ? "" : " " + id.getReasons());
    }

    private static void say(PrintWriter out, long started, String line) {
        out.printf(Locale.ROOT, "[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
        out.flush();
    }
}
