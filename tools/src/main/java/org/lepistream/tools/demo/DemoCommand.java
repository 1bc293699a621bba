package org.lepistream.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
import org.lepistream.trainer.TrainerConfig;
import org.lepistream.trainer.TrainerService;
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
 * {@code demo}: the whole product on one machine — local stack, a quickly trained model, the service, the review
 * console with a simulated reviewer beside any person, the trainer that learns from their labels and releases better
 * models, and a stream of sample sightings with a live summary of each model version's review rate and precision.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the local stack (or use the one already running), train a quick model on generated"
                + " butterflies unless one exists (or use --data / --model), run the identification service, the review"
                + " console and the trainer, and stream sample sightings through them, printing a live summary until"
                + " Ctrl-C. A simulated reviewer labels a share of the review requests from the photos' true labels, the"
                + " trainer retrains on the labels and releases a model when it passes its gate: the loop closes.",
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

    @Option(names = "--auto-review", paramLabel = "RATE", defaultValue = "0.8",
            description = "Share of the review requests a simulated reviewer ('auto') labels from the photos' true"
                    + " labels, through the console like a person, after they waited 10 s in the queue (0 = off, only"
                    + " people label; default ${DEFAULT-VALUE}).")
    double autoReview;

    @Option(names = "--retrain-labels", paramLabel = "N", defaultValue = "60",
            description = "The trainer retrains after this many new labels (default ${DEFAULT-VALUE}).")
    int retrainLabels;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8085",
            description = "Health/metrics port (default ${DEFAULT-VALUE}, or any free one if taken).")
    int httpPort;

    static final String MODEL_NAME = "lepistream-demo";

    private final AtomicReference<String> lastDecision = new AtomicReference<>("");
    private volatile Process training;
    private volatile Path trainingLog;
    private volatile String trainingStatus = "";
    private volatile ReviewConsoleProcess reviewConsole;
    private volatile TrainerService trainer;
    private final LiveLoop live = new LiveLoop();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive, got " + rate);
        }
        if (!(autoReview >= 0 && autoReview <= 1)) {
            throw new IllegalArgumentException("--auto-review must be in [0, 1], got " + autoReview);
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
        String run = UUID.randomUUID().toString().substring(0, 8);
        StackDescriptor ownDescriptor = written;

        Path dataDir = data != null ? data.toAbsolutePath() : dir.resolve("synthetic-loop");
        if (data == null && !Files.isRegularFile(dataDir.resolve("labels.csv"))) {
            say(out, started, "Generating synthetic butterflies in " + dataDir + " ...");
            // 27 photos per species to train on, 9 to validate on, and 54 that only the stream shows.
            run("generate-data", "--out", dataDir.toString(), "--families", "2", "--genera-per-family", "2",
                    "--species-per-genus", "2", "--images-per-species", "90", "--val-fraction", "0.1",
                    "--test-fraction", "0.6", "--size", "64", "--seed", "1");
        }
        boolean labelled = Files.isRegularFile(dataDir.resolve("labels.csv"));
        List<StreamPhoto> photos;
        if (labelled) {
            var dataset = StreamPhoto.load(dataDir);
            photos = StreamPhoto.heldOut(dataset);
            if (!StreamPhoto.hasHeldOut(dataset)) {
                say(out, started, "Note: " + dataDir + " has no split beside train and val, so the demo streams photos"
                        + " the model trained or was chosen on; its review rate will look better than on new photos");
            }
        } else {
            photos = StreamPhoto.all(dataDir);
        }
        Path truth = dir.resolve("truth.csv");
        Files.deleteIfExists(truth);
        boolean autoReviewing = labelled && autoReview > 0;

        // The service takes its model from model-releases, like in production: the demo publishes releases.
        Path trainedDir = model != null ? model.toAbsolutePath()
                : dir.resolve("models").resolve("demo-" + Integer.toHexString(dataDir.toString().hashCode()));
        if (Files.isRegularFile(trainedDir.resolve(ModelBundle.MANIFEST_FILE))) {
            say(out, started, "Using model " + trainedDir);
            publish(client, trainedDir, calibrate(out, started, trainedDir, dataDir, labelled));
            if (labelled) {
                startTrainer(out, started, dir, run, client, dataDir, trainedDir);
            }
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
            Thread swap = new Thread(() -> releaseWhenTrained(out, started, dir, run, trainedDir, dataDir, client),
                    "lepistream-demo-training");
            swap.setDaemon(true);
            swap.start();
        }

        Properties p = new Properties();
        client.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", "lepistream-demo-" + run);
        p.setProperty("lepistream.model.name", MODEL_NAME);
        p.setProperty("lepistream.model.store", dir.resolve("models").toString());
        p.setProperty("lepistream.state.dir", dir.resolve("state").toString());
        p.setProperty("lepistream.http.port", String.valueOf(FreePorts.isFree(httpPort) ? httpPort : 0));
        p.setProperty("lepistream.batch.max-size", "16");
        IdentificationService service = new IdentificationService(ServiceConfig.of(p));
        service.onDecision(id -> {
            lastDecision.set(describe(id));
            live.decided(id);
        });

        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            Process t = training;
            if (t != null) {
                t.destroy();
            }
            TrainerService tr = trainer;
            if (tr != null) {
                tr.close();
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
        Map<String, String> consoleExtra = autoReviewing ? Map.of("lepistream.auto-review.rate",
                Double.toString(autoReview), "lepistream.auto-review.truth", truth.toString()) : Map.of();
        Thread consoleStarter = new Thread(() -> startReviewConsole(out, started, dir, client, taxonomy, consoleExtra),
                "lepistream-demo-review-console");
        consoleStarter.setDaemon(true);
        consoleStarter.start();

        AtomicLong sent = new AtomicLong();
        Thread producer = new Thread(() -> produce(client, photos, truth, run, sent), "lepistream-demo-producer");
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
                            + (trainingStatus.isEmpty() ? "" : "\n           training: " + trainingStatus)
                            + live.versions("\n           ")
                            + (trainer == null ? "" : "\n           trainer: " + LiveLoop.trainer(trainer))));
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
            Path taxonomy, Map<String, String> extra) {
        try {
            reviewConsole = ReviewConsoleProcess.start(dir, client, taxonomy, extra);
            say(out, started, "Expert review console: " + reviewConsole.url + "  (sign in as " + reviewConsole.user
                    + ", password " + reviewConsole.password + ")" + (extra.isEmpty() ? ""
                    : "; a simulated reviewer 'auto' labels " + Math.round(100 * autoReview) + "% of the queue"));
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

    private void releaseWhenTrained(PrintWriter out, long started, Path dir, String run, Path trainedDir,
            Path dataDir, Map<String, Object> client) {
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
            startTrainer(out, started, dir, run, client, dataDir, trainedDir);
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

    /**
     * The trainer, in this process: it learns from the labels on expert-labels (people's and the simulated
     * reviewer's), retrains every {@code --retrain-labels} labels, and releases a candidate that passes its gate on the
     * data's val split. One training thread, so that the service keeps up beside it.
     */
    private void startTrainer(PrintWriter out, long started, Path dir, String run, Map<String, Object> client,
            Path dataDir, Path current) {
        Properties p = new Properties();
        client.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", "lepistream-demo-trainer-" + run);
        p.setProperty("lepistream.work.dir", dir.resolve("trainer-" + run).toString());
        p.setProperty("lepistream.model.name", MODEL_NAME);
        p.setProperty("lepistream.model.initial", current.toString());
        p.setProperty("lepistream.model.store", dir.resolve("models").toString());
        p.setProperty("lepistream.base.data", dataDir.toString());
        p.setProperty("lepistream.validation.data", dataDir.toString());
        p.setProperty("lepistream.retrain.labels", Integer.toString(retrainLabels));
        p.setProperty("lepistream.train.epochs", "6");
        p.setProperty("lepistream.train.threads", "1");
        p.setProperty("lepistream.http.port", "-1");
        try {
            Files.createDirectories(dir.resolve("trainer-" + run));
            PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("trainer.log")), true,
                    StandardCharsets.UTF_8);
            TrainerService t = new TrainerService(TrainerConfig.of(p), log);
            t.start();
            trainer = t;
            say(out, started, "Trainer running (log: " + dir.resolve("trainer.log") + "): it retrains every "
                    + retrainLabels + " new labels and releases what passes its gate");
        } catch (IOException | RuntimeException e) {
            say(out, started, "Trainer not started: " + e.getMessage());
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

    private void produce(Map<String, Object> client, List<StreamPhoto> photos, Path truthFile, String run,
            AtomicLong sent) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Serializer<Sighting> values = AvroSerdes.specific(Sighting.class, client).serializer();
        long periodNanos = (long) (1e9 / rate);
        long next = System.nanoTime();
        try (KafkaProducer<String, Sighting> producer = new KafkaProducer<>(props, new StringSerializer(), values);
                TruthWriter truth = new TruthWriter(truthFile)) {
            for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
                StreamPhoto sample = photos.get((int) (i % photos.size()));
                Path photo = sample.image();
                byte[] bytes = Files.readAllBytes(photo);
                if (badEvery > 0 && i % badEvery == badEvery - 1) {
                    bytes = Arrays.copyOf(bytes, bytes.length / 2); // a photo cut short in upload
                }
                String id = "demo-" + run + "-" + i;
                if (sample.lineage() != null) {
                    truth.answer(id, sample.rank(), sample.taxon()); // before the sighting: the reviewer may be quick
                    live.truth(id, sample.lineage());
                }
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
