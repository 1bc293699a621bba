package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.lepistream.decision.routing.OverCam;

class ServiceConfigTest {

    private static ServiceConfig of(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return ServiceConfig.of(p);
    }

    @Test
    void ownKeysAreSeparatedFromClientPassThrough() {
        ServiceConfig c = of("bootstrap.servers", "b:9092", "security.protocol", "SASL_SSL",
                "sasl.jaas.config", "x", "lepistream.batch.max-size", "16", "lepistream.threshold.species", "0.9",
                "lepistream.fetch.allow", "https://img.example.org, file:/srv/photos", "lepistream.overlap.rule", "top15");
        Map<String, Object> client = c.clientConfig();
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertEquals("x", client.get("sasl.jaas.config"));
        assertFalse(client.keySet().stream().anyMatch(k -> k.startsWith("lepistream.")));
        assertEquals(16, c.maxBatchSize());
        assertEquals(64, c.maxInFlightPerTask());
        assertEquals(Map.of("species", 0.9), c.thresholdOverrides());
        assertEquals(List.of("https://img.example.org", "file:/srv/photos"), c.fetchAllowList());
        assertEquals(OverCam.Rule.TOP_PERCENT, c.overlapSettings().rule());
        assertEquals(15.0, c.overlapSettings().topPercent(), 1e-12);
    }

    @Test
    void defaultsAreSafe() {
        ServiceConfig c = of("bootstrap.servers", "b:9092");
        assertEquals(List.of(), c.fetchAllowList(), "fetching must be denied unless configured");
        assertEquals(Duration.ofMillis(20), c.maxQueueDelay());
        assertEquals("sightings", c.sightingsTopic());
        assertEquals(OverCam.Rule.MEAN, c.overlapSettings().rule());
        assertEquals(-1, c.overlapSettings().level());
        assertEquals(OverCam.Source.ATTENTION, c.overlapSettings().source());
        assertTrue(c.overlapOverride().isEmpty(), "the model's calibrated setting applies unless one is configured");
        assertEquals(OverCam.Source.GRAD_CAM,
                of("lepistream.overlap.source", "gradcam").overlapOverride().orElseThrow().source());
    }

    @Test
    void badValuesFailAtStartUpNamingTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> of("lepistream.batch.max-size", "lots"));
        assertTrue(e.getMessage().contains("lepistream.batch.max-size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> of("lepistream.batch.max-size", "0"));
        assertThrows(IllegalArgumentException.class, () -> of("lepistream.overlap.rule", "median"));
        assertThrows(IllegalArgumentException.class, () -> of("lepistream.overlap.source", "saliency"));
        var missing = assertThrows(IllegalArgumentException.class, () -> of().bootstrapServers());
        assertTrue(missing.getMessage().contains("bootstrap.servers"));
    }

    @Test
    void engineDefaultsToOnnxRuntimeAndAnUnknownOneIsNamedAtLoad() {
        assertEquals(org.lepistream.vision.bundle.InferenceEngine.ONNXRUNTIME, of().engine());
        assertEquals(org.lepistream.vision.bundle.InferenceEngine.PYTORCH, of("lepistream.engine", "PyTorch").engine());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> of("lepistream.engine", "openvino"));
        assertTrue(e.getMessage().startsWith("lepistream.engine: unknown inference engine 'openvino'"), e.getMessage());
    }

    @Test
    void aMisspeltKeyStopsStartUpNamingTheKeyAndTheNearestKnownOne() {
        var e = assertThrows(IllegalArgumentException.class, () -> of("bootstrap.servers", "b:9092",
                "lepistream.batch.max-sise", "8"));
        assertTrue(e.getMessage().contains(
                "unknown setting lepistream.batch.max-sise (did you mean lepistream.batch.max-size?)"), e.getMessage());
    }

    @Test
    void theExampleConfigDocumentsExactlyTheKeysTheServiceReads() throws java.io.IOException {
        String example = java.nio.file.Files.readString(java.nio.file.Path.of("config/app.properties.example"));
        assertEquals(List.of(), ServiceConfig.KEYS.disagreementsWith(example));
    }
}
