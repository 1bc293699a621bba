package org.lepistream.vision.benchmark;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Phone-sized JPEGs made from small photos: upscaled (bilinear) to the size asked, sensor-like noise added (phone
 * photos compress to 2–5 MB at 12 MP because of it), JPEG quality 0.9. For benchmarks only; never written into the
 * repository.
 *
 * <p>{@code PhoneSizedPhotos IN_DIR OUT_DIR WIDTH HEIGHT COUNT} writes the first COUNT photos of IN_DIR.
 */
public final class PhoneSizedPhotos {

    private PhoneSizedPhotos() {}

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        int width = Integer.parseInt(args[2]);
        int height = Integer.parseInt(args[3]);
        List<Path> photos;
        try (Stream<Path> files = Files.list(in)) {
            photos = files.filter(p -> p.toString().toLowerCase().matches(".*\\.(jpe?g|png)")).sorted()
                    .limit(Integer.parseInt(args[4])).toList();
        }
        long bytes = 0;
        for (Path p : photos) {
            byte[] jpeg = jpeg(scene(p, width, height), 0.9f);
            String name = p.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".jpg";
            Files.write(out.resolve(name), jpeg);
            bytes += jpeg.length;
        }
        System.out.printf("%d photos of %d x %d, %.2f MB each on average, in %s%n", photos.size(), width, height,
                bytes / 1e6 / Math.max(1, photos.size()), out);
    }

    /** {@code photo} drawn at {@code width} x {@code height} with noise; a textured synthetic scene when null. */
    static BufferedImage scene(Path photo, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (photo != null) {
            g.drawImage(ImageIO.read(Files.newInputStream(photo)), 0, 0, width, height, null);
        } else {
            Random r = new Random(width);
            g.setColor(new Color(70, 120, 55));
            g.fillRect(0, 0, width, height);
            for (int i = 0; i < 400; i++) {
                g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                int w = 1 + r.nextInt(width / 8);
                g.fillOval(r.nextInt(width), r.nextInt(height), w, 1 + r.nextInt(height / 8));
            }
        }
        g.dispose();
        Random noise = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = img.getRGB(x, y);
                int n = noise.nextInt(17) - 8;
                int red = clamp(((rgb >> 16) & 255) + n);
                int green = clamp(((rgb >> 8) & 255) + n);
                int blue = clamp((rgb & 255) + n);
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        return img;
    }

    static byte[] jpeg(BufferedImage img, float quality) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
