package org.lepistream.vision.benchmark;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
        String photo = System.getProperty("lepistream.bench.photo");
        jpeg = PhoneSizedPhotos.jpeg(PhoneSizedPhotos.scene(photo == null ? null : Path.of(photo), width, height),
                0.9f);
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
}
