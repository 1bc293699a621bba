package org.lepistream.tools.loop;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lepistream.streams.ServiceConfig;
import org.lepistream.trainer.loop.LoopTopics;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.Verdict;
import org.lepistream.schemas.serde.AvroSerdes;
import org.lepistream.trainer.TrainerConfig;
import org.lepistream.trainer.TrainerService;
import org.lepistream.trainer.release.ModelScore;
import org.lepistream.trainer.release.Retrainer;
import org.lepistream.trainer.release.Scorer;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.Sample;
import org.lepistream.decision.routing.Calibration;
import org.lepistream.decision.taxonomy.Taxonomy;
import org.lepistream.vision.training.LossKind;
import org.lepistream.vision.training.Preset;
import org.lepistream.vision.training.StratifiedSubset;
import org.lepistream.vision.training.TrainConfig;
import org.lepistream.vision.training.TrainingRun;
import org.lepistream.vision.training.Variant;

/**
 * The closed loop on a labelled photo set, through the real service and the real trainer on a Kafka stack: a model
 * trained on a fraction of {@code train} serves the rest of {@code train} in rounds; an oracle expert (the true
 * labels) answers review requests and audits accepted identifications under a fixed label budget; the trainer ingests
 * the labels from {@code expert-labels}, retrains, gates and releases, and the service hot-swaps. Run once per
 * sampling arm (adaptive, uniform) from the same initial model, so the arms differ only in how training draws photos.
 */
public final class LoopSimulation {

    /** Knobs of one simulation. */
    public record Settings(Path data, Path out, double seedFraction, int rounds, double labelBudget, int inputSize,
            int initialEpochs, int roundEpochs, int segmenterEpochs, double calibrationTarget, int threads, long seed,
            List<TrainerConfig.Sampling> arms, List<Long> trainSeeds, Path launcher, LongTail longTail,
            boolean gate, Path segmenterFrom, Map<String, String> trainerProperties) {
        public Settings {
            trainerProperties = trainerProperties == null ? Map.of() : Map.copyOf(trainerProperties);
        }
    }

    /** One row of the results table. */
    public record Row(String arm, int round, String model, boolean released, String note, int streamed,
            double streamReviewRate, double streamAcceptedPrecision, int labels, int labelsFromReview,
            int labelsFromAudit, ModelScore val, ModelScore candidate, TailScore evaluation, double seconds) {
    }

    private final Settings s;
    private final Map<String, Object> clients;
    private final PrintStream log;
    private final List<Row> rows = new ArrayList<>();
    /** What the trainer gates on: the data's val, or with a long tail only the gate's half of it. */
    private Path validation;
    /** Long tail only: the evaluation half of val and the rare species. */
    private Scorer evaluation;
    private List<Integer> rare = List.of();

    public LoopSimulation(Settings settings, Map<String, Object> clientConfig, PrintStream log) {
        this.s = settings;
        this.clients = Map.copyOf(clientConfig);
        this.log = log;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public void run() throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(s.out());
        Dataset leeds = Dataset.load(s.data());
        Taxonomy taxonomy = leeds.taxonomy();
        List<Sample> train = leeds.split("train");
        List<Sample> val = leeds.split("val");
        List<Sample> seedSet;
        List<Sample> stream;
        validation = s.data();
        if (s.longTail() == null) {
            seedSet = StratifiedSubset.of(train, Sample::leaf, s.seedFraction(), s.seed());
            List<String> seedIds = seedSet.stream().map(Sample::id).toList();
            stream = new ArrayList<>(train.stream().filter(x -> !seedIds.contains(x.id())).toList());
            Collections.shuffle(stream, new Random(s.seed()));
            log.printf(Locale.ROOT, "loop: %d train photos: %d seed (%.0f%%), %d streamed in %d rounds; %d val%n",
                    train.size(), seedSet.size(), 100 * s.seedFraction(), stream.size(), s.rounds(), val.size());
        } else {
            LongTail.Plan plan = s.longTail().plan(train, val, s.seed());
            seedSet = plan.seed();
            stream = plan.stream();
            val = plan.gateVal();
            evaluation = new Scorer(plan.evaluation());
            rare = plan.rare();
            // The gate and calibration see only their half of val; the other half is scored, never chosen on.
            validation = s.out().resolve("validation");
            writeLabels(validation, val, taxonomy);
            log.printf(Locale.ROOT, "loop: long tail from %d train photos: %d seed (%d per species), %d streamed in %d"
                    + " rounds (per species, most to least frequent: %s); rare species %s; %d val for the gate, %d"
                    + " for evaluation%n", train.size(), seedSet.size(), s.longTail().seedPerSpecies(), stream.size(),
                    s.rounds(), plan.streamCounts().values(), rare.stream().map(k -> taxonomy.name(taxonomy.depth() - 1,
                            k)).toList(), val.size(), plan.evaluation().size());
        }

        Path seedDir = s.out().resolve("seed");
        writeLabels(seedDir, seedSet, taxonomy);
        Path initial = initialModel(seedDir, s.out().resolve("initial-model"));
        Path calibrated = s.out().resolve("initial-calibrated");
        Scorer scorer = new Scorer(val);
        ModelScore initialScore;
        try (ModelBundle b = ModelBundle.load(initial)) {
            List<Calibration.Observation> obs = scorer.observe(b);
            Map<String, Double> thresholds = Calibration.calibrate(obs, taxonomy, s.calibrationTarget())
                    .releaseThresholds();
            initialScore = Scorer.score(obs, taxonomy, thresholds);
            if (!Files.exists(calibrated)) {
                ModelBundle.of(b.manifest().withThresholds(thresholds), taxonomy, b.classifier(),
                        b.segmenter().orElse(null)).save(calibrated);
            }
        }
        TailScore initialTail = evaluate(calibrated);
        log.printf("loop: initial model %s: %s (%s)%s%n", initial.getFileName(), initialScore, since(t0),
                initialTail == null ? "" : "; evaluation " + initialTail);

        for (long trainSeed : s.trainSeeds()) {
            for (TrainerConfig.Sampling arm : s.arms()) {
                String name = arm.name().toLowerCase(Locale.ROOT) + "-s" + trainSeed;
                rows.add(new Row(name, 0, "initial", false, "", 0, Double.NaN, Double.NaN, 0, 0, 0, initialScore,
                        null, initialTail, 0));
                runArm(arm, name, trainSeed, calibrated, seedDir, stream, taxonomy, val);
                writeResults();
            }
        }
        log.printf("loop: done in %s; results in %s%n", since(t0), s.out().resolve("results.md"));
    }

    private Path initialModel(Path seedDir, Path out) throws IOException {
        if (Files.exists(out.resolve(ModelBundle.MANIFEST_FILE))) {
            log.println("loop: reusing the initial model in " + out);
            return out;
        }
        TrainConfig tc = TrainConfig.builder(Preset.QUICK).variant(Variant.CBAM).loss(LossKind.WCE)
                .epochs(s.initialEpochs()).batchSize(16).learningRate(0.05).patience(s.initialEpochs() + 1)
                .seed(s.seed()).threads(s.threads()).inputSize(s.inputSize()).segmenterFraction(1.0)
                .segmenterEpochs(s.segmenterEpochs()).segmenterFrom(s.segmenterFrom()).build();
        new TrainingRun(tc, log).run(seedDir, out);
        return out;
    }

    private void runArm(TrainerConfig.Sampling arm, String name, long trainSeed, Path initial, Path seedDir,
            List<Sample> stream, Taxonomy taxonomy, List<Sample> val) throws Exception {
        Path dir = s.out().resolve(name);
        Files.createDirectories(dir);
        LoopTopics topics = new LoopTopics("loop-" + name + "-" + Long.toHexString(System.nanoTime()) + "-");
        String sampling = arm.name().toLowerCase(Locale.ROOT);
        topics.create(clients);
        String model = "loop-" + name;
        Process service = startService(dir, topics, model, initial);
        Properties tp = new Properties();
        clients.forEach((k, v) -> tp.setProperty(k, v.toString()));
        tp.setProperty("lepistream.application.id", "loop-trainer-" + topics.name(""));
        tp.setProperty("lepistream.work.dir", dir.resolve("trainer").toString());
        tp.setProperty("lepistream.model.name", model);
        tp.setProperty("lepistream.model.initial", initial.toString());
        tp.setProperty("lepistream.model.store", dir.resolve("models").toString());
        tp.setProperty("lepistream.base.data", seedDir.toString());
        tp.setProperty("lepistream.validation.data", validation.toString());
        tp.setProperty("lepistream.sampling", sampling);
        tp.setProperty("lepistream.train.epochs", Integer.toString(s.roundEpochs()));
        tp.setProperty("lepistream.train.threads", Integer.toString(s.threads()));
        tp.setProperty("lepistream.train.seed", Long.toString(trainSeed));
        tp.setProperty("lepistream.calibration.target", Double.toString(s.calibrationTarget()));
        tp.setProperty("lepistream.http.port", "-1");
        if (!s.gate()) {
            // Every candidate is released, so what each round serves is what its sampling trained.
            tp.setProperty("lepistream.gate.tolerance.top1", "1");
            tp.setProperty("lepistream.gate.tolerance.severity", "1000");
            tp.setProperty("lepistream.gate.tolerance.precision", "1");
            tp.setProperty("lepistream.gate.live.min-audits", "0");
        }
        s.trainerProperties().forEach((k, v) -> tp.setProperty(TrainerConfig.PREFIX + k, v));
        topics.overrides(TrainerConfig.KEYS).forEach(tp::setProperty);
        Map<String, Sample> truth = new HashMap<>();
        stream.forEach(x -> truth.put(x.id(), x));
        // The same oracle picks for every arm and training seed, given the same service outputs.
        Random oracleRng = new Random(s.seed() * 31 + 7);
        int perRound = (stream.size() + s.rounds() - 1) / s.rounds();
        int labelled = 0;
        try (TrainerService trainer = new TrainerService(TrainerConfig.of(tp), log).withAutoRetrain(false);
                Io io = new Io(clients, topics)) {
            trainer.start();
            String serving = trainer.retrainer().currentVersion();
            String initialVersion = serving;
            for (int r = 1; r <= s.rounds(); r++) {
                long started = System.nanoTime();
                List<Sample> batch = stream.subList((r - 1) * perRound, Math.min(stream.size(), r * perRound));
                for (Sample x : batch) {
                    io.sighting(x.id(), Files.readAllBytes(x.image()));
                }
                io.flush();
                Map<String, Identification> out = io.awaitOutputs(batch.stream().map(Sample::id).toList(),
                        Duration.ofMinutes(15));
                List<String> reviews = new ArrayList<>();
                List<String> accepted = new ArrayList<>();
                int acceptedRight = 0;
                int leaf = taxonomy.depth() - 1;
                for (Sample x : batch) {
                    Identification id = out.get(x.id());
                    if (id.getRoute() == Route.IDENTIFIED) {
                        accepted.add(x.id());
                        acceptedRight += id.getDecidedTaxon().equals(taxonomy.name(leaf, x.leaf())) ? 1 : 0;
                    } else {
                        reviews.add(x.id());
                    }
                }
                int budget = (int) Math.round(s.labelBudget() * batch.size());
                Oracle.Choice choice = Oracle.choose(reviews, accepted, budget, oracleRng);
                List<String> chosen = new ArrayList<>(choice.reviewed());
                chosen.addAll(choice.audited());
                for (String id : chosen) {
                    Sample x = truth.get(id);
                    Identification ident = out.get(id);
                    String species = taxonomy.name(leaf, x.leaf());
                    String top = ident.getPredictions().get(ident.getPredictions().size() - 1).getCandidates().get(0)
                            .getTaxon();
                    io.label(ExpertLabel.newBuilder().setSightingId(id).setReviewerId("oracle")
                            .setVerdict(top.equals(species) ? Verdict.CONFIRMED : Verdict.CORRECTED)
                            .setTaxon(species).setRank(taxonomy.ranks().get(leaf)).setLabelledAt(Instant.now())
                            .setModelVersion(ident.getModelVersion()).build());
                }
                io.flush();
                labelled += chosen.size();
                awaitStored(trainer, labelled, Duration.ofMinutes(5));
                log.printf(Locale.ROOT, "loop[%s] round %d: %d streamed, %d reviews, %d accepted (%d right); %d labels"
                        + " (%d review, %d audit) stored%n", name, r, batch.size(), reviews.size(), accepted.size(),
                        acceptedRight, chosen.size(), choice.reviewed().size(), choice.audited().size());
                Retrainer.Round round = trainer.retrainer().runRound();
                String note = round.released() ? "" : round.refusal();
                if (round.released()) {
                    boolean swapped = io.awaitModel(round.candidateVersion(), val.get(0), Duration.ofMinutes(3));
                    note = swapped ? "service switched to the release" : "service did NOT switch within 3 min";
                    serving = round.candidateVersion();
                }
                ModelScore now = trainer.retrainer().currentScore();
                TailScore tail = evaluate(serving.equals(initialVersion) ? initial
                        : dir.resolve("models").resolve(serving));
                rows.add(new Row(name, r, serving, round.released(), note, batch.size(),
                        (double) reviews.size() / batch.size(),
                        accepted.isEmpty() ? Double.NaN : (double) acceptedRight / accepted.size(), labelled,
                        choice.reviewed().size(), choice.audited().size(), now, round.candidate(), tail,
                        (System.nanoTime() - started) / 1e9));
                log.printf("loop[%s] round %d: %s; val %s%s%n", name, r, round.released() ? "released "
                        + round.candidateVersion() : "rejected: " + round.refusal(), now,
                        tail == null ? "" : "; evaluation " + tail);
                writeResults();
            }
        } finally {
            service.destroy();
            if (!service.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    /** The served model on the evaluation half (long tail only, else null). */
    private TailScore evaluate(Path bundle) throws IOException {
        if (evaluation == null) {
            return null;
        }
        try (ModelBundle b = ModelBundle.load(bundle)) {
            return TailScore.of(evaluation.observe(b), rare);
        }
    }

    private static void awaitStored(TrainerService trainer, int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (trainer.store().size() + trainer.store().rejections().size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the trainer stored " + trainer.store().size() + " of " + expected
                        + " labels within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    private Process startService(Path dir, LoopTopics topics, String model, Path initial) throws IOException {
        Properties p = new Properties();
        clients.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", "loop-service-" + topics.name(""));
        p.setProperty("lepistream.model.name", model);
        p.setProperty("lepistream.model.dir", initial.toString());
        p.setProperty("lepistream.model.store", dir.resolve("models").toString());
        p.setProperty("lepistream.http.port", "-1");
        p.setProperty("lepistream.batch.max-size", "16");
        p.setProperty("lepistream.state.dir", dir.resolve("service-state").toString());
        Map<String, String> overrides = topics.overrides(ServiceConfig.KEYS);
        overrides.forEach(p::setProperty);
        Path config = dir.resolve("app.properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            p.store(w, "loop simulation service");
        }
        ProcessBuilder pb = new ProcessBuilder(s.launcher().toString(), "serve", "--config", config.toString());
        pb.environment().put("LEPISTREAM_JAVA_OPTS", "-Xmx1g -Dai.djl.pytorch.num_threads=" + s.threads()
                + " -Dai.djl.pytorch.num_interop_threads=1");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile());
        log.println("loop: service started (log " + dir.resolve("service.log") + ")");
        return pb.start();
    }

    /** labels.csv with absolute paths: the photos stay where they are. */
    static void writeLabels(Path dir, List<Sample> samples, Taxonomy taxonomy) throws IOException {
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder("id,image,mask,").append(String.join(",", taxonomy.ranks()))
                .append(",split\n");
        for (Sample x : samples) {
            sb.append(x.id()).append(',').append(x.image().toAbsolutePath()).append(',')
                    .append(x.mask() == null ? "" : x.mask().toAbsolutePath().toString());
            int[] labels = x.labels();
            for (int r = 0; r < labels.length; r++) {
                sb.append(',').append(labels[r] < 0 ? "" : taxonomy.name(r, labels[r]));
            }
            sb.append(',').append(x.split()).append('\n');
        }
        Files.writeString(dir.resolve(Dataset.LABELS_FILE), sb.toString(), StandardCharsets.UTF_8);
    }

    /** results.md (a summary, then a table per run) and results.csv in the output folder. */
    public void writeResults() throws IOException {
        StringBuilder md = new StringBuilder(summary());
        StringBuilder csv = new StringBuilder("run,round,model,released,streamed,stream_review_rate,"
                + "stream_accepted_precision,labels,labels_review,labels_audit,val_top1,val_severity,"
                + "val_accepted_precision,val_review_rate,candidate_top1,candidate_severity,candidate_accepted_precision,"
                + "candidate_review_rate,eval_top1,eval_macro_recall,eval_rare_recall,seconds,note\n");
        String arm = null;
        for (Row r : rows) {
            if (!r.arm().equals(arm)) {
                arm = r.arm();
                md.append("\n**").append(arm).append("**\n\n| round | labels (review + audit) | released | "
                        + "streamed: review rate | streamed: accepted precision | val species top-1 | "
                        + "val mistake severity | val accepted precision | val review rate | candidate top-1 / severity "
                        + "| note |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            }
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %.3f | %.3f | %s | %.3f | %s | %s |%n",
                    r.round(), r.round() == 0 ? "0" : r.labels() + " (" + r.labelsFromReview() + " + "
                            + r.labelsFromAudit() + ")",
                    r.round() == 0 ? "initial" : r.released() ? "yes" : "no", pct(r.streamReviewRate()),
                    pct(r.streamAcceptedPrecision()), r.val().speciesTop1(), r.val().mistakeSeverity(),
                    pct(r.val().acceptedPrecision()), r.val().reviewRate(), r.candidate() == null ? "" : String.format(
                            Locale.ROOT, "%.3f / %.3f", r.candidate().speciesTop1(), r.candidate().mistakeSeverity()),
                    r.note()));
            ModelScore c = r.candidate();
            csv.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%.4f,%.4f,%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,"
                    + "%.4f,%.4f,%.4f,%.4f,%.4f,%.1f,\"%s\"%n", r.arm(), r.round(), r.model(), r.released(), r.streamed(),
                    r.streamReviewRate(), r.streamAcceptedPrecision(), r.labels(), r.labelsFromReview(),
                    r.labelsFromAudit(), r.val().speciesTop1(), r.val().mistakeSeverity(), r.val().acceptedPrecision(),
                    r.val().reviewRate(), c == null ? Double.NaN : c.speciesTop1(),
                    c == null ? Double.NaN : c.mistakeSeverity(), c == null ? Double.NaN : c.acceptedPrecision(),
                    c == null ? Double.NaN : c.reviewRate(), tail(r, TailScore::speciesTop1),
                    tail(r, TailScore::macroRecall), tail(r, TailScore::rareRecall), r.seconds(), r.note().replace("\"", "'")));
        }
        Files.writeString(s.out().resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
        Files.writeString(s.out().resolve("results.csv"), csv.toString(), StandardCharsets.UTF_8);
    }

    private static double tail(Row r, java.util.function.ToDoubleFunction<TailScore> f) {
        return r.evaluation() == null ? Double.NaN : f.applyAsDouble(r.evaluation());
    }

    /** Mean over training seeds, per sampling and round: the served model and the round's candidate. */
    private String summary() {
        return (rows.stream().anyMatch(r -> r.evaluation() != null) ? tailSummary() + "\n" : "") + valSummary();
    }

    /** Long tail: the served model on the evaluation half, mean (std) over training seeds, with the labels spent. */
    private String tailSummary() {
        Map<String, List<Row>> groups = bySamplingAndRound();
        StringBuilder md = new StringBuilder("| sampling | round | runs | labels | evaluation: species top-1 | "
                + "evaluation: macro recall | evaluation: rare-species recall | releases |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        groups.forEach((key, rs) -> {
            String[] k = key.split("\\|");
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %s | %s | %s | %d |%n", k[0], k[1], rs.size(),
                    rs.stream().mapToInt(Row::labels).average().orElse(0), mean(rs, r -> tail(r, TailScore::speciesTop1)),
                    mean(rs, r -> tail(r, TailScore::macroRecall)), mean(rs, r -> tail(r, TailScore::rareRecall)),
                    rs.stream().filter(Row::released).count()));
        });
        return md.toString();
    }

    private String valSummary() {
        Map<String, List<Row>> groups = bySamplingAndRound();
        StringBuilder md = new StringBuilder("| sampling | round | runs | served: val top-1 | served: val severity | "
                + "served: val review rate | candidate: val top-1 | candidate: val severity | streamed: review rate | "
                + "streamed: accepted precision | releases |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        groups.forEach((key, rs) -> {
            String[] k = key.split("\\|");
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d |%n", k[0],
                    k[1], rs.size(), mean(rs, r -> r.val().speciesTop1()), mean(rs, r -> r.val().mistakeSeverity()),
                    mean(rs, r -> r.val().reviewRate()),
                    mean(rs, r -> r.candidate() == null ? Double.NaN : r.candidate().speciesTop1()),
                    mean(rs, r -> r.candidate() == null ? Double.NaN : r.candidate().mistakeSeverity()),
                    mean(rs, Row::streamReviewRate), mean(rs, Row::streamAcceptedPrecision),
                    rs.stream().filter(Row::released).count()));
        });
        return md.toString();
    }

    /** The rows by "sampling|round" (the runs of every training seed together), in key order. */
    private Map<String, List<Row>> bySamplingAndRound() {
        Map<String, List<Row>> groups = new TreeMap<>();
        for (Row r : rows) {
            String sampling = r.arm().replaceAll("-s\\d+$", "");
            groups.computeIfAbsent(sampling + "|" + r.round(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    private static String mean(List<Row> rs, java.util.function.ToDoubleFunction<Row> f) {
        double[] v = rs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length == 0) {
            return "n/a";
        }
        double m = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length == 1) {
            return String.format(Locale.ROOT, "%.3f", m);
        }
        double sd = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
        return String.format(Locale.ROOT, "%.3f (%.3f)", m, sd);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String since(long t0) {
        return String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - t0) / 1e9);
    }

    /** The simulation's Kafka side: sightings and labels out, the service's outputs in. */
    private static final class Io implements AutoCloseable {
        private final LoopTopics topics;
        private final KafkaProducer<String, byte[]> producer;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Serializer<Sighting> sightings;
        private final Serializer<ExpertLabel> labels;
        private final Deserializer<Identification> identifications;
        private final Deserializer<ReviewRequest> reviews;
        private final Map<String, Identification> outputs = new TreeMap<>();
        private int probes;

        Io(Map<String, Object> clients, LoopTopics topics) {
            this.topics = topics;
            Map<String, Object> p = new HashMap<>(clients);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
            Map<String, Object> c = new HashMap<>(clients);
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(topics.name(Topics.IDENTIFICATIONS), topics.name(Topics.EXPERT_REVIEW))) {
                consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(t,
                        i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            sightings = AvroSerdes.specific(Sighting.class, clients).serializer();
            labels = AvroSerdes.specific(ExpertLabel.class, clients).serializer();
            identifications = AvroSerdes.specific(Identification.class, clients).deserializer();
            reviews = AvroSerdes.specific(ReviewRequest.class, clients).deserializer();
        }

        void sighting(String id, byte[] jpeg) {
            String t = topics.name(Topics.SIGHTINGS);
            producer.send(new ProducerRecord<>(t, id, sightings.serialize(t, Sighting.newBuilder().setSightingId(id)
                    .setObserverId("loop").setObservedAt(Instant.now()).setSource("simulate-loop")
                    .setContentType("image/jpeg").setImage(ByteBuffer.wrap(jpeg)).build())));
        }

        void label(ExpertLabel label) {
            String t = topics.name(Topics.EXPERT_LABELS);
            producer.send(new ProducerRecord<>(t, label.getSightingId(), labels.serialize(t, label)));
        }

        void flush() {
            producer.flush();
        }

        private void poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                Identification id = r.topic().equals(topics.name(Topics.IDENTIFICATIONS))
                        ? identifications.deserialize(r.topic(), r.value())
                        : reviews.deserialize(r.topic(), r.value()).getIdentification();
                outputs.put(r.key(), id);
            }
        }

        Map<String, Identification> awaitOutputs(List<String> ids, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!outputs.keySet().containsAll(ids)) {
                if (System.nanoTime() > deadline) {
                    long have = ids.stream().filter(outputs::containsKey).count();
                    throw new IllegalStateException("the service answered " + have + " of " + ids.size()
                            + " sightings within " + timeout);
                }
                poll();
            }
            Map<String, Identification> out = new LinkedHashMap<>();
            ids.forEach(i -> out.put(i, outputs.get(i)));
            return out;
        }

        /** Sends probe photos until one comes back from {@code version} (the hot-swap happened). */
        boolean awaitModel(String version, Sample probe, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] photo = Files.readAllBytes(probe.image());
            while (System.nanoTime() < deadline) {
                String id = "probe-" + (++probes);
                sighting(id, photo);
                flush();
                Identification out = awaitOutputs(List.of(id), Duration.ofMinutes(2)).get(id);
                if (version.equals(out.getModelVersion())) {
                    return true;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
            consumer.close();
        }
    }
}
