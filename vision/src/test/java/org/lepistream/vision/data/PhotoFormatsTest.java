package org.lepistream.vision.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.lepistream.vision.data.ImageRejectedException.Reason;

/**
 * The formats phones and apps upload besides JPEG and PNG, each decoded and compared with a reference rendering,
 * their decompression bombs refused from the header, and HEIC/AVIF refused with advice for the uploader.
 */
class PhotoFormatsTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void bmpGifAndTiffDecodeToTheSamePixelsAsThePng() throws Exception {
        BufferedImage reference = reference();
        // The pattern has 48 distinct reds x 32 greens: too many colours for GIF's 256, so GIF gets a 4-colour copy.
        BufferedImage fewColours = quantised(reference);
        assertSamePixels(reference, decoder.decode(write(reference, "bmp")), "bmp");
        assertSamePixels(reference, decoder.decode(write(reference, "tiff")), "tiff");
        assertSamePixels(fewColours, decoder.decode(write(fewColours, "gif")), "gif");
        assertEquals(new ImageDecoder.ImageInfo("tiff", 48, 32), decoder.probe(write(reference, "tiff")));
    }

    @Test
    void losslessWebpIsThePngExactlyAndLossyWebpIsClose() throws Exception {
        BufferedImage reference = reference();
        assertSamePixels(reference, decoder.decode(fixture("lossless.webp")), "lossless webp");
        BufferedImage lossy = decoder.decode(fixture("lossy.webp"));
        assertEquals(48, lossy.getWidth());
        assertEquals(32, lossy.getHeight());
        double error = meanAbsoluteError(reference, lossy);
        assertTrue(error < 12, "lossy WebP at q90 stays within a few levels of the original: " + error);
        assertTrue(error > 0, "and is not the lossless file by mistake");
        assertEquals(new ImageDecoder.ImageInfo("webp", 48, 32), decoder.probe(fixture("lossless.webp")));
    }

    @Test
    void anAnimatedGifIsReadAsItsFirstFrame() throws Exception {
        BufferedImage first = quantised(reference());
        BufferedImage second = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB); // all black
        BufferedImage decoded = decoder.decode(animatedGif(first, second));
        assertSamePixels(first, decoded, "first frame");
    }

    @Test
    void bombsInTheNewFormatsAreRefusedFromTheirHeaders() throws Exception {
        BufferedImage small = reference();
        byte[] bmp = write(small, "bmp");
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, 60_000).putInt(22, 60_000);
        byte[] gif = gifClaiming(write(quantised(small), "gif"), 65_535, 65_535);
        byte[] tiff = tiffClaiming(write(small, "tiff"), 65_535, 65_535);
        // VP8L: 14 bits width-1, 14 bits height-1: 16384 x 16384 = 268 MP.
        byte[] webp = fixture("lossless.webp");
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).putInt(21, 0x0FFF_FFFF);
        for (byte[] bomb : new byte[][] {bmp, gif, tiff, webp}) {
            ImageRejectedException refused = assertThrows(ImageRejectedException.class, () -> decoder.decode(bomb));
            assertEquals(Reason.OVERSIZED_DIMENSIONS, refused.reason(), refused.getMessage());
            assertEquals(Reason.OVERSIZED_DIMENSIONS,
                    assertThrows(ImageRejectedException.class, () -> decoder.probe(bomb)).reason());
        }
    }

    @Test
    void truncatedFilesInTheNewFormatsAreRefused() throws Exception {
        // Two-colour noise: compresses poorly, so half the file is half the pixels in every format.
        BufferedImage noisy = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(5);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                noisy.setRGB(x, y, random.nextBoolean() ? 0xFF00FF : 0x00FF00);
            }
        }
        for (String format : new String[] {"bmp", "tiff", "gif"}) {
            byte[] whole = write(noisy, format);
            byte[] cut = Arrays.copyOf(whole, whole.length / 2);
            ImageRejectedException refused = assertThrows(ImageRejectedException.class, () -> decoder.decode(cut),
                    format);
            assertTrue(Set.of(Reason.TRUNCATED, Reason.CORRUPT).contains(refused.reason()), refused.getMessage());
        }
        byte[] webp = fixture("lossless.webp");
        ImageRejectedException refused = assertThrows(ImageRejectedException.class,
                () -> decoder.decode(Arrays.copyOf(webp, webp.length / 2)));
        assertTrue(Set.of(Reason.TRUNCATED, Reason.CORRUPT).contains(refused.reason()), refused.getMessage());
    }

    @Test
    void heicIsRefusedWithWhatTheUploaderCanDo() throws Exception {
        ImageRejectedException heic = assertThrows(ImageRejectedException.class,
                () -> decoder.decode(fixture("reference.heic")));
        assertEquals(Reason.UNSUPPORTED_FORMAT, heic.reason());
        assertTrue(heic.getMessage().contains("HEIC") && heic.getMessage().contains("JPEG")
                && heic.getMessage().contains("Most Compatible"), heic.getMessage());

        ImageRejectedException avif = assertThrows(ImageRejectedException.class,
                () -> decoder.decode(fixture("reference.avif")));
        assertEquals(Reason.UNSUPPORTED_FORMAT, avif.reason());
        assertTrue(avif.getMessage().contains("AVIF") && avif.getMessage().contains("JPEG"), avif.getMessage());

        byte[] mp4 = "\0\0\0\u0018ftypisom\0\0\u0002\0isomiso2....".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ImageRejectedException video = assertThrows(ImageRejectedException.class, () -> decoder.decode(mp4));
        assertTrue(video.getMessage().contains("video"), video.getMessage());
    }

    @Test
    void unknownBytesNameTheFormatsWeRead() {
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> decoder.decode("hello, not an image".getBytes()));
        assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("WebP") && e.getMessage().contains("TIFF"), e.getMessage());
    }

    static BufferedImage reference() throws IOException {
        return ImageIO.read(new java.io.ByteArrayInputStream(fixture("reference.png")));
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = PhotoFormatsTest.class.getResourceAsStream("/photo-formats/" + name)) {
            if (in == null) {
                throw new IOException("missing test fixture photo-formats/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static BufferedImage quantised(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                out.setRGB(x, y, (src.getRGB(x, y) & 0x808080) == 0 ? 0x102030 : src.getRGB(x, y) & 0x808080);
            }
        }
        return out;
    }

    private static byte[] write(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // The JDK's writers: test inputs do not depend on the plugins under test.
        ImageWriter writer = jdkWriter(format);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(img);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static ImageWriter jdkWriter(String format) {
        for (var writers = ImageIO.getImageWritersByFormatName(format); writers.hasNext(); ) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getName().startsWith("com.sun.")) {
                return writer;
            }
        }
        throw new IllegalStateException("no JDK writer for " + format);
    }

    private static byte[] animatedGif(BufferedImage... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = jdkWriter("gif");
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Rewrites a GIF's logical screen and its first image descriptor to claim another size. */
    private static byte[] gifClaiming(byte[] gif, int width, int height) {
        ByteBuffer b = ByteBuffer.wrap(gif).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(6, (short) width).putShort(8, (short) height);
        int at = 13 + ((gif[10] & 0x80) != 0 ? 3 << ((gif[10] & 7) + 1) : 0);
        while (gif[at] == 0x21) { // extension blocks: label, then sub-blocks up to a zero length
            at += 2;
            while (gif[at] != 0) {
                at += (gif[at] & 0xFF) + 1;
            }
            at++;
        }
        assertEquals(0x2C, gif[at], "image descriptor");
        b.putShort(at + 5, (short) width).putShort(at + 7, (short) height);
        return gif;
    }

    /** Rewrites a TIFF's ImageWidth and ImageLength tags (SHORT or LONG) in its first IFD. */
    private static byte[] tiffClaiming(byte[] tiff, int width, int height) {
        ByteBuffer b = ByteBuffer.wrap(tiff).order(tiff[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = b.getInt(4);
        int entries = b.getShort(ifd) & 0xFFFF;
        int patched = 0;
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + 12 * i;
            int tag = b.getShort(entry) & 0xFFFF;
            if (tag == 256 || tag == 257) {
                int value = tag == 256 ? width : height;
                if (b.getShort(entry + 2) == 3) {
                    b.putShort(entry + 8, (short) value);
                } else {
                    b.putInt(entry + 8, value);
                }
                patched++;
            }
        }
        assertEquals(2, patched, "width and length tags");
        return tiff;
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual, String what) {
        assertEquals(BufferedImage.TYPE_INT_RGB, actual.getType(), what);
        assertEquals(expected.getWidth(), actual.getWidth(), what);
        assertEquals(expected.getHeight(), actual.getHeight(), what);
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int want = expected.getRGB(x, y) & 0xFFFFFF;
                int got = actual.getRGB(x, y) & 0xFFFFFF;
                if (want != got) {
                    throw new AssertionError(what + ": pixel (" + x + "," + y + ") is " + Integer.toHexString(got)
                            + ", expected " + Integer.toHexString(want));
                }
            }
        }
    }

    private static double meanAbsoluteError(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
