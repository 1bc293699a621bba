package org.lepistream.vision.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lepistream.vision.data.TestImages.solid;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class BackgroundSwapTest {

    @Test
    void keepsButterflyPixelsAndReplacesTheBackground() {
        BufferedImage butterfly = solid(40, 30, new Color(200, 40, 40));
        BufferedImage butterflyMask = rectMask(40, 30, 10, 8, 20, 14);
        // The donor: green background with a blue "butterfly" in its middle that must not leak into the swap.
        BufferedImage donor = solid(60, 60, new Color(30, 160, 30));
        Graphics2D g = donor.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(20, 20, 20, 20);
        g.dispose();
        BufferedImage donorMask = rectMask(60, 60, 20, 20, 20, 20);

        BufferedImage out = BackgroundSwap.composite(butterfly, butterflyMask, donor, donorMask);
        assertEquals(40, out.getWidth());
        assertEquals(30, out.getHeight());
        boolean[] fg = BackgroundSwap.foreground(butterflyMask, 40, 30);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int p = out.getRGB(x, y) & 0xFFFFFF;
                if (fg[y * 40 + x]) {
                    assertEquals(butterfly.getRGB(x, y) & 0xFFFFFF, p, "butterfly pixel changed at " + x + "," + y);
                } else {
                    assertNotEquals(butterfly.getRGB(x, y) & 0xFFFFFF, p, "background kept at " + x + "," + y);
                    Color c = new Color(p);
                    assertTrue(c.getGreen() > c.getBlue() + 60, "donor's butterfly leaked at " + x + "," + y + ": " + c);
                }
            }
        }
    }

    @Test
    void erasedSubjectTakesSurroundingColour() {
        BufferedImage photo = solid(50, 50, new Color(100, 100, 20));
        Graphics2D g = photo.createGraphics();
        g.setColor(Color.WHITE);
        g.fillOval(15, 15, 20, 20);
        g.dispose();
        BufferedImage erased = BackgroundSwap.eraseSubject(photo, rectMask(50, 50, 15, 15, 20, 20));
        Color centre = new Color(erased.getRGB(25, 25));
        assertEquals(100, centre.getRed(), 3);
        assertEquals(20, centre.getBlue(), 3);
    }

    @Test
    void donorsAreSeededAndAlwaysAnotherSpecies() {
        int[] targets = {0, 1, 2, 0, 1, 2, 0};
        int[] pool = {0, 0, 1, 1, 2, 2, 3};
        int[] a = BackgroundSwap.pickDonors(targets, pool, 7);
        assertArrayEquals(a, BackgroundSwap.pickDonors(targets, pool, 7));
        for (int i = 0; i < targets.length; i++) {
            assertNotEquals(targets[i], pool[a[i]]);
        }
        assertThrows(IllegalArgumentException.class, () -> BackgroundSwap.pickDonors(new int[] {1}, new int[] {1, 1}, 1));
    }

    private static BufferedImage rectMask(int w, int h, int x, int y, int rw, int rh) {
        BufferedImage m = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = m.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(x, y, rw, rh);
        g.dispose();
        return m;
    }
}
