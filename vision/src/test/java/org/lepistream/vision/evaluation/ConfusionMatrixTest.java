package org.lepistream.vision.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixTest {

    @Test
    void recallPrecisionAndTableComeFromTheCounts(@TempDir Path dir) throws Exception {
        ConfusionMatrix m = new ConfusionMatrix(List.of("Vanessa atalanta", "Vanessa cardui", "Pieris rapae"));
        m.add(0, 0);
        m.add(0, 0);
        m.add(0, 1);
        m.add(1, 1);
        m.add(2, 1);
        m.add(-1, 2); // unknown truth: ignored
        assertEquals(3, m.support(0));
        assertEquals(2.0 / 3, m.recall(0), 1e-12);
        assertEquals(1.0 / 3, m.precision(1), 1e-12);
        assertTrue(Double.isNaN(m.precision(2)));
        assertEquals(1, m.mostConfusedWith(0));
        assertEquals(-1, m.mostConfusedWith(1));
        assertThrows(IllegalArgumentException.class, () -> m.add(0, 3));

        String md = PerClassTable.markdown(m);
        assertTrue(md.contains("| Vanessa atalanta | 3 | 0.667 | 1.000 | Vanessa cardui (1) |"), md);
        String csv = PerClassTable.csv(m);
        assertTrue(csv.contains("Pieris rapae,1,0.000,,Vanessa cardui,1"), csv);

        Path png = dir.resolve("sub/confusion.png");
        m.writePng(png, "species");
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
        // Shaded cells: white background, diagonal blues and off-diagonal reds are all present.
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 4, "only " + colours.size() + " colours drawn");
        assertNotEquals(0L, Files.size(png));
    }
}
