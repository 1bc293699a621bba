package org.lepistream.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    @Test
    void pixelsReadStraightFromTheArraysAreWhatGetRgbReturns() throws Exception {
        java.util.Random random = new java.util.Random(5);
        List<BufferedImage> images = new java.util.ArrayList<>();
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_BGR}) {
            BufferedImage img = new BufferedImage(23, 17, type);
            for (int y = 0; y < 17; y++) {
                for (int x = 0; x < 23; x++) {
                    img.setRGB(x, y, 0xFF000000 | random.nextInt(0x1000000));
                }
            }
            images.add(img);
            // A view into a bigger image: its raster is translated, so the fast paths must not apply.
            images.add(img.getSubimage(3, 2, 11, 9));
        }
        // A decoded JPEG, the service's usual input.
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(images.get(0), "jpg", jpeg);
        images.add(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg.toByteArray())));
        for (BufferedImage img : images) {
            int[] want = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
            int[] got = ImageTensors.rgb(img);
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i] & 0xFFFFFF, got[i] & 0xFFFFFF, "type " + img.getType() + " pixel " + i);
            }
        }
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, images.get(images.size() - 1).getType(), "JPEGs decode as BGR");
    }

    @Test
    void solidColourIsNormalisedPerChannelInChwOrder() {
        Color c = new Color(200, 100, 50);
        float[] chw = ImageTensors.toChw(TestImages.solid(20, 10, c), 8);
        assertEquals(3 * 64, chw.length);
        float[] expected = {
            (200 / 255f - ImageTensors.MEAN[0]) / ImageTensors.STD[0],
            (100 / 255f - ImageTensors.MEAN[1]) / ImageTensors.STD[1],
            (50 / 255f - ImageTensors.MEAN[2]) / ImageTensors.STD[2]};
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < 64; i++) {
                assertEquals(expected[ch], chw[ch * 64 + i], 1e-5, "channel " + ch + " pixel " + i);
            }
        }
    }

    @Test
    void spatialLayoutIsRowMajorWithinAChannel() {
        float[] chw = ImageTensors.toChw(TestImages.halves(16, 16), 16);
        // red plane: left half high, right half low; x is the fastest-moving index
        assertTrue(chw[3] > 2f && chw[12] < -1f, "row 0 of the red plane");
        assertTrue(chw[2 * 256 + 15 * 16 + 12] > 2f, "blue plane, last row, right side");
    }

    @Test
    void fromChwInvertsToChw() {
        BufferedImage img = TestImages.halves(12, 12);
        BufferedImage back = ImageTensors.fromChw(ImageTensors.toChw(img, 12), 12);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
                assertEquals(img.getRGB(x, y), back.getRGB(x, y));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.fromChw(new float[5], 12));
    }

    @Test
    void maskBecomesZeroOneAtTheRequestedSize() {
        BufferedImage mask = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 20, 40); // left half
        g.dispose();
        float[] bits = ImageTensors.maskToArray(mask, 10);
        assertEquals(100, bits.length);
        float sum = 0;
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                float v = bits[y * 10 + x];
                assertTrue(v == 0f || v == 1f);
                assertEquals(x < 5 ? 1f : 0f, v, "x=" + x + " y=" + y);
                sum += v;
            }
        }
        assertEquals(50f, sum);
    }

    @Test
    void batchStacksItemsInOrder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] a = {1, 2, 3, 4, 5, 6};
            float[] b = {7, 8, 9, 10, 11, 12};
            NDArray batch = ImageTensors.batch(manager, List.of(a, b), 3, 1, 2);
            assertEquals(new Shape(2, 3, 1, 2), batch.getShape());
            assertArrayEquals(b, batch.get(1).toFloatArray());
            assertEquals(5f, batch.getFloat(0, 2, 0, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> ImageTensors.batch(manager, List.of(a, new float[5]), 3, 1, 2));
            assertThrows(IllegalArgumentException.class, () -> ImageTensors.batch(manager, List.of(), 3));
        }
    }

    @Test
    void antialiasedShrinkingAveragesFineStripesWherePlainSamplingWouldAliasThem() {
        // One-pixel black/white columns, shrunk 4x: every output pixel covers as much black as white.
        java.awt.image.BufferedImage stripes = new java.awt.image.BufferedImage(128, 128,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                stripes.setRGB(x, y, x % 2 == 0 ? 0xFFFFFF : 0);
            }
        }
        java.awt.image.BufferedImage small = ImageTensors.resizeAntialiased(stripes, 32);
        for (int y = 0; y < 32; y++) {
            for (int x = 1; x < 31; x++) {
                int grey = small.getRGB(x, y) & 0xFF;
                org.junit.jupiter.api.Assertions.assertTrue(Math.abs(grey - 128) <= 12,
                        "pixel " + x + "," + y + " is " + grey + ", not the stripes' mean grey");
            }
        }
        java.awt.image.BufferedImage flat = new java.awt.image.BufferedImage(90, 60,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 90; x++) {
                flat.setRGB(x, y, 0x336699);
            }
        }
        for (int size : new int[] {17, 64, 200}) {
            java.awt.image.BufferedImage r = ImageTensors.resizeAntialiased(flat, size);
            org.junit.jupiter.api.Assertions.assertEquals(size, r.getWidth());
            org.junit.jupiter.api.Assertions.assertEquals(0x336699, r.getRGB(size / 2, size - 1) & 0xFFFFFF,
                    "a flat colour stays that colour at " + size);
        }
    }

    /**
     * The row-sweeping resampler gives exactly what the tap-at-a-time definition gives (the training cache and the
     * service must not drift apart when one is optimised): shrinking, enlarging, odd sizes.
     */
    @Test
    void antialiasedResizeIsBitIdenticalToItsDefinition() {
        java.util.Random r = new java.util.Random(11);
        int[][] shapes = {{254, 191, 128}, {97, 300, 64}, {40, 30, 128}, {128, 128, 96}};
        for (int[] shape : shapes) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(shape[0], shape[1],
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[0]; x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            java.awt.image.BufferedImage fast = ImageTensors.resizeAntialiased(img, shape[2]);
            int[] expected = definition(img, shape[2]);
            int[] actual = java.util.Arrays.stream(fast.getRGB(0, 0, shape[2], shape[2], null, 0, shape[2]))
                    .map(v -> v & 0xFFFFFF).toArray(); // getRGB adds an opaque alpha
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, java.util.Arrays.toString(shape));
        }
    }

    /** The triangle filter one output pixel and one tap at a time, in double, as first written. */
    private static int[] definition(java.awt.image.BufferedImage img, int size) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] src = img.getRGB(0, 0, w, h, null, 0, w);
        float[][] c = new float[3][src.length];
        for (int i = 0; i < src.length; i++) {
            c[0][i] = (src[i] >> 16) & 0xFF;
            c[1][i] = (src[i] >> 8) & 0xFF;
            c[2][i] = src[i] & 0xFF;
        }
        float[][] both = pass(pass(c, w, h, size, true), size, h, size, false);
        int[] out = new int[size * size];
        for (int i = 0; i < out.length; i++) {
            out[i] = (clamp(both[0][i]) << 16) | (clamp(both[1][i]) << 8) | clamp(both[2][i]);
        }
        return out;
    }

    private static int clamp(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }

    private static float[][] pass(float[][] in, int w, int h, int to, boolean horizontal) {
        int from = horizontal ? w : h;
        double scale = (double) from / to;
        double support = Math.max(1.0, scale);
        int ow = horizontal ? to : w;
        int oh = horizontal ? h : to;
        float[][] out = new float[3][ow * oh];
        for (int o = 0; o < to; o++) {
            double centre = (o + 0.5) * scale;
            int first = Math.max(0, (int) Math.floor(centre - support));
            int last = Math.min(from - 1, (int) Math.ceil(centre + support));
            double[] weights = new double[last - first + 1];
            double total = 0;
            for (int k = first; k <= last; k++) {
                weights[k - first] = Math.max(0, 1 - Math.abs(k + 0.5 - centre) / support);
                total += weights[k - first];
            }
            if (total == 0) {
                weights = new double[] {1};
                first = Math.min(from - 1, Math.max(0, (int) centre));
                total = 1;
            }
            int lines = horizontal ? h : w;
            for (int line = 0; line < lines; line++) {
                for (int ch = 0; ch < 3; ch++) {
                    double acc = 0;
                    for (int k = 0; k < weights.length; k++) {
                        acc += weights[k] * in[ch][horizontal ? line * w + first + k : (first + k) * w + line];
                    }
                    out[ch][horizontal ? line * ow + o : o * ow + line] = (float) (acc / total);
                }
            }
        }
        return out;
    }
}
