package org.lepistream.vision.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lepistream.vision.data.ImageRejectedException.Reason;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    private static Reason reasonOf(ImageDecoder decoder, byte[] bytes) {
        return assertThrows(ImageRejectedException.class, () -> decoder.decode(bytes)).reason();
    }

    @Test
    void decodesJpegAndPngToRgb() throws Exception {
        BufferedImage src = TestImages.halves(40, 30);
        for (String format : new String[] {"jpeg", "png"}) {
            BufferedImage img = decoder.decode(TestImages.encode(src, format));
            assertEquals(40, img.getWidth());
            assertEquals(30, img.getHeight());
            assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
            Color left = new Color(img.getRGB(5, 15));
            Color right = new Color(img.getRGB(35, 15));
            assertTrue(left.getRed() > 200 && left.getBlue() < 60, format + " left " + left);
            assertTrue(right.getBlue() > 200 && right.getRed() < 60, format + " right " + right);
        }
    }

    @Test
    void greyAndBinaryPngsBecomeRgb() throws Exception {
        BufferedImage bits = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY);
        bits.setRGB(3, 4, 0xFFFFFF);
        BufferedImage img = decoder.decode(TestImages.encode(bits, "png"));
        assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
        assertEquals(0xFFFFFF, img.getRGB(3, 4) & 0xFFFFFF);
        assertEquals(0, img.getRGB(4, 4) & 0xFFFFFF);
    }

    @Test
    void corruptJpegDataIsCorrupt() {
        byte[] garbage = new byte[4000];
        new Random(3).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        garbage[2] = (byte) 0xFF;
        assertEquals(Reason.CORRUPT, reasonOf(decoder, garbage));
    }

    @Test
    void damagedScanDataIsCorruptNotSilentlyGrey() {
        byte[] jpeg = TestImages.encode(noise(96, 96), "jpeg");
        for (int fill : new int[] {0x00, 0xFF}) { // decoder loses sync / meets bogus markers
            byte[] damaged = jpeg.clone();
            Arrays.fill(damaged, damaged.length / 3, damaged.length / 3 + 400, (byte) fill);
            assertEquals(Reason.CORRUPT, reasonOf(decoder, damaged), "fill " + fill);
        }
    }

    @Test
    void truncatedJpegAndPngAreTruncated() {
        byte[] jpeg = TestImages.encode(noise(96, 96), "jpeg");
        assertEquals(Reason.TRUNCATED, reasonOf(decoder, Arrays.copyOf(jpeg, jpeg.length / 2)));
        assertEquals(Reason.TRUNCATED, reasonOf(decoder, Arrays.copyOf(jpeg, 200)));
        byte[] png = TestImages.encode(noise(96, 96), "png");
        assertEquals(Reason.TRUNCATED, reasonOf(decoder, Arrays.copyOf(png, png.length / 2)));
        assertEquals(Reason.TRUNCATED, reasonOf(decoder, Arrays.copyOf(png, 12)));
    }

    @Test
    void hugeDimensionsAreRefusedFromTheHeaderAlone() {
        // 10^10 pixels and no pixel data: only a header-first check can answer OVERSIZED here (a decode
        // attempt would fail on the missing data, or run out of memory).
        byte[] header = TestImages.pngHeaderOnly(100_000, 100_000);
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(header));
        assertEquals(Reason.OVERSIZED_DIMENSIONS, e.reason());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        assertEquals(Reason.OVERSIZED_DIMENSIONS,
                assertThrows(ImageRejectedException.class, () -> decoder.probe(header)).reason());
    }

    @Test
    void pixelLimitIsConfigurable() throws Exception {
        byte[] png = TestImages.encode(TestImages.halves(40, 30), "png");
        assertEquals(Reason.OVERSIZED_DIMENSIONS, reasonOf(new ImageDecoder(40 * 30 - 1), png));
        assertEquals(40, new ImageDecoder(40 * 30).decode(png).getWidth());
    }

    @Test
    void unknownBytesAreUnsupported() {
        // GIF, BMP, TIFF, WebP and HEIC: PhotoFormatsTest.
        assertEquals(Reason.UNSUPPORTED_FORMAT, reasonOf(decoder, "hello, not an image".getBytes()));
    }

    @Test
    void emptyInputIsEmpty() {
        assertEquals(Reason.EMPTY, reasonOf(decoder, new byte[0]));
        assertEquals(Reason.EMPTY, reasonOf(decoder, null));
    }

    @Test
    void probeReadsDimensionsWithoutDecoding() throws Exception {
        ImageDecoder.ImageInfo info = decoder.probe(TestImages.encode(TestImages.halves(40, 30), "jpeg"));
        assertEquals(new ImageDecoder.ImageInfo("jpeg", 40, 30), info);
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        // Stored as left-red/right-blue 48x32; orientation 6 means "rotate 90° clockwise to view":
        // red ends up on top of a 32x48 image.
        byte[] jpeg = TestImages.withExifOrientation(TestImages.encode(TestImages.halves(48, 32), "jpeg"), 6);
        BufferedImage img = decoder.decode(jpeg);
        assertEquals(32, img.getWidth());
        assertEquals(48, img.getHeight());
        assertTrue(new Color(img.getRGB(16, 5)).getRed() > 200, "top should be red");
        assertTrue(new Color(img.getRGB(16, 43)).getBlue() > 200, "bottom should be blue");
        assertEquals(32, decoder.probe(jpeg).width());

        BufferedImage flipped = decoder.decode(
                TestImages.withExifOrientation(TestImages.encode(TestImages.halves(48, 32), "jpeg"), 2));
        assertTrue(new Color(flipped.getRGB(5, 16)).getBlue() > 200, "mirrored: left should be blue");
    }

    @Test
    void subsampledDecodeKeepsTwiceTheRequestedSide() throws Exception {
        byte[] png = TestImages.encode(TestImages.halves(400, 300), "png");
        BufferedImage img = decoder.decode(png, 64);
        assertTrue(img.getHeight() >= 128 && img.getHeight() < 300, "height " + img.getHeight());
        assertEquals(400, decoder.decode(png, 0).getWidth());
    }

    private static BufferedImage noise(int w, int h) {
        Random r = new Random(5);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0xFFFFFF));
            }
        }
        return img;
    }
}
