package org.lepistream.vision.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCacheTest {
    @TempDir
    Path dir;

    @Test
    void cachesResizedImagesAndBinaryMasksAndListsFailures() throws Exception {
        Files.write(dir.resolve("a.jpg"), TestImages.encode(TestImages.halves(80, 60), "jpeg"));
        BufferedImage mask = new BufferedImage(80, 60, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 40, 60);
        g.dispose();
        Files.write(dir.resolve("a.png"), TestImages.encode(mask, "png"));
        Files.write(dir.resolve("b.jpg"), TestImages.encode(TestImages.halves(30, 30), "jpeg"));
        Files.write(dir.resolve("broken.jpg"), new byte[] {1, 2, 3});
        int[] labels = {0, 0, 0};
        List<Sample> samples = List.of(
                new Sample("a", dir.resolve("a.jpg"), dir.resolve("a.png"), 0, labels, "train"),
                new Sample("broken", dir.resolve("broken.jpg"), null, 0, labels, "train"),
                new Sample("b", dir.resolve("b.jpg"), dir.resolve("missing.png"), 0, labels, "val"));

        SampleCache cache = SampleCache.build(samples, 32);
        assertEquals(32, cache.imageSize());
        assertEquals(2, cache.size());
        assertEquals(List.of("a", "b"), cache.entries().stream().map(e -> e.sample().id()).toList());
        assertSame(cache.get(1), cache.get("b"));
        assertNull(cache.get("broken"));
        assertEquals(List.of("broken", "b"), cache.failures().stream().map(LoadReport.Problem::id).toList());

        SampleCache.Entry a = cache.get("a");
        assertEquals(32, a.image().getWidth());
        assertEquals(32, a.mask().getHeight());
        assertTrue(new Color(a.image().getRGB(4, 16)).getRed() > 200, "left stays red");
        float[] bits = cache.maskArray(0, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                assertEquals(x < 8 ? 1f : 0f, bits[y * 16 + x], "x=" + x);
            }
        }
        assertNull(cache.get("b").mask());
        assertNull(cache.maskArray(1, 16));
        assertEquals(3 * 24 * 24, cache.tensor(0, 24).length);
    }
}
