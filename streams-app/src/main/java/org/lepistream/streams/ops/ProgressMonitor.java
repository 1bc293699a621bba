package org.lepistream.streams.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link ProgressCheck} from the broker itself: every interval it asks the cluster for its nodes, the
 * group's committed offsets and the end offsets of the input partitions this instance is assigned (all of the
 * input's partitions when it is RUNNING with none assigned). The broker's
 * answers, not the stream's own bookkeeping, because a stuck stream thread stops updating its bookkeeping too.
 */
public final class ProgressMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressMonitor.class);

    private final KafkaStreams streams;
    private final String groupId;
    private final Set<String> inputTopics;
    private final ProgressCheck check;
    private final Admin admin;
    private final int timeoutMs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress-monitor");
        t.setDaemon(true);
        return t;
    });
    private volatile ProgressCheck.Verdict lastLogged = new ProgressCheck.Verdict(true, true, "");

    /**
     * @param clientConfig the Kafka client settings (bootstrap, security) the admin client uses
     * @param groupId the Streams application id
     */
    public ProgressMonitor(Map<String, Object> clientConfig, KafkaStreams streams, String groupId,
            Set<String> inputTopics, ProgressCheck check, Duration interval) {
        this.streams = streams;
        this.groupId = groupId;
        this.inputTopics = Set.copyOf(inputTopics);
        this.check = check;
        this.timeoutMs = (int) Math.max(2000, Math.min(interval.toMillis(), 5000));
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, groupId + "-progress");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        this.admin = Admin.create(props);
        timer.scheduleWithFixedDelay(this::observe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The verdict as of the last observation. */
    public ProgressCheck.Verdict verdict() {
        return check.verdict();
    }

    private void observe() {
        boolean running = streams.state() == KafkaStreams.State.RUNNING;
        Map<TopicPartition, Long> committed = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        boolean reachable;
        boolean groupWide = false;
        try {
            reachable = !admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                    .get(timeoutMs, TimeUnit.MILLISECONDS).isEmpty();
            Set<TopicPartition> own = assigned();
            groupWide = reachable && running && own.isEmpty();
            Set<TopicPartition> assigned = groupWide ? inputPartitions() : own;
            if (reachable && !assigned.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId,
                        new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs)).partitionsToOffsetAndMetadata()
                        .get(timeoutMs, TimeUnit.MILLISECONDS);
                offsets.forEach((tp, om) -> {
                    if (om != null && assigned.contains(tp)) {
                        committed.put(tp, om.offset());
                    }
                });
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                assigned.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(timeoutMs))
                        .all().get(timeoutMs, TimeUnit.MILLISECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return;
            }
            reachable = false;
        }
        ProgressCheck.Verdict v = check.observe(new ProgressCheck.Observation(System.currentTimeMillis(), reachable,
                running, committed, end, groupWide));
        if (v.ready() != lastLogged.ready() || v.live() != lastLogged.live()) {
            if (v.ready()) {
                LOG.info("making progress again: ready");
            } else {
                LOG.warn("not {}: {}", v.live() ? "ready" : "ready nor healthy", v.reason());
            }
        }
        lastLogged = v;
    }

    /** Every partition of the input topics: what the group as a whole must make progress on. */
    private Set<TopicPartition> inputPartitions() throws Exception {
        Set<TopicPartition> out = new HashSet<>();
        admin.describeTopics(inputTopics, new DescribeTopicsOptions().timeoutMs(timeoutMs)).allTopicNames()
                .get(timeoutMs, TimeUnit.MILLISECONDS).forEach((topic, description) -> description.partitions()
                        .forEach(p -> out.add(new TopicPartition(topic, p.partition()))));
        return out;
    }

    /** Input partitions of this instance's active tasks. */
    private Set<TopicPartition> assigned() {
        Set<TopicPartition> out = new HashSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream().filter(tp -> inputTopics.contains(tp.topic())).forEach(out::add);
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(timeoutMs * 4L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
