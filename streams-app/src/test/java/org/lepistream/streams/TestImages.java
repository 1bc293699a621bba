package org.lepistream.streams;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Good and hostile image payloads for tests, generated in memory. */
public final class TestImages {

    private TestImages() {}

    /** A small photo-like JPEG: a coloured ellipse on a noisy background. */
    public static byte[] jpeg(int w, int h, long seed) {
        return encode(picture(w, h, seed), "jpeg");
    }

    public static byte[] png(int w, int h, long seed) {
        return encode(picture(w, h, seed), "png");
    }

    public static BufferedImage picture(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000) & 0x3F7F3F);
            }
        }
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(r.nextInt(0x1000000)));
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        return img;
    }

    /** The first half of a valid JPEG. */
    public static byte[] truncatedJpeg() {
        byte[] full = jpeg(96, 96, 7);
        return Arrays.copyOf(full, full.length / 2);
    }

    /** A complete JPEG whose middle third is overwritten: header and end intact, entropy-coded data damaged. */
    public static byte[] corruptJpeg() {
        byte[] bytes = jpeg(96, 96, 7);
        Arrays.fill(bytes, bytes.length / 3, bytes.length * 2 / 3, (byte) 0xFF);
        return bytes;
    }

    public static byte[] gif() {
        return encode(picture(16, 16, 1), "gif");
    }

    /** The start of an iPhone photo (ISO media box "ftyp", brand heic): no decoder for it runs on the JVM. */
    public static byte[] heic() {
        byte[] head = "\0\0\0\u0018ftypheic\0\0\0\0mif1heic".getBytes(StandardCharsets.ISO_8859_1);
        return Arrays.copyOf(head, 256);
    }

    /**
     * A valid-looking PNG whose header announces {@code side}×{@code side} pixels with a tiny body: a decompression
     * bomb if anything decoded it.
     */
    public static byte[] pngBomb(int side) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buf);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(side);
            d.writeInt(side);
            d.writeByte(8); // bit depth
            d.writeByte(2); // truecolour
            d.writeByte(0);
            d.writeByte(0);
            d.writeByte(0);
            chunk(out, "IHDR", ihdr.toByteArray());
            chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
            chunk(out, "IEND", new byte[0]);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    private static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
