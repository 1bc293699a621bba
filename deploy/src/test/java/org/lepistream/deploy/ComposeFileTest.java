package org.lepistream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lepistream.deploy.DeployFiles.DEPLOY;
import static org.lepistream.deploy.DeployFiles.REPO;
import static org.lepistream.deploy.DeployFiles.at;
import static org.lepistream.deploy.DeployFiles.list;
import static org.lepistream.deploy.DeployFiles.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compose topology, checked without Docker (the docker CLI here has no compose plugin and no engine): the
 * services exist and refer to each other correctly, mounted files exist, no secret is written in the file, the topic
 * script matches the catalogue, Prometheus scrapes what runs, and the dashboard queries metrics the service exports.
 */
class ComposeFileTest {

    private static final Path COMPOSE = DEPLOY.resolve("compose");
    private final Map<String, Object> compose = DeployFiles.yaml(COMPOSE.resolve("docker-compose.yml"));
    private final Map<String, Object> services = map(compose.get("services"));

    @Test
    void hasTheFullSingleHostTopology() {
        assertEquals(Set.of("kafka", "topics", "schema-registry", "identification-service", "trainer", "review-console",
                "prometheus", "grafana"), services.keySet());
        assertTrue(String.valueOf(at(services, "kafka", "environment", "KAFKA_PROCESS_ROLES")).contains("controller"),
                "Kafka runs in KRaft mode (broker and controller in one node)");
        assertTrue(String.valueOf(at(services, "schema-registry", "image")).startsWith("apicurio/apicurio-registry"));
        assertTrue(((Number) at(services, "identification-service", "deploy", "replicas")).intValue() >= 2,
                "several service replicas share the sightings partitions");
        assertEquals(1, ((Number) at(services, "trainer", "deploy", "replicas")).intValue());
    }

    @Test
    void everyReferenceResolves() {
        Set<String> volumes = map(compose.get("volumes")).keySet();
        services.forEach((name, s) -> {
            assertTrue(at(s, "image") != null || at(s, "build") != null, name + " has neither image nor build");
            Object deps = at(s, "depends_on");
            if (deps instanceof Map<?, ?> m) {
                m.keySet().forEach(d -> assertTrue(services.containsKey(d), name + " depends on unknown " + d));
            } else if (deps != null) {
                list(deps).forEach(d -> assertTrue(services.containsKey(d), name + " depends on unknown " + d));
            }
            Object mounts = at(s, "volumes");
            if (mounts != null) {
                for (Object m : list(mounts)) {
                    String source = m.toString().split(":")[0];
                    if (source.startsWith("./")) {
                        assertTrue(Files.exists(COMPOSE.resolve(source)), name + " mounts missing " + source);
                    } else {
                        assertTrue(volumes.contains(source), name + " mounts undeclared volume " + source);
                    }
                }
            }
        });
    }

    @Test
    void jvmServicesBuildFromTheSharedRecipeWithKnownMainClasses() {
        String launcher = DeployFiles.text(REPO.resolve("lepistream"));
        for (String name : new String[] {"identification-service", "trainer", "review-console"}) {
            assertEquals("deploy/docker/Dockerfile", at(services, name, "build", "dockerfile"));
            assertEquals("../..", at(services, name, "build", "context"));
            String module = String.valueOf(at(services, name, "build", "args", "MODULE"));
            String main = String.valueOf(at(services, name, "build", "args", "MAIN"));
            // Modules not merged yet (trainer, review console) are checked once they exist in the checkout.
            if (Files.exists(REPO.resolve(module).resolve("pom.xml"))) {
                Path source = REPO.resolve(module).resolve("src/main/java").resolve(main.replace('.', '/') + ".java");
                assertTrue(Files.exists(source), name + ": main class " + main + " not found at " + source);
                assertTrue(launcher.contains(module) && launcher.contains(main), name + ": not in the launcher table");
            }
        }
    }

    @Test
    void noSecretIsWrittenInTheComposeFile() {
        Pattern secretKey = Pattern.compile("(?i)password|secret|token|jaas");
        services.forEach((name, s) -> {
            Object env = at(s, "environment");
            if (env instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    if (secretKey.matcher(k.toString()).find()) {
                        assertTrue(v.toString().startsWith("${"), name + "." + k + " must come from .env, not the file");
                    }
                });
            }
        });
        assertFalse(Files.exists(COMPOSE.resolve(".env")), "a real .env must never be committed");
    }

    @Test
    void topicScriptCreatesTheCatalogueWithItsPartitions() {
        String catalogue = DeployFiles.text(REPO.resolve("schemas/src/main/java/org/lepistream/schemas/Topics.java"));
        Map<String, String> constants = new LinkedHashMap<>();
        Matcher c = Pattern.compile("public static final String (\\w+) = \"([^\"]+)\";").matcher(catalogue);
        while (c.find()) {
            constants.put(c.group(1), c.group(2));
        }
        Map<String, String> partitions = new LinkedHashMap<>();
        Matcher spec = Pattern.compile("new TopicSpec\\((\\w+), (\\d+),").matcher(catalogue);
        while (spec.find()) {
            partitions.put(constants.get(spec.group(1)), spec.group(2));
        }
        assertEquals(6, partitions.size(), "catalogue parsed: " + partitions);
        String script = DeployFiles.text(COMPOSE.resolve("config/create-topics.sh"));
        partitions.forEach((topic, n) -> assertTrue(
                Pattern.compile("--topic " + Pattern.quote(topic) + " --partitions " + n + " ").matcher(script).find(),
                "create-topics.sh must create " + topic + " with " + n + " partitions"));
        assertTrue(script.contains("--topic model-releases --partitions 1 --replication-factor 1 \\\n   --config cleanup.policy=compact"));
    }

    @Test
    void prometheusScrapesEveryJvmServiceOnItsConfiguredPort() {
        String prometheus = DeployFiles.text(COMPOSE.resolve("prometheus/prometheus.yml"));
        // service, its properties file, its metrics port, the prefix of its own keys (every process uses lepistream.*)
        for (String[] s : new String[][] {{"identification-service", "service.properties", "8085", "lepistream"},
                {"trainer", "trainer.properties", "8086", "lepistream"},
                {"review-console", "review-console.properties", "8090", "lepistream"}}) {
            assertTrue(prometheus.contains(s[0]), "prometheus does not scrape " + s[0]);
            assertTrue(prometheus.contains(s[2]), "prometheus does not use port " + s[2]);
            String props = DeployFiles.text(COMPOSE.resolve("config").resolve(s[1]));
            assertTrue(props.contains(s[3] + ".http.port=" + s[2]), s[1] + " must serve metrics on " + s[2]);
            assertTrue(props.contains(s[3] + ".http.host=0.0.0.0"), s[1] + " must listen beyond loopback");
        }
    }

    @Test
    void dashboardQueriesOnlyMetricsTheServiceExports() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(COMPOSE.resolve("grafana/dashboards/lepistream.json").toFile());
        String exported = DeployFiles.text(REPO.resolve("streams-app/src/main/java/org/lepistream/streams/ops/Metrics.java"))
                + DeployFiles.text(REPO.resolve("streams-app/src/main/java/org/lepistream/streams/IdentificationService.java"));
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertEquals("prometheus", panel.at("/datasource/uid").asText(), panel.get("title").asText());
            for (JsonNode target : panel.get("targets")) {
                Matcher m = Pattern.compile("lepistream_[a-z_]+").matcher(target.get("expr").asText());
                while (m.find()) {
                    used.add(m.group().replaceAll("_(bucket|sum|count)$", ""));
                }
            }
        }
        assertTrue(used.size() >= 8, "dashboard uses " + used);
        for (String metric : used) {
            assertTrue(exported.contains("\"" + metric + "\""), "dashboard queries " + metric + ", which is not exported");
        }
        String datasource = DeployFiles.text(COMPOSE.resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertTrue(datasource.contains("uid: prometheus"));
        assertNotNull(DeployFiles.yaml(COMPOSE.resolve("grafana/provisioning/dashboards/lepistream.yml")));
    }
}
