package org.lepistream.review;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.lepistream.review.auth.LoginThrottle;
import org.lepistream.review.consensus.ConsensusPolicy;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.connect.ConfigFile;
import org.lepistream.schemas.connect.SettingKeys;
import org.lepistream.schemas.connect.Settings;

/**
 * The console's settings. As in the identification service, keys under {@code lepistream.} are the console's own
 * and every other key (bootstrap.servers, schema.registry.url, SASL/SSL, basic.auth.*) passes through to the Kafka
 * clients and the serde. Reviewers are {@code lepistream.user.<id>=<hash>} lines made by {@code hash-password}.
 */
public final class ConsoleConfig {

    public static final String PREFIX = "lepistream.";
    public static final String USER_PREFIX = "user.";

    /** Every key the console reads (config/console.properties.example documents each; a test holds the two together). */
    public static final SettingKeys KEYS = SettingKeys.under(PREFIX,
            "application.id", "state.dir", "http.host", "http.port", "http.secure-cookies", "taxonomy",
            "claim.ttl-seconds", "session.ttl-minutes",
            "signin.account-failures", "signin.address-failures", "signin.window-seconds", "signin.max-block-seconds",
            "topic.expert-review", "topic.expert-labels", "topic.identifications",
            "auto-review.rate", "auto-review.truth", "auto-review.think-seconds",
            "consensus.overrule-from", "consensus.taxa")
            .withFamilies(USER_PREFIX);

    private final Settings settings;

    private ConsoleConfig(Settings settings) {
        this.settings = settings;
    }

    public static ConsoleConfig of(Properties props) {
        ConsoleConfig config = new ConsoleConfig(ConfigFile.split(props, KEYS));
        config.validate();
        return config;
    }

    /** Reads a properties file; a missing or unreadable file is a clear error. */
    public static Properties read(Path file) {
        return ConfigFile.read(file);
    }

    /** Entries for the Kafka clients and the serde (no console keys). */
    public Map<String, Object> clientConfig() {
        return settings.clients();
    }

    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    public String applicationId() {
        return settings.string("application.id", "lepistream-review-console");
    }

    /** Where Kafka Streams keeps the materialised queue between restarts. */
    public Optional<Path> stateDir() {
        return settings.optional("state.dir").map(Path::of);
    }

    public String httpHost() {
        return settings.string("http.host", "127.0.0.1");
    }

    /** 0 picks a free port. */
    public int httpPort() {
        return settings.integer("http.port", 8090, 0, 65535);
    }

    /** labels.csv, taxonomy.json, a dataset folder or a model bundle folder: the taxonomy the search box offers. */
    public Path taxonomy() {
        return settings.optional("taxonomy").map(Path::of).orElseThrow(() -> new IllegalArgumentException(
                PREFIX + "taxonomy is not set: point it at a labels.csv, a taxonomy.json, or a dataset/model folder"));
    }

    /** How long an opened sighting stays reserved for the reviewer who opened it. */
    public Duration claimTtl() {
        return Duration.ofSeconds(settings.whole("claim.ttl-seconds", 900, 10, 86_400));
    }

    public Duration sessionTtl() {
        return Duration.ofMinutes(settings.whole("session.ttl-minutes", 720, 1, 43_200));
    }

    /**
     * The brake on guessing for one reviewer id: this many failed sign-ins inside the window block the id (from
     * browsers that have not signed in as it before) for 60 s, doubling per further block up to the max block.
     */
    public LoginThrottle.Policy accountThrottle() {
        return new LoginThrottle.Policy(settings.integer("signin.account-failures", 10, 1, 10_000), signinWindow(),
                Duration.ofSeconds(60), maxBlock());
    }

    /** The same brake for one client address (wider: reviewers may share an address behind a NAT). */
    public LoginThrottle.Policy addressThrottle() {
        return new LoginThrottle.Policy(settings.integer("signin.address-failures", 30, 1, 100_000), signinWindow(),
                Duration.ofSeconds(60), maxBlock());
    }

    private Duration signinWindow() {
        return Duration.ofSeconds(settings.whole("signin.window-seconds", 60, 1, 86_400));
    }

    /** The longest block: how long, at most, a guessing attack can keep a reviewer out of a new browser. */
    private Duration maxBlock() {
        return Duration.ofSeconds(settings.whole("signin.max-block-seconds", 300, 60, 86_400));
    }

    /** Reviewer id → password hash. */
    public Map<String, String> users() {
        Map<String, String> users = new TreeMap<>();
        settings.startingWith(USER_PREFIX).forEach((k, v) -> {
            if (k.length() > USER_PREFIX.length()) {
                users.put(k.substring(USER_PREFIX.length()), v);
            }
        });
        return users;
    }

    /** Sends the session cookie only over HTTPS (set when the console sits behind TLS). */
    public boolean secureCookies() {
        return settings.bool("http.secure-cookies", false);
    }

    /**
     * The share of review requests a simulated reviewer answers from {@link #autoReviewTruth()} (demos only; 0 = off,
     * the default).
     */
    public double autoReviewRate() {
        return settings.fraction("auto-review.rate", 0.0);
    }

    /** The CSV of sighting_id,rank,taxon the simulated reviewer answers from. */
    public Optional<Path> autoReviewTruth() {
        return settings.optional("auto-review.truth").map(Path::of);
    }

    /** How long a request waits in the queue before the simulated reviewer takes it (a person may take it first). */
    public Duration autoReviewThinkTime() {
        return Duration.ofSeconds(settings.whole("auto-review.think-seconds", 10, 0, 86_400));
    }

    /**
     * When a verdict needs a second, agreeing reviewer before it becomes a label: overruling a model at least
     * {@code consensus.overrule-from} confident, or naming a taxon in {@code consensus.taxa}. Off when neither is set.
     */
    public ConsensusPolicy consensus() {
        double from = settings.optional("consensus.overrule-from").isPresent()
                ? settings.fraction("consensus.overrule-from", 1) : 2;
        return new ConsensusPolicy(from, java.util.Set.copyOf(settings.list("consensus.taxa")));
    }

    public String reviewTopic() {
        return settings.string("topic.expert-review", Topics.EXPERT_REVIEW);
    }

    public String labelsTopic() {
        return settings.string("topic.expert-labels", Topics.EXPERT_LABELS);
    }

    public String identificationsTopic() {
        return settings.string("topic.identifications", Topics.IDENTIFICATIONS);
    }

    private void validate() {
        httpPort();
        claimTtl();
        sessionTtl();
        secureCookies();
        accountThrottle();
        addressThrottle();
        autoReviewThinkTime();
        consensus();
        if (autoReviewRate() > 0) {
            if (autoReviewTruth().isEmpty()) {
                throw new IllegalArgumentException(PREFIX + "auto-review.rate is set but " + PREFIX
                        + "auto-review.truth is not: the simulated reviewer needs the file of true answers");
            }
            if (users().containsKey(org.lepistream.review.simulated.SimulatedReviewer.REVIEWER)) {
                throw new IllegalArgumentException(PREFIX + USER_PREFIX
                        + org.lepistream.review.simulated.SimulatedReviewer.REVIEWER
                        + " is the simulated reviewer's id: give the person another id");
            }
        }
        users().forEach((user, hash) -> {
            if (!user.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new IllegalArgumentException(PREFIX + USER_PREFIX + user
                        + ": reviewer ids are 1-64 letters, digits or . _ @ -");
            }
        });
    }
}
