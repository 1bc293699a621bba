package org.lepistream.review;

import java.time.Clock;
import java.time.Duration;
import org.lepistream.review.auth.Reviewers;
import org.lepistream.review.auth.Sessions;
import org.lepistream.review.claims.Claims;
import org.lepistream.review.labels.KafkaLabelSink;
import org.lepistream.review.labels.LabelDesk;
import org.lepistream.review.queue.ReviewQueue;
import org.lepistream.review.taxonomy.TaxonomyIndex;
import org.lepistream.review.web.ConsoleWeb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expert review console: decides what experts see next (the queue of unlabelled review requests, filtered and
 * claimed) and turns their verdicts into exactly one ExpertLabel per sighting on expert-labels.
 */
public final class ReviewConsole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewConsole.class);

    private final ConsoleConfig config;
    private final TaxonomyIndex taxonomy;
    private final Reviewers reviewers;
    private final ReviewQueue queue;
    private final KafkaLabelSink sink;
    private final ConsoleWeb web;

    /** Reads the taxonomy and the reviewers (failing fast on a bad config); opens nothing yet. */
    public ReviewConsole(ConsoleConfig config) {
        this.config = config;
        this.taxonomy = TaxonomyIndex.load(config.taxonomy());
        this.reviewers = new Reviewers(config.users());
        if (reviewers.count() == 0) {
            throw new IllegalArgumentException("no reviewers configured: add lepistream.user.<id>=<hash> lines"
                    + " (make a hash with 'lepistream hash-password')");
        }
        Clock clock = Clock.systemUTC();
        this.queue = new ReviewQueue(config);
        this.sink = new KafkaLabelSink(config.clientConfig(), config.labelsTopic());
        Claims claims = new Claims(clock, config.claimTtl());
        LabelDesk desk = new LabelDesk(queue, claims, taxonomy, sink, clock);
        this.web = new ConsoleWeb(queue, claims, desk, taxonomy, reviewers, new Sessions(clock, config.sessionTtl()),
                clock, config.secureCookies());
    }

    /** Starts the queue and waits (up to {@code timeout}) for it to be restored, then serves the web pages. */
    public void start(Duration timeout) {
        queue.start();
        if (!queue.awaitRunning(timeout)) {
            throw new IllegalStateException("the review queue did not start within " + timeout.toSeconds() + " s (state "
                    + queue.state() + "); is Kafka at " + config.bootstrapServers() + " reachable?");
        }
        web.start(config.httpHost(), config.httpPort());
        LOG.info("review console on {} ({} reviewers, taxonomy of {} taxa at ranks {})", url(), reviewers.count(),
                taxonomy.size(), taxonomy.ranks());
    }

    public String url() {
        return "http://" + config.httpHost() + ":" + web.port() + "/";
    }

    public ReviewQueue queue() {
        return queue;
    }

    @Override
    public void close() {
        web.close();
        queue.close();
        sink.close();
    }
}
