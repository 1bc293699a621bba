package org.lepistream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lepistream.deploy.DeployFiles.DEPLOY;
import static org.lepistream.deploy.DeployFiles.at;
import static org.lepistream.deploy.DeployFiles.list;
import static org.lepistream.deploy.DeployFiles.map;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests, checked as documents (no API server here, so kubectl's dry run cannot validate them):
 * every file of the kustomization parses, GPU scheduling and resources are set for inference, the trainer is a single
 * replica with its volumes, the console sits behind a TLS ingress, and every reference (ConfigMap keys, Secrets,
 * claims, Service selectors and ports) points at something defined.
 */
class KubernetesManifestsTest {

    private static final Path K8S = DEPLOY.resolve("k8s");
    private final List<Map<String, Object>> docs = load();

    private static List<Map<String, Object>> load() {
        Map<String, Object> kustomization = DeployFiles.yaml(K8S.resolve("kustomization.yaml"));
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object file : list(kustomization.get("resources"))) {
            Path p = K8S.resolve(file.toString());
            assertTrue(Files.exists(p), "kustomization lists missing " + p);
            all.addAll(DeployFiles.yamlDocuments(p));
        }
        return all;
    }

    @Test
    void inferencePodsAreScheduledOnGpuNodesWithResources() {
        Map<String, Object> pod = podSpec("identification-service");
        assertEquals("true", at(pod, "nodeSelector", "nvidia.com/gpu.present"));
        assertTrue(list(pod.get("tolerations")).stream().anyMatch(t -> "nvidia.com/gpu".equals(at(t, "key"))));
        Object container = list(pod.get("containers")).get(0);
        assertEquals(1, at(container, "resources", "limits", "nvidia.com/gpu"));
        assertEquals(1, at(container, "resources", "requests", "nvidia.com/gpu"));
        assertEquals("/ready", at(container, "readinessProbe", "httpGet", "path"));
        assertTrue(((Number) at(deployment("identification-service"), "spec", "replicas")).intValue() > 1);
    }

    @Test
    void trainerIsOneReplicaWithPersistentVolumes() {
        Map<String, Object> trainer = deployment("trainer");
        assertEquals(1, at(trainer, "spec", "replicas"));
        assertEquals("Recreate", at(trainer, "spec", "strategy", "type"), "two trainers must never overlap");
        List<String> claims = list(at(podSpec("trainer"), "volumes")).stream()
                .map(v -> (String) at(v, "persistentVolumeClaim", "claimName")).filter(Objects::nonNull).toList();
        assertEquals(List.of("model-store", "trainer-work"), claims);
        assertEquals(List.of("ReadWriteMany"), at(byKindName("PersistentVolumeClaim", "model-store"), "spec", "accessModes"),
                "inference pods on other nodes read the bundles the trainer writes");
    }

    @Test
    void consoleIsBehindATlsIngress() {
        Map<String, Object> ingress = byKindName("Ingress", "review-console");
        assertNotNull(at(ingress, "spec", "tls"));
        Object backend = at(list(at(list(at(ingress, "spec", "rules")).get(0), "http", "paths")).get(0), "backend", "service");
        Map<String, Object> service = byKindName("Service", at(backend, "name").toString());
        assertTrue(list(at(service, "spec", "ports")).stream().anyMatch(p -> at(backend, "port", "name").equals(at(p, "name"))));
    }

    @Test
    void everyWorkloadIsNonRootWithRequestsAndResolvableReferences() {
        Map<String, Object> configData = map(at(byKindName("ConfigMap", "lepistream-config"), "data"));
        for (Map<String, Object> d : ofKind("Deployment")) {
            String name = at(d, "metadata", "name").toString();
            Map<String, Object> pod = map(at(d, "spec", "template", "spec"));
            assertEquals(Boolean.TRUE, at(pod, "securityContext", "runAsNonRoot"), name);
            assertEquals(at(d, "spec", "selector", "matchLabels"), map(at(d, "spec", "template", "metadata", "labels")), name);
            for (Object c : list(pod.get("containers"))) {
                assertNotNull(at(c, "resources", "requests", "cpu"), name + " cpu request");
                assertNotNull(at(c, "resources", "requests", "memory"), name + " memory request");
                assertNotNull(at(c, "resources", "limits", "memory"), name + " memory limit");
                assertEquals(Boolean.FALSE, at(c, "securityContext", "allowPrivilegeEscalation"), name);
                for (Object m : list(at(c, "volumeMounts"))) {
                    Object volume = list(pod.get("volumes")).stream().filter(v -> at(v, "name").equals(at(m, "name")))
                            .findFirst().orElseThrow(() -> new AssertionError(name + " mounts undefined " + at(m, "name")));
                    if (at(volume, "configMap") != null && at(m, "subPath") != null) {
                        assertTrue(configData.containsKey(at(m, "subPath").toString()), name + ": no key " + at(m, "subPath"));
                    }
                    if (at(volume, "secret") != null) {
                        byKindName("Secret", at(volume, "secret", "secretName").toString());
                    }
                    if (at(volume, "persistentVolumeClaim") != null) {
                        byKindName("PersistentVolumeClaim", at(volume, "persistentVolumeClaim", "claimName").toString());
                    }
                }
            }
        }
        for (Map<String, Object> s : ofKind("Service")) {
            Object selector = at(s, "spec", "selector");
            assertTrue(ofKind("Deployment").stream().anyMatch(d -> selector.equals(at(d, "spec", "template", "metadata",
                    "labels"))), "service " + at(s, "metadata", "name") + " selects no pods");
        }
    }

    @Test
    void secretsHoldOnlyPlaceholders() {
        for (Map<String, Object> secret : ofKind("Secret")) {
            map(secret.get("stringData")).forEach((k, v) -> {
                String text = v.toString();
                assertFalse(text.matches("(?s).*password=\"(?!REPLACE_ME\")[^\"]+\".*"), k + " holds a real-looking password");
                assertTrue(text.contains("REPLACE_ME"), k);
            });
        }
    }

    private List<Map<String, Object>> ofKind(String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private Map<String, Object> byKindName(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(at(d, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    private Map<String, Object> deployment(String name) {
        return byKindName("Deployment", name);
    }

    private Map<String, Object> podSpec(String name) {
        return map(at(deployment(name), "spec", "template", "spec"));
    }
}
