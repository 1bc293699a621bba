package org.lepistream.vision.benchmark;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import nu.pattern.OpenCV;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.ImageTensors;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a phone photo costs before the network sees it: decode plus resize to the model's 128 px, for 1, 4 and 12
 * megapixel JPEGs, three ways — ImageIO at full resolution, ImageIO with source subsampling (what the service does:
 * {@link ImageDecoder#decode(byte[], int)}), and libjpeg's DCT-domain scaling (OpenCV's {@code IMREAD_REDUCED_*},
 * which skips most of the inverse DCT instead of dropping pixels after it). The photo is a real one upscaled when
 * {@code -Dlepistream.bench.photo=FILE} is given, else a textured synthetic scene; JPEG quality 0.9, 4:3.
 *
 * <p>Run: {@code docs/experiments/bench-decode.sh} (results in docs/PERFORMANCE.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class PhotoDecodeBenchmark {

    private static final int MODEL_SIDE = 128;

    @Param({"1", "4", "12"})
    public int megapixels;

    private byte[] jpeg;
    private ImageDecoder decoder;

    @Setup
    public void setUp() throws IOException {
        OpenCV.loadLocally();
        int width = (int) Math.round(Math.sqrt(megapixels * 1e6 * 4 / 3));
        int height = width * 3 / 4;
        jpeg = jpeg(scene(width, height), 0.9f);
        decoder = new ImageDecoder(200_000_000L);
        System.out.printf("%n%d MP photo: %d x %d, %.2f MB%n", megapixels, width, height, jpeg.length / 1e6);
    }

    @Benchmark
    public BufferedImage imageIoFullResolution() throws Exception {
        return ImageTensors.resizeAntialiased(decoder.decode(jpeg), MODEL_SIDE);
    }

    @Benchmark
    public BufferedImage imageIoSubsampled() throws Exception {
        return ImageTensors.resizeAntialiased(decoder.decode(jpeg, MODEL_SIDE), MODEL_SIDE);
    }

    @Benchmark
    public BufferedImage libjpegDctScaled() {
        // The largest reduction (1/2, 1/4, 1/8) that keeps the short side at least twice the model's input.
        int shortSide = (int) Math.round(Math.sqrt(megapixels * 1e6 * 3 / 4));
        int flag = shortSide / 8 >= 2 * MODEL_SIDE ? Imgcodecs.IMREAD_REDUCED_COLOR_8
                : shortSide / 4 >= 2 * MODEL_SIDE ? Imgcodecs.IMREAD_REDUCED_COLOR_4
                : shortSide / 2 >= 2 * MODEL_SIDE ? Imgcodecs.IMREAD_REDUCED_COLOR_2 : Imgcodecs.IMREAD_COLOR;
        Mat bgr = Imgcodecs.imdecode(new MatOfByte(jpeg), flag | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
        try {
            BufferedImage img = new BufferedImage(bgr.cols(), bgr.rows(), BufferedImage.TYPE_3BYTE_BGR);
            bgr.get(0, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData());
            return ImageTensors.resizeAntialiased(img, MODEL_SIDE);
        } finally {
            bgr.release();
        }
    }

    private static BufferedImage scene(int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        String photo = System.getProperty("lepistream.bench.photo");
        if (photo != null) {
            g.drawImage(ImageIO.read(Files.newInputStream(Path.of(photo))), 0, 0, width, height, null);
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
        // Sensor-like noise: phone photos compress to 2–5 MB at 12 MP because of it.
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

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] jpeg(BufferedImage img, float quality) throws IOException {
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
}
