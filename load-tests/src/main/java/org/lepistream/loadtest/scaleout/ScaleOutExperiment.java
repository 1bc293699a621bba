package org.lepistream.loadtest.scaleout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.lepistream.loadtest.generator.LoadGenerator;
import org.lepistream.loadtest.generator.LoadResult;
import org.lepistream.loadtest.generator.LoadSettings;
import org.lepistream.loadtest.generator.MachineLoad;
import org.lepistream.loadtest.workload.Workload;
import org.lepistream.schemas.Topics;

/**
 * Several service processes against one broker and one partitioned sightings topic: throughput per instance count,
 * and a rebalance under load (one instance SIGKILLed, one added) checked for exactly one output per sighting.
 * Every step gets its own topics and application id, so steps never see each other's records or offsets.
 */
public final class ScaleOutExperiment {

    /** What every run shares. */
    public record Setup(Map<String, Object> kafka, Map<String, Object> serde, InstanceLauncher launcher, Path modelDir,
            String modelName, Workload workload, int partitions, int batchSize, Path workDir, Duration readyTimeout,
            Duration drainTimeout) {
    }

    /** One throughput step: n instances, the warm-up and the measured run, and the exactly-once audit. */
    public record Step(int instances, String prefix, LoadResult warmup, LoadResult measured, OutputAudit.Verdict audit,
            String processes) {
    }

    /** Something done to the fleet during the rebalance run, at a time since the run started. */
    public record Event(double seconds, long completedBefore, String what) {
    }

    /** The rebalance run. */
    public record Rebalance(String prefix, LoadResult warmup, LoadResult measured, List<Event> events,
            OutputAudit.Verdict audit, String processes) {
    }

    private final Setup setup;
    private final Consumer<String> progress;

    public ScaleOutExperiment(Setup setup, Consumer<String> progress) {
        this.setup = setup;
        this.progress = progress;
    }

    /** Starts {@code instances} processes, warms them up, then sends {@code count} sightings at {@code rate} (0 = flat out). */
    public Step throughput(int instances, long warmup, long count, double rate) throws Exception {
        String prefix = prefix("k" + instances);
        createTopics(prefix);
        List<ServiceInstance> fleet = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                fleet.add(start(prefix, "i" + (i + 1)));
            }
            awaitReady(fleet);
            String processes = MachineLoad.topProcesses(8);
            LoadResult warm = run(prefix, "warm", warmup, 0, done -> { });
            progress.accept(instances + " instance(s): warm-up " + warm.tracker().completedCount() + "/" + warmup
                    + "; measuring " + count + " sightings (load average " + MachineLoad.loadAverage() + ")");
            LoadResult measured = run(prefix, "load", count, rate, done -> { });
            OutputAudit.Verdict audit = audit(prefix, warmup, count);
            progress.accept(instances + " instance(s): " + String.format("%.1f", measured.tracker().steadyThroughput())
                    + " results/s steady; " + audit);
            return new Step(instances, prefix, warm, measured, audit, processes);
        } finally {
            closeAll(fleet);
        }
    }

    /**
     * Two instances take {@code count} sightings at {@code rate}; when {@code killAt} of them have results one
     * instance is SIGKILLed, when {@code addAt} have results a third one starts. Then every output is audited.
     */
    public Rebalance rebalance(long warmup, long count, double rate, double killAt, double addAt) throws Exception {
        String prefix = prefix("rebalance");
        createTopics(prefix);
        List<ServiceInstance> fleet = new ArrayList<>();
        ExecutorService actions = Executors.newSingleThreadExecutor();
        List<Event> events = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            fleet.add(start(prefix, "i1"));
            fleet.add(start(prefix, "i2"));
            awaitReady(fleet);
            String processes = MachineLoad.topProcesses(8);
            LoadResult warm = run(prefix, "warm", warmup, 0, done -> { });
            AtomicBoolean killed = new AtomicBoolean();
            AtomicBoolean added = new AtomicBoolean();
            long t0 = System.nanoTime();
            progress.accept("rebalance: " + count + " sightings over 2 instances; SIGKILL at " + (long) (killAt * count)
                    + " results, a new instance at " + (long) (addAt * count));
            LoadResult measured = run(prefix, "load", count, rate, done -> {
                if (done >= killAt * count && killed.compareAndSet(false, true)) {
                    actions.submit(() -> {
                        ServiceInstance victim = fleet.get(0);
                        victim.kill();
                        events.add(new Event((System.nanoTime() - t0) / 1e9, done, "SIGKILL " + victim.name()
                                + " (pid " + victim.pid() + ")"));
                        progress.accept("rebalance: killed " + victim.name() + " after " + done + " results");
                        return null;
                    });
                }
                if (done >= addAt * count && killed.get() && added.compareAndSet(false, true)) {
                    actions.submit(() -> {
                        ServiceInstance fresh = start(prefix, "i3");
                        fleet.add(fresh);
                        events.add(new Event((System.nanoTime() - t0) / 1e9, done, "started " + fresh.name()
                                + " (pid " + fresh.pid() + ")"));
                        progress.accept("rebalance: started i3 after " + done + " results");
                        return null;
                    });
                }
            });
            actions.shutdown();
            actions.awaitTermination(60, TimeUnit.SECONDS);
            OutputAudit.Verdict audit = audit(prefix, warmup, count);
            progress.accept("rebalance: " + audit);
            return new Rebalance(prefix, warm, measured, List.copyOf(events), audit, processes);
        } finally {
            actions.shutdownNow();
            closeAll(fleet);
        }
    }

    private String prefix(String what) {
        return "so-" + Long.toString(System.currentTimeMillis(), 36) + "-" + what;
    }

    private void createTopics(String prefix) throws Exception {
        try (Admin admin = Admin.create(setup.kafka())) {
            int p = setup.partitions();
            admin.createTopics(List.of(
                    new NewTopic(LoadSettings.topic(prefix, Topics.SIGHTINGS), p, (short) 1),
                    new NewTopic(LoadSettings.topic(prefix, Topics.IDENTIFICATIONS), p, (short) 1),
                    new NewTopic(LoadSettings.topic(prefix, Topics.EXPERT_REVIEW), 1, (short) 1),
                    new NewTopic(LoadSettings.topic(prefix, Topics.SIGHTINGS_DLQ), 1, (short) 1),
                    new NewTopic(LoadSettings.topic(prefix, Topics.MODEL_RELEASES), 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
    }

    private ServiceInstance start(String prefix, String name) throws IOException {
        Map<String, String> s = new HashMap<>();
        setup.kafka().forEach((k, v) -> s.put(k, String.valueOf(v)));
        setup.serde().forEach((k, v) -> s.put(k, String.valueOf(v)));
        s.put("lepistream.application.id", prefix);
        s.put("lepistream.model.name", setup.modelName());
        s.put("lepistream.model.dir", setup.modelDir().toAbsolutePath().toString());
        s.put("lepistream.batch.max-size", String.valueOf(setup.batchSize()));
        for (String t : List.of(Topics.SIGHTINGS, Topics.IDENTIFICATIONS, Topics.EXPERT_REVIEW, Topics.SIGHTINGS_DLQ,
                Topics.MODEL_RELEASES)) {
            s.put("lepistream.topic." + t, LoadSettings.topic(prefix, t));
        }
        // A SIGKILLed member is noticed after the session timeout: the broker's minimum keeps the stall short.
        s.put("consumer.session.timeout.ms", "6000");
        s.put("consumer.heartbeat.interval.ms", "1500");
        return ServiceInstance.start(name, s, setup.workDir().resolve(prefix), setup.launcher());
    }

    private void awaitReady(List<ServiceInstance> fleet) throws InterruptedException {
        for (ServiceInstance instance : fleet) {
            if (!instance.awaitReady(setup.readyTimeout())) {
                throw new IllegalStateException("instance " + instance.name() + " not ready within "
                        + setup.readyTimeout().toSeconds() + " s\n" + instance.logTail(30));
            }
        }
    }

    private LoadResult run(String prefix, String phase, long count, double rate, java.util.function.LongConsumer onDone)
            throws InterruptedException {
        LoadSettings settings = new LoadSettings(LoadSettings.topic(prefix, Topics.SIGHTINGS), outputs(prefix), count,
                rate, setup.drainTimeout(), Duration.ofSeconds(2));
        return new LoadGenerator(setup.kafka(), setup.serde()).run(prefix + "-" + phase, setup.workload(), settings,
                onDone);
    }

    private OutputAudit.Verdict audit(String prefix, long warmup, long count) {
        List<String> sent = new ArrayList<>();
        for (long n = 0; n < warmup; n++) {
            sent.add(Workload.sightingId(prefix + "-warm", n));
        }
        for (long n = 0; n < count; n++) {
            sent.add(Workload.sightingId(prefix + "-load", n));
        }
        return OutputAudit.check(setup.kafka(), outputs(prefix), sent);
    }

    private static List<String> outputs(String prefix) {
        return List.of(LoadSettings.topic(prefix, Topics.IDENTIFICATIONS), LoadSettings.topic(prefix, Topics.EXPERT_REVIEW),
                LoadSettings.topic(prefix, Topics.SIGHTINGS_DLQ));
    }

    private static void closeAll(List<ServiceInstance> fleet) throws InterruptedException {
        for (ServiceInstance instance : List.copyOf(fleet)) {
            instance.close();
        }
    }
}
