package org.lepistream.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one) running inside this JVM, on loopback only.
 *
 * <p>Uses Kafka's internal server classes, so the Kafka version is pinned in the root pom and a smoke test guards it.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path logDir;
    private final int port;
    private final KafkaRaftServer server;
    private boolean stopped;

    private LocalKafka(Path logDir, int port, KafkaRaftServer server) {
        this.logDir = logDir;
        this.port = port;
        this.server = server;
    }

    /**
     * Starts a broker keeping its data in {@code logDir}; an existing formatted directory is reused, so records survive
     * restarts. Returns once the broker accepts clients.
     *
     * @param port the client port on 127.0.0.1, or 0 for any free one
     */
    public static LocalKafka start(Path logDir, int port) {
        FreePorts.requireFree(port, "Kafka");
        int clientPort = port > 0 ? port : FreePorts.any();
        // The controller port is not stored by a static quorum, so a fresh one each start is fine.
        int controllerPort = FreePorts.any();
        try {
            Files.createDirectories(logDir);
            Properties props = brokerProperties(logDir, clientPort, controllerPort);
            formatIfNeeded(logDir);
            long started = System.nanoTime();
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                shutdownQuietly(server);
                throw e;
            }
            LOG.info("Kafka broker up on 127.0.0.1:{} in {} ms (data in {})", clientPort,
                    (System.nanoTime() - started) / 1_000_000, logDir);
            return new LocalKafka(logDir, clientPort, server);
        } catch (IOException e) {
            throw new StackException("cannot prepare the Kafka data directory " + logDir + ": " + e.getMessage(), e);
        } catch (StackException e) {
            throw e;
        } catch (Exception e) {
            throw new StackException("Kafka broker failed to start on 127.0.0.1:" + clientPort + " (data in " + logDir
                    + "): " + e, e);
        }
    }

    /** {@code host:port} for the {@code bootstrap.servers} client setting. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The client port. */
    public int port() {
        return port;
    }

    /** Where the broker keeps its logs and metadata. */
    public Path logDir() {
        return logDir;
    }

    /** Stops the broker and waits until its files are closed; calling it twice is harmless. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        shutdownQuietly(server);
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker did not shut down cleanly: {}", e.toString());
        }
    }

    static Properties brokerProperties(Path logDir, int clientPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica, and one partition keeps memory and start-up small.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "8388608");
        // The broker's session with its own controller. Kafka's 9 s default, not less: at 3 s a busy two-core machine
        // made the controller time out its own broker ("controller event queue overloaded. Timed out heartbeat from
        // broker 1"), which moves every partition's leadership, group and transaction coordinators included, with no
        // crash at all. The price: a restart after a SIGKILL waits out the old registration (up to 9 s).
        p.put("broker.session.timeout.ms", "9000");
        p.put("broker.heartbeat.interval.ms", "500");
        // Sightings carry inline photos (up to a few MB); the catalogue topics may raise this per topic.
        p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    private static void formatIfNeeded(Path logDir) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setUnstableFeatureVersionsEnabled(false)
                .run();
    }
}
