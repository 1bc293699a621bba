package org.lepistream.review.simulated;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lepistream.decision.routing.SightingShare;
import org.lepistream.review.labels.Decision;
import org.lepistream.review.labels.LabelDesk;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.review.queue.ReviewQueue;
import org.lepistream.schemas.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in expert for demos: labels a fixed share of the review queue with the answers of a truth file, through the
 * same label desk a person's verdict goes through (claims respected, one label per sighting), as reviewer
 * {@value #REVIEWER}. It waits a think time after a request arrives, so a person watching the console sees it and may
 * take it first. Off unless configured; never a substitute for experts in production.
 */
public final class SimulatedReviewer implements AutoCloseable {

    public static final String REVIEWER = "auto";
    static final String NOTE = "simulated reviewer: answer from the truth file";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedReviewer.class);

    private final ReviewQueue queue;
    private final LabelDesk desk;
    private final TruthFile truth;
    private final SightingShare share;
    private final Duration thinkTime;
    private final Clock clock;
    private final AtomicLong labelled = new AtomicLong();
    // Sightings this reviewer will not answer (outside its share, or an answer the taxonomy refused): asked once.
    private final Set<String> passed = new HashSet<>();
    private ScheduledExecutorService timer;

    public SimulatedReviewer(ReviewQueue queue, LabelDesk desk, Path truthFile, double share, Duration thinkTime,
            Clock clock) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("the simulated reviewer's share must be in (0, 1], got " + share);
        }
        this.queue = queue;
        this.desk = desk;
        this.truth = new TruthFile(truthFile);
        this.share = new SightingShare(share);
        this.thinkTime = thinkTime;
        this.clock = clock;
    }

    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulated-reviewer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                review();
            } catch (IOException | RuntimeException e) {
                LOG.warn("simulated reviewer: {}", e.toString()); // the next round tries again
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** One pass over the queue, oldest first; returns how many labels it recorded. */
    int review() throws IOException {
        truth.refresh();
        long now = clock.millis();
        int recorded = 0;
        var pending = queue.pending();
        passed.retainAll(pending.stream().map(QueueItem::sightingId).collect(java.util.stream.Collectors.toSet()));
        for (QueueItem item : pending.stream().sorted(Comparator.comparingLong(QueueItem::routedAt)).toList()) {
            String id = item.sightingId();
            if (now - item.routedAt() < thinkTime.toMillis() || passed.contains(id) || desk.recentlyLabelled(id)) {
                continue;
            }
            if (!share.contains(id)) {
                passed.add(id);
                continue;
            }
            var answer = truth.answer(id);
            if (answer.isEmpty()) {
                continue; // the producer has not written it yet, or never will: asked again next round
            }
            try {
                var result = desk.submit(id, REVIEWER, new Decision(Verdict.CONFIRMED, answer.get().taxon(),
                        answer.get().rank(), NOTE));
                if (result.status() == LabelDesk.Status.RECORDED) {
                    recorded++;
                    labelled.incrementAndGet();
                    truth.forget(id);
                }
            } catch (IllegalArgumentException e) {
                passed.add(id);
                LOG.warn("simulated reviewer skips {}: {}", id, e.getMessage());
            }
        }
        return recorded;
    }

    /** Labels recorded so far. */
    public long labelled() {
        return labelled.get();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
