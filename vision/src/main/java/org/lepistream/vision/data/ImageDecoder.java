package org.lepistream.vision.data;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.lepistream.vision.data.ImageRejectedException.Reason;

/**
 * Decodes untrusted photo bytes defensively: sniffs the format from magic bytes (JPEG, PNG, WebP, GIF, BMP, TIFF),
 * reads the dimensions from the header and refuses oversized images before any pixel is decoded, and turns every
 * failure into an {@link ImageRejectedException} with a {@link Reason}. Output is always {@code TYPE_INT_RGB}, upright
 * per the JPEG EXIF orientation; of an animated GIF or a multi-page TIFF only the first image is read. Thread-safe (a
 * fresh ImageIO reader per call).
 */
public final class ImageDecoder {
    /** Default pixel limit: 40 MP covers phone photos while bounding memory at ~160 MB per decode. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    private static final Pattern EXTRANEOUS = Pattern.compile("(\\d+) extraneous bytes");

    /** What the header says, without decoding pixels. */
    public record ImageInfo(String format, int width, int height) {
        public long pixels() {
            return (long) width * height;
        }
    }

    private final long maxPixels;

    /** A decoder with {@link #DEFAULT_MAX_PIXELS}. */
    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** A decoder refusing images with more than {@code maxPixels} pixels. */
    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** Decodes a file (read fully; an unreadable file is an IOException, not a rejection). */
    public BufferedImage decode(Path file) throws IOException {
        return decode(Files.readAllBytes(file));
    }

    /** Decodes at full resolution. */
    public BufferedImage decode(byte[] bytes) throws ImageRejectedException {
        return decode(bytes, 0);
    }

    /**
     * Decodes, letting the codec skip pixels when the image is far larger than needed: the result keeps at
     * least {@code 2 * minSide} pixels on its short side (0 = full resolution). Saves most of the time and
     * memory for big phone photos that end up at 128 px anyway.
     */
    public BufferedImage decode(byte[] bytes, int minSide) throws ImageRejectedException {
        return afterHeader(bytes, (reader, format, info, warnings) -> {
            ImageReadParam param = reader.getDefaultReadParam();
            int step = minSide <= 0 ? 1 : Math.max(1, Math.min(info.width(), info.height()) / (2 * minSide));
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage raw = reader.read(0, param);
            failOnDamageWarnings(warnings);
            BufferedImage rgb = toRgb(raw);
            return "jpeg".equals(format) ? ExifOrientation.apply(rgb, ExifOrientation.read(bytes)) : rgb;
        });
    }

    /** Reads only format and dimensions; refuses what {@link #decode} would refuse for its header. */
    public ImageInfo probe(byte[] bytes) throws ImageRejectedException {
        return afterHeader(bytes, (reader, format, info, warnings) -> "jpeg".equals(format)
                && ExifOrientation.read(bytes).swapsAxes() ? new ImageInfo(format, info.height(), info.width()) : info);
    }

    /** What to do with a reader whose header passed {@link #checkHeader}. */
    private interface HeaderChecked<T> {
        T apply(ImageReader reader, String format, ImageInfo info, List<String> warnings) throws IOException;
    }

    /**
     * Sniffs, opens a reader, checks the header and hands over to {@code then}, so decode and probe refuse the same
     * inputs with the same reasons.
     */
    private <T> T afterHeader(byte[] bytes, HeaderChecked<T> then) throws ImageRejectedException {
        String format = sniff(bytes);
        ImageReader reader = readerFor(format);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, message) -> warnings.add(message));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            return then.apply(reader, format, checkHeader(reader, format, warnings), warnings);
        } catch (ImageRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Codecs throw assorted runtime exceptions (array bounds, illegal arguments) on hostile data.
            throw classify(e, warnings, format);
        } finally {
            reader.dispose();
        }
    }

    /** Reads a file's header only. */
    public ImageInfo probe(Path file) throws IOException {
        return probe(Files.readAllBytes(file));
    }

    private ImageInfo checkHeader(ImageReader reader, String format, List<String> warnings)
            throws IOException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException(Reason.OVERSIZED_DIMENSIONS,
                    format + " header claims " + width + "x" + height + " pixels");
        }
        ImageInfo info = new ImageInfo(format, width, height);
        if (info.pixels() > maxPixels) {
            throw new ImageRejectedException(Reason.OVERSIZED_DIMENSIONS, format + " header claims " + width + "x"
                    + height + " = " + info.pixels() + " pixels, limit is " + maxPixels);
        }
        return info;
    }

    /**
     * Identifies the container from its magic bytes and names the ImageIO format that decodes it: JPEG and PNG, and
     * through the TwelveMonkeys plugins (and the JDK's own readers) WebP, GIF (first frame), BMP and TIFF (first page).
     * HEIF/HEIC and AVIF have no decoder on the JVM: they are refused with what the uploader can do instead.
     */
    static String sniff(byte[] b) throws ImageRejectedException {
        if (b == null || b.length == 0) {
            throw new ImageRejectedException(Reason.EMPTY, "no image bytes");
        }
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return "jpeg";
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (startsWith(b, 'G', 'I', 'F', '8')) {
            return "gif";
        }
        if (startsWith(b, 'B', 'M')) {
            return "bmp";
        }
        if (startsWith(b, 'I', 'I', 0x2A, 0x00) || startsWith(b, 'M', 'M', 0x00, 0x2A)) {
            return "tiff";
        }
        if (b.length >= 12 && startsWith(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return "webp";
        }
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, IsoMediaBrand.of(b).advice());
        }
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            head.append(String.format(Locale.ROOT, "%02x", b[i] & 0xFF));
        }
        throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "not an image we can read (" + b.length
                + " bytes starting " + head + "); send JPEG, PNG, WebP, GIF, BMP or TIFF");
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static ImageReader readerFor(String format) throws ImageRejectedException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "no " + format + " codec in this JVM");
        }
        return readers.next();
    }

    /**
     * The JPEG codec decodes damaged data "successfully" (grey below the damage) and only warns. Truncation
     * and premature segment ends are rejected, as are many stray bytes before a marker; a handful of stray
     * bytes (common in camera files) is tolerated. Damage that happens to be valid entropy-coded data cannot
     * be detected by any decoder.
     */
    private static void failOnDamageWarnings(List<String> warnings) throws ImageRejectedException {
        for (String w : warnings) {
            if (isTruncation(w)) {
                throw new ImageRejectedException(Reason.TRUNCATED, "image data ends early (" + w + ")");
            }
        }
        for (String w : warnings) {
            if (w != null && (w.toLowerCase(Locale.ROOT).contains("premature end") || extraneousBytes(w) > 16)) {
                throw new ImageRejectedException(Reason.CORRUPT, "damaged image data (" + w + ")");
            }
        }
    }

    /** A few stray bytes before a marker are common camera padding; hundreds mean the decoder lost sync. */
    private static long extraneousBytes(String warning) {
        Matcher m = EXTRANEOUS.matcher(warning);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static boolean isTruncation(String warning) {
        return warning != null && warning.toLowerCase(Locale.ROOT).contains("truncated");
    }

    private static ImageRejectedException classify(Exception e, List<String> warnings, String format) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return new ImageRejectedException(Reason.TRUNCATED, format + " data ends early: " + e.getMessage(), e);
            }
        }
        if (warnings.stream().anyMatch(ImageDecoder::isTruncation)) {
            return new ImageRejectedException(Reason.TRUNCATED, format + " data ends early: " + e.getMessage(), e);
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("Unsupported Image Type") || msg.contains("Unsupported JPEG process")) {
            return new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, format + " variant not supported: " + msg, e);
        }
        return new ImageRejectedException(Reason.CORRUPT, "cannot decode " + format + ": " + msg, e);
    }

    /** Normalises any decoded type (grey, palette, 16-bit, alpha composited onto black) to INT_RGB. */
    static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
