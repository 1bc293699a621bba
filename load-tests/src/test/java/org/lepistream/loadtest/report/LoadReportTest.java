package org.lepistream.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.loadtest.generator.LoadResult;
import org.lepistream.loadtest.generator.LoadSettings;
import org.lepistream.loadtest.measure.LatencyTracker;

class LoadReportTest {

    private static final long MS = 1_000_000L;

    @Test
    void writesMarkdownWithCountsAndPercentilesAndTwoPlots(@TempDir Path dir) throws Exception {
        LatencyTracker t = new LatencyTracker(0);
        for (int i = 0; i < 200; i++) {
            t.sent("s" + i, i * 10 * MS);
            t.result("s" + i, i % 10 == 0 ? "sightings-dlq" : "identifications", i * 10 * MS + (i + 1) * MS);
        }
        t.sent("lost", 0);
        LoadResult r = new LoadResult("lt-test", settings(), "synthetic", t, Instant.now(), 2.0, "0.1 0.2 0.3",
                "0.4 0.5 0.6");
        Path md = LoadReport.write(r, "load-test --count 201", dir);
        String text = Files.readString(md);
        assertTrue(text.contains("| 201 | 200 | 1 | 0 | 0 | 180 | 20 |"), text);
        assertTrue(text.contains("**Not every sighting has exactly one result**"), text);
        assertTrue(text.contains("before 0.1 0.2 0.3, after 0.4 0.5 0.6"), text);
        // p50 of 1..200 ms is 100 ms, max 200 ms
        assertTrue(text.contains("| 200 | 100.5 | 100.0 | 180.1 | 190.1 | 198.0 | 200.1 | 200.1 |"), text); // 3 significant digits
        assertFalse(r.exactlyOnce());
        for (String png : List.of("throughput.png", "latency.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertEquals(LineChart.WIDTH, img.getWidth());
            assertTrue(colouredPixels(img) > 200, png + " has no line drawn");
        }
        assertTrue(Files.readString(dir.resolve("latency.hgrm")).contains("#[Max"));
    }

    @Test
    void percentileAxisSpacesTheNinesEvenly() {
        assertEquals(1.0, Plots.nines(90), 1e-9);
        assertEquals(2.0, Plots.nines(99), 1e-9);
        assertEquals(3.0, Plots.nines(99.9), 1e-9);
        assertEquals("p99.9", Plots.percentileLabel(3.0));
        assertEquals("min", Plots.percentileLabel(0));
        assertEquals("p99.99", Plots.percentileLabel(4.0));
        assertEquals("p90", Plots.percentileLabel(1.0));
    }

    @Test
    void movingMeanSmoothsBatchedArrivals() {
        assertArrayEquals(new double[] {16, 8, 16.0 / 3, 16.0 / 3, 32.0 / 3}, Plots.movingMean(new long[] {16, 0, 0, 16, 16}, 3), 1e-9);
    }

    @Test
    void niceStepsAreOneTwoFive() {
        assertEquals(20.0, LineChart.niceStep(100, 6), 1e-9);
        assertEquals(0.5, LineChart.niceStep(2.5, 6), 1e-9);
        assertEquals(1.0, LineChart.niceStep(6, 6), 1e-9);
    }

    private static LoadSettings settings() {
        return new LoadSettings("sightings", List.of("identifications", "expert-review", "sightings-dlq"), 201, 0,
                Duration.ofSeconds(1), Duration.ZERO);
    }

    /** Pixels of the series colour (blue-ish) — the drawn line and markers. */
    private static int colouredPixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int b = rgb & 0xff;
                if (b > 150 && r < 100) {
                    n++;
                }
            }
        }
        return n;
    }
}
