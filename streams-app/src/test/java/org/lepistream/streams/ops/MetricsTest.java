package org.lepistream.streams.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rendersPrometheusTextWithCumulativeBuckets() {
        Metrics m = new Metrics();
        m.deadLetters.inc("NO_IMAGE");
        m.deadLetters.inc("NO_IMAGE");
        m.deadLetters.inc("CORRUPT_IMAGE");
        m.batchSize.observe(3);
        m.batchSize.observe(30);
        m.modelInService("v1");
        String text = m.render();
        assertTrue(text.contains("lepistream_dead_letters_total{reason=\"NO_IMAGE\"} 2\n"), text);
        assertTrue(text.contains("lepistream_dead_letters_total{reason=\"CORRUPT_IMAGE\"} 1\n"), text);
        assertTrue(text.contains("lepistream_batch_size_bucket{le=\"4\"} 1\n"), text);
        assertTrue(text.contains("lepistream_batch_size_bucket{le=\"32\"} 2\n"), text);
        assertTrue(text.contains("lepistream_batch_size_bucket{le=\"+Inf\"} 2\n"), text);
        assertTrue(text.contains("lepistream_batch_size_sum 33\n"), text);
        assertTrue(text.contains("lepistream_model_info{version=\"v1\"}"), text);
        assertTrue(text.contains("# TYPE lepistream_batch_size histogram"), text);
        // Every non-comment line is "name{labels} value".
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                assertTrue(line.matches("[a-z_]+(\\{[a-z]+=\"[^\"]*\"\\})? [-0-9.e+]+"), line);
            }
        }
    }

    @Test
    void healthEndpointsReflectState() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        Metrics m = new Metrics();
        m.sightings.inc();
        try (HealthServer server = new HealthServer("127.0.0.1", 0, () -> true, ready::get, () -> "state=TEST", m)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            assertEquals(200, get(http, base + "/health").statusCode());
            assertEquals(503, get(http, base + "/ready").statusCode());
            ready.set(true);
            assertEquals(200, get(http, base + "/ready").statusCode());
            HttpResponse<String> metrics = get(http, base + "/metrics");
            assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(metrics.body().contains("lepistream_sightings_total 1"));
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
