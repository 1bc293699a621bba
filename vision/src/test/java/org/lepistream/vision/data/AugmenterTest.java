package org.lepistream.vision.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lepistream.vision.data.Augmenter.Augmented;

class AugmenterTest {
    private static final int SRC = 96;
    private static final int OUT = 64;

    /** Blue background with a red off-centre, asymmetric blob; the mask is painted from the same shape. */
    private static BufferedImage[] scene() {
        BufferedImage img = TestImages.solid(SRC, SRC, Color.BLUE);
        BufferedImage mask = new BufferedImage(SRC, SRC, BufferedImage.TYPE_BYTE_GRAY);
        Ellipse2D blob = new Ellipse2D.Double(14, 20, 40, 24);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fill(blob);
        g.fillRect(50, 30, 30, 8); // an arm to the right: breaks mirror symmetry
        g.dispose();
        // The mask is derived from the image's own pixels, so "the same pixels" is exact.
        for (int y = 0; y < SRC; y++) {
            for (int x = 0; x < SRC; x++) {
                if (new Color(img.getRGB(x, y)).getRed() > 128) {
                    mask.getRaster().setSample(x, y, 0, 255);
                }
            }
        }
        return new BufferedImage[] {img, mask};
    }

    private static boolean masked(BufferedImage mask, int x, int y) {
        return (mask.getRGB(x, y) & 0xFF) >= 128;
    }

    private static boolean reddish(BufferedImage img, int x, int y) {
        Color c = new Color(img.getRGB(x, y));
        return c.getRed() > c.getBlue();
    }

    @Test
    void maskStillCoversTheSameImagePixelsAfterTransform() {
        BufferedImage[] s = scene();
        Augmenter augmenter = new Augmenter(); // paper strengths, colour jitter included
        for (int seed = 0; seed < 30; seed++) {
            Augmented a = augmenter.apply(s[0], s[1], OUT, new Random(seed));
            assertEquals(OUT, a.image().getWidth());
            assertEquals(OUT, a.mask().getHeight());
            int agree = 0;
            int inside = 0;
            int total = 0;
            for (int y = 1; y < OUT - 1; y++) {
                for (int x = 1; x < OUT - 1; x++) {
                    boolean m = masked(a.mask(), x, y);
                    // pixels on the shape's edge are blended by bilinear sampling; judge the rest
                    if (m != masked(a.mask(), x + 1, y) || m != masked(a.mask(), x, y + 1)
                            || m != masked(a.mask(), x - 1, y) || m != masked(a.mask(), x, y - 1)) {
                        continue;
                    }
                    total++;
                    inside += m ? 1 : 0;
                    agree += m == reddish(a.image(), x, y) ? 1 : 0;
                }
            }
            assertTrue(inside > 50, "seed " + seed + ": blob should stay in view, inside=" + inside);
            assertTrue(agree >= total * 0.99, "seed " + seed + ": mask/image agree on " + agree + " of " + total);
        }
    }

    @Test
    void flipsAndRotationsActuallyHappen() {
        BufferedImage[] s = scene();
        Augmenter flipOnly = new Augmenter(new Augmenter.Options(0, true, 1, 1, 1, 1, 0, 0, 0, 0));
        int flipped = 0;
        for (int seed = 0; seed < 20; seed++) {
            Augmented a = flipOnly.apply(s[0], s[1], SRC, new Random(seed));
            // (20,24) lies in the source's ellipse, (75,24) in its mirror image, and neither in the other
            boolean original = masked(a.mask(), 20, 24);
            boolean mirrored = masked(a.mask(), 75, 24);
            assertTrue(original != mirrored, "exactly one of the two positions, seed " + seed);
            flipped += mirrored ? 1 : 0;
        }
        assertTrue(flipped > 3 && flipped < 17, "about half flipped: " + flipped);

        Augmenter rotateOnly = new Augmenter(new Augmenter.Options(15, false, 1, 1, 1, 1, 0, 0, 0, 0));
        Augmented identity = new Augmenter(Augmenter.Options.none()).apply(s[0], s[1], SRC, new Random(1));
        Augmented rotated = rotateOnly.apply(s[0], s[1], SRC, new Random(1));
        int changed = 0;
        for (int y = 0; y < SRC; y++) {
            for (int x = 0; x < SRC; x++) {
                changed += masked(identity.mask(), x, y) != masked(rotated.mask(), x, y) ? 1 : 0;
            }
        }
        assertTrue(changed > 20, "rotation should move mask pixels, moved " + changed);
    }

    @Test
    void noneIsTheIdentityAtTheSourceSize() {
        BufferedImage[] s = scene();
        Augmented a = new Augmenter(Augmenter.Options.none()).apply(s[0], s[1], SRC, new Random(9));
        for (int y = 0; y < SRC; y++) {
            for (int x = 0; x < SRC; x++) {
                assertEquals(s[0].getRGB(x, y), a.image().getRGB(x, y));
                assertEquals(masked(s[1], x, y), masked(a.mask(), x, y));
            }
        }
    }

    @Test
    void sameSeedSameResultAndMaskIsOptional() {
        BufferedImage[] s = scene();
        Augmenter augmenter = new Augmenter();
        Augmented a = augmenter.apply(s[0], s[1], OUT, new Random(42));
        Augmented b = augmenter.apply(s[0], null, OUT, new Random(42));
        assertNull(b.mask());
        for (int y = 0; y < OUT; y++) {
            for (int x = 0; x < OUT; x++) {
                assertEquals(a.image().getRGB(x, y), b.image().getRGB(x, y));
            }
        }
    }

    @Test
    void colourJitterChangesTheImageOnly() {
        BufferedImage[] s = scene();
        Augmenter.Options colourOnly = new Augmenter.Options(0, false, 1, 1, 1, 1, 0.2, 0.2, 0.2, 0);
        Augmented a = new Augmenter(colourOnly).apply(s[0], s[1], SRC, new Random(3));
        int changed = 0;
        for (int y = 0; y < SRC; y++) {
            for (int x = 0; x < SRC; x++) {
                changed += a.image().getRGB(x, y) != s[0].getRGB(x, y) ? 1 : 0;
                assertEquals(masked(s[1], x, y), masked(a.mask(), x, y));
            }
        }
        assertTrue(changed > SRC * SRC / 2, "jitter should alter colours, changed " + changed);
    }

    @Test
    void channelSwapsReorderTheColoursOfSomeImagesAndLeaveShapesAlone() {
        BufferedImage[] s = scene();
        Augmenter swapping = new Augmenter(Augmenter.Options.none().withChannelSwap(0.5));
        int swapped = 0;
        Random rng = new Random(4);
        for (int k = 0; k < 40; k++) {
            Augmented a = swapping.apply(s[0], s[1], SRC, rng);
            int bg = a.image().getRGB(0, 0) & 0xFFFFFF;
            int blob = a.image().getRGB(30, 32) & 0xFFFFFF;
            // Pure blue and pure red stay pure colours, in another channel or the same.
            assertTrue(Integer.bitCount(bg) == 8 && Integer.bitCount(blob) == 8 && bg != blob,
                    String.format("background %06x, blob %06x", bg, blob));
            swapped += bg != 0x0000FF || blob != 0xFF0000 ? 1 : 0;
            for (int y = 0; y < SRC; y += 7) {
                for (int x = 0; x < SRC; x += 7) {
                    assertEquals(masked(s[1], x, y), masked(a.mask(), x, y));
                }
            }
        }
        assertTrue(swapped >= 10 && swapped <= 30, swapped + " of 40 images swapped at p 0.5");
    }
}
