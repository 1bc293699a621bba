package org.lepistream.streams.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides whether the service is making progress, from periodic observations of the broker and of the assigned
 * input partitions: "ready" means records that are waiting get processed, not merely that a state says RUNNING.
 *
 * <p>Not ready when, for longer than {@code readyAfter}, no broker answered, or some watched partition had a
 * backlog (end offset past the committed offset) while no watched partition's committed offset moved, or the
 * stream was not RUNNING. The watched partitions are this instance's, or the whole group's when it has none: a
 * RUNNING instance without partitions is not ready while the group's records wait, which is what it sees when a
 * dead member (a killed process, or a replaced stream thread that never left) holds them until its session ends.
 * Not live (restart me) when the same lasted longer than {@code liveAfter}. Pure logic:
 * the caller supplies the clock with each observation.
 */
public final class ProgressCheck {

    /**
     * One look at the world.
     *
     * @param brokerReachable whether the broker answered (and, when it did, the offsets below are current)
     * @param running whether the stream is RUNNING
     * @param committed committed offset per watched input partition (absent: nothing committed yet)
     * @param end end offset (read_committed) per watched input partition
     * @param groupWide whether the watched partitions are the whole group's because none is assigned here
     */
    public record Observation(long atMillis, boolean brokerReachable, boolean running,
            Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end, boolean groupWide) {

        /** An observation of the partitions assigned to this instance. */
        public Observation(long atMillis, boolean brokerReachable, boolean running,
                Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
            this(atMillis, brokerReachable, running, committed, end, false);
        }
    }

    /** The answer for /ready and /health; {@code reason} is empty when both are fine. */
    public record Verdict(boolean ready, boolean live, String reason) {}

    private final long readyAfterMs;
    private final long liveAfterMs;
    private Map<TopicPartition, Long> lastCommitted = Map.of();
    private long brokerSeenAt = -1;
    private long progressSeenAt = -1;
    private long runningSeenAt = -1;
    private long lastAt = -1;
    private long backlog;
    private boolean groupWide;

    public ProgressCheck(Duration readyAfter, Duration liveAfter) {
        this.readyAfterMs = readyAfter.toMillis();
        this.liveAfterMs = liveAfter.toMillis();
    }

    public synchronized Verdict observe(Observation o) {
        if (lastAt < 0) {
            // Every clock starts at the first observation: start-up gets the full bounds.
            brokerSeenAt = progressSeenAt = runningSeenAt = o.atMillis();
        }
        lastAt = o.atMillis();
        if (o.running()) {
            runningSeenAt = o.atMillis();
        }
        if (o.brokerReachable()) {
            brokerSeenAt = o.atMillis();
            backlog = 0;
            groupWide = o.groupWide();
            boolean moved = false;
            for (Map.Entry<TopicPartition, Long> e : o.end().entrySet()) {
                long committed = o.committed().getOrDefault(e.getKey(), 0L);
                backlog += Math.max(0, e.getValue() - committed);
                Long before = lastCommitted.get(e.getKey());
                Long now = o.committed().get(e.getKey());
                if (now != null && (before == null || now > before)) {
                    moved = true;
                }
            }
            if (backlog == 0 || moved) {
                progressSeenAt = o.atMillis();
            }
            lastCommitted = new HashMap<>(o.committed());
        }
        return verdict();
    }

    /** The verdict as of the last observation. */
    public synchronized Verdict verdict() {
        if (lastAt < 0) {
            return new Verdict(true, true, "");
        }
        long brokerGone = lastAt - brokerSeenAt;
        long stalled = lastAt - progressSeenAt;
        long notRunning = lastAt - runningSeenAt;
        String reason = "";
        long worst = 0;
        if (brokerGone > readyAfterMs) {
            reason = "no broker reachable for " + seconds(brokerGone);
            worst = brokerGone;
        } else if (stalled > readyAfterMs) {
            reason = "no progress for " + seconds(stalled) + " with " + backlog + " records waiting"
                    + (groupWide ? " in the group (no partition is assigned to this instance: its partitions are"
                            + " held by a member that does not process them)" : "");
            worst = stalled;
        }
        if (notRunning > readyAfterMs) {
            reason = (reason.isEmpty() ? "" : reason + "; ") + "stream not RUNNING for " + seconds(notRunning);
            worst = Math.max(worst, notRunning);
        }
        return new Verdict(worst <= readyAfterMs, worst <= liveAfterMs, reason);
    }

    private static String seconds(long ms) {
        return (ms / 1000) + " s";
    }
}
