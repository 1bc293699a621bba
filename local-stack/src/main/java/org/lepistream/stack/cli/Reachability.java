package org.lepistream.stack.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.lepistream.schemas.serde.RegistryClient;
import org.lepistream.schemas.serde.RegistryException;
import org.lepistream.schemas.serde.SerdeConfig;

/**
 * Checks that the broker, a topic and the registry answer before a tool starts, so that a wrong address is one clear
 * line after a few seconds instead of a minute of client retries and warnings.
 */
final class Reachability {

    /** How long the tools wait for Kafka or the registry before giving up. */
    static final int TIMEOUT_MS = 8_000;

    private Reachability() {
    }

    /** Low client timeouts for the tools: they talk to one nearby cluster and should fail fast. */
    static Map<String, Object> fastFailing(Map<String, Object> kafkaProperties) {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        props.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        props.putIfAbsent(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 2_000);
        props.putIfAbsent(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 3_000);
        return props;
    }

    /** Registry settings that give up after one retry. */
    static Map<String, Object> fastFailingSerde(Map<String, Object> serdeConfig) {
        Map<String, Object> config = new HashMap<>(serdeConfig);
        config.putIfAbsent(SerdeConfig.MAX_RETRIES, 1);
        config.putIfAbsent(SerdeConfig.RETRIES_WAIT_MS, 500);
        config.putIfAbsent(SerdeConfig.HTTP_CONNECT_TIMEOUT_MS, 3_000);
        config.putIfAbsent(SerdeConfig.HTTP_READ_TIMEOUT_MS, 10_000);
        return config;
    }

    /** The topic's partition count; CliFailure when the broker does not answer or the topic does not exist. */
    static int requireTopic(Map<String, Object> kafkaProperties, String topic) {
        Object servers = kafkaProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        requireListening(String.valueOf(servers));
        try (Admin admin = Admin.create(fastFailing(kafkaProperties))) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic);
                return description.partitions().size();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new CliFailure("topic '" + topic + "' does not exist on " + servers + "; existing topics: "
                            + topics(admin));
                }
                throw unreachable(servers, e.getCause());
            } catch (TimeoutException e) {
                throw unreachable(servers, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        }
    }

    /**
     * A plain TCP connect to each bootstrap address: a refused connection is reported in milliseconds, where the Kafka
     * client would retry until its timeout. Addresses it cannot parse are left to the client.
     */
    static void requireListening(String servers) {
        List<String> failures = new ArrayList<>();
        for (String server : servers.split(",")) {
            String address = server.trim().replaceFirst("^[A-Za-z_]+://", "");
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                return;
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                return;
            }
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 2_000);
                return;
            } catch (IOException e) {
                failures.add(address + " " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        if (!failures.isEmpty()) {
            throw new CliFailure("cannot reach Kafka at " + servers + ": " + String.join("; ", failures)
                    + " (is `lepistream stack` running? or pass --bootstrap)");
        }
    }

    private static String topics(Admin admin) throws InterruptedException {
        try {
            Set<String> names = new TreeSet<>(admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            return names.isEmpty() ? "(none)" : String.join(", ", names);
        } catch (ExecutionException | TimeoutException e) {
            return "(unknown)";
        }
    }

    /** CliFailure when the registry does not answer its subjects list. */
    static void requireRegistry(Map<String, Object> serdeConfig) {
        RegistryClient registry = new RegistryClient(fastFailingSerde(serdeConfig));
        try {
            registry.subjects();
        } catch (RegistryException e) {
            throw new CliFailure(e.getMessage(), e);
        }
    }

    private static CliFailure unreachable(Object servers, Throwable cause) {
        String why = cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                ? "no answer within " + TIMEOUT_MS / 1000 + " s"
                : CliFailure.describe(cause);
        return new CliFailure("cannot reach Kafka at " + servers + ": " + why
                + " (is `lepistream stack` running? or pass --bootstrap)", cause);
    }
}
