package org.lepistream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The compose topology for real: builds the service image, starts Kafka, the topic job, the registry and the
 * identification service, and checks that the catalogue topics exist, the registry answers on its Confluent API and
 * the service is alive. Needs a Docker engine with the compose plugin; without one JUnit reports it as skipped
 * ("disabledWithoutDocker"), as on the development machine.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeTopologyIT {

    @Container
    static final ComposeContainer COMPOSE = new ComposeContainer(
            new File(DeployFiles.DEPLOY.resolve("compose/docker-compose.yml").toString()))
            .withBuild(true)
            .withEnv(Map.of("GRAFANA_ADMIN_PASSWORD", "it-only", "CONSOLE_ADMIN_PASSWORD", "it-only"))
            .withServices("kafka", "topics", "schema-registry", "identification-service")
            .withExposedService("schema-registry", 8080, Wait.forHttp("/apis/ccompat/v7/subjects")
                    .withStartupTimeout(Duration.ofMinutes(3)))
            .withExposedService("identification-service", 1, 8085, Wait.forHttp("/health")
                    .withStartupTimeout(Duration.ofMinutes(10)));

    @Test
    void catalogueTopicsRegistryAndServiceAreUp() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:29092"))) {
            Set<String> topics = admin.listTopics().names().get();
            assertTrue(topics.containsAll(Set.of("sightings", "identifications", "expert-review", "expert-labels",
                    "model-releases", "sightings-dlq")), "topics: " + topics);
            assertEquals(6, admin.describeTopics(Set.of("sightings")).allTopicNames().get().get("sightings")
                    .partitions().size());
        }
        HttpClient http = HttpClient.newHttpClient();
        String registry = "http://" + COMPOSE.getServiceHost("schema-registry", 8080) + ":"
                + COMPOSE.getServicePort("schema-registry", 8080);
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(registry + "/apis/ccompat/v7/subjects")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        String service = "http://" + COMPOSE.getServiceHost("identification-service", 8085) + ":"
                + COMPOSE.getServicePort("identification-service", 8085);
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(service + "/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }
}
