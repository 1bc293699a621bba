package org.lepistream.review;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.lepistream.review.auth.KnownBrowsers;
import org.lepistream.review.auth.LoginForm;
import org.lepistream.review.auth.LoginThrottle;
import org.lepistream.review.auth.Reviewers;
import org.lepistream.review.auth.Sessions;
import org.lepistream.review.auth.Signer;
import org.lepistream.review.claims.ClaimFile;
import org.lepistream.review.claims.Claims;
import org.lepistream.review.consensus.Consensus;
import org.lepistream.review.consensus.Opinions;
import org.lepistream.review.labels.KafkaLabelSink;
import org.lepistream.review.labels.LabelDesk;
import org.lepistream.review.queue.ReviewQueue;
import org.lepistream.review.simulated.SimulatedReviewer;
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
    /** Ids, addresses and browsers the guessing brake tracks at most (about 100 bytes each). */
    private static final int THROTTLE_KEYS = 100_000;

    private final ConsoleConfig config;
    private final TaxonomyIndex taxonomy;
    private final Reviewers reviewers;
    private final ReviewQueue queue;
    private final KafkaLabelSink sink;
    private final ConsoleWeb web;
    private final SimulatedReviewer simulated;

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
        // Claims and the console's signing secret sit beside the queue's state, named after the application id.
        Optional<Path> state = config.stateDir();
        Claims claims = new Claims(clock, config.claimTtl(),
                state.map(d -> new ClaimFile(d.resolve(config.applicationId() + ".claims.json"))));
        Signer signer = Signer.in(state, config.applicationId() + ".secret");
        // Opinions waiting for a second reviewer are kept beside the claims.
        Opinions opinions = new Opinions(state.map(d -> d.resolve(config.applicationId() + ".opinions.json")));
        LabelDesk desk = new LabelDesk(queue, claims, taxonomy, sink, clock,
                new Consensus(config.consensus(), opinions, taxonomy));
        ConsoleWeb.Access access = new ConsoleWeb.Access(reviewers, new Sessions(clock, config.sessionTtl()),
                new LoginForm(signer, clock, config.sessionTtl()),
                new KnownBrowsers(signer, clock, Duration.ofDays(30)),
                new LoginThrottle(config.accountThrottle(), clock, THROTTLE_KEYS),
                new LoginThrottle(config.addressThrottle(), clock, THROTTLE_KEYS));
        this.web = new ConsoleWeb(queue, claims, desk, taxonomy, access, clock, config.secureCookies());
        this.simulated = config.autoReviewRate() > 0 ? new SimulatedReviewer(queue, desk,
                config.autoReviewTruth().orElseThrow(), config.autoReviewRate(), config.autoReviewThinkTime(), clock)
                : null;
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
        if (simulated != null) {
            simulated.start();
            LOG.warn("SIMULATED reviewer '{}' labels {}% of the review requests from {} (demo only)",
                    SimulatedReviewer.REVIEWER, Math.round(100 * config.autoReviewRate()),
                    config.autoReviewTruth().orElseThrow());
        }
    }

    public String url() {
        return "http://" + config.httpHost() + ":" + web.port() + "/";
    }

    public ReviewQueue queue() {
        return queue;
    }

    @Override
    public void close() {
        if (simulated != null) {
            simulated.close();
        }
        web.close();
        queue.close();
        sink.close();
    }
}
