package org.lepistream.vision.data;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Paper-style joint augmentation of an (image, mask) pair: random resized crop, horizontal flip and small
 * rotation applied as ONE geometric transform to both (so the mask keeps covering the butterfly and the
 * guided-attention loss stays truthful), then colour jitter on the image only. All randomness comes from
 * the caller's {@link Random}, so a seeded run is reproducible. Stateless and thread-safe.
 */
public final class Augmenter {

    /**
     * Augmentation strengths. Crop area is the fraction of the source kept (then rescaled to the output
     * size); aspect is the crop's width/height range; jitter values are ± fractions (0.2 = ×0.8…1.2);
     * {@code channelSwap} is the probability that the image's red, green and blue trade places (one of the five other
     * orders, at random): a hue change so large that a segmenter cannot learn "orange on green" instead of a shape.
     */
    public record Options(double maxRotationDegrees, boolean horizontalFlip, double minCropArea, double maxCropArea,
            double minAspect, double maxAspect, double brightness, double contrast, double saturation,
            double channelSwap) {
        public Options {
            if (!(channelSwap >= 0 && channelSwap <= 1)) {
                throw new IllegalArgumentException("channelSwap must be a probability in [0,1], got " + channelSwap);
            }
            if (maxRotationDegrees < 0 || maxRotationDegrees > 180) {
                throw new IllegalArgumentException("maxRotationDegrees must be in [0,180], got " + maxRotationDegrees);
            }
            if (!(minCropArea > 0 && minCropArea <= maxCropArea && maxCropArea <= 1)) {
                throw new IllegalArgumentException("need 0 < minCropArea <= maxCropArea <= 1, got "
                        + minCropArea + ".." + maxCropArea);
            }
            if (!(minAspect > 0 && minAspect <= maxAspect)) {
                throw new IllegalArgumentException("need 0 < minAspect <= maxAspect, got " + minAspect + ".." + maxAspect);
            }
            if (brightness < 0 || brightness >= 1 || contrast < 0 || contrast >= 1 || saturation < 0 || saturation >= 1) {
                throw new IllegalArgumentException("jitter strengths must be in [0,1)");
            }
        }

        /** The paper's recipe: ±15°, flip, crop area 0.6–1.0 with aspect 3/4–4/3, ±20% colour jitter. */
        public static Options paper() {
            return new Options(15, true, 0.6, 1.0, 3.0 / 4, 4.0 / 3, 0.2, 0.2, 0.2, 0);
        }

        /** These options with colour channels swapped on a share {@code p} of the images. */
        public Options withChannelSwap(double p) {
            return new Options(maxRotationDegrees, horizontalFlip, minCropArea, maxCropArea, minAspect, maxAspect,
                    brightness, contrast, saturation, p);
        }

        /** No augmentation: the output is the input resized (use for validation through the same code path). */
        public static Options none() {
            return new Options(0, false, 1, 1, 1, 1, 0, 0, 0, 0);
        }
    }

    /** An augmented pair; {@code mask} is null when no mask was given (white = butterfly, black = background). */
    public record Augmented(BufferedImage image, BufferedImage mask) {
    }

    private final Options options;

    public Augmenter(Options options) {
        this.options = options;
    }

    /** An augmenter with {@link Options#paper()}. */
    public Augmenter() {
        this(Options.paper());
    }

    public Options options() {
        return options;
    }

    /**
     * Augments one pair into size×size outputs. The mask may be null, or a different resolution from the
     * image (its coordinates are scaled to the image's).
     */
    public Augmented apply(BufferedImage image, BufferedImage mask, int size, Random random) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        double[] crop = randomCrop(w, h, random);
        boolean flip = options.horizontalFlip() && random.nextBoolean();
        double angle = Math.toRadians((random.nextDouble() * 2 - 1) * options.maxRotationDegrees());
        double brightness = 1 + (random.nextDouble() * 2 - 1) * options.brightness();
        double contrast = 1 + (random.nextDouble() * 2 - 1) * options.contrast();
        double saturation = 1 + (random.nextDouble() * 2 - 1) * options.saturation();

        // Inverse mapping: for each output pixel centre, undo rotation (about the centre), then flip, then
        // the crop-rescale, giving a source position. Both outputs use the very same mapping.
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double half = size / 2.0;
        double sx = crop[2] / size;
        double sy = crop[3] / size;
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int[] out = new int[size * size];
        boolean[] srcMask = mask == null ? null : maskBits(mask);
        int mw = mask == null ? 0 : mask.getWidth();
        int mh = mask == null ? 0 : mask.getHeight();
        int[] outMask = mask == null ? null : new int[size * size];
        for (int v = 0; v < size; v++) {
            for (int u = 0; u < size; u++) {
                double dx = u + 0.5 - half;
                double dy = v + 0.5 - half;
                double x = cos * dx + sin * dy + half;
                double y = -sin * dx + cos * dy + half;
                if (flip) {
                    x = size - x;
                }
                double px = crop[0] + x * sx;
                double py = crop[1] + y * sy;
                out[v * size + u] = bilinear(src, w, h, px - 0.5, py - 0.5);
                if (outMask != null) {
                    int mx = clamp((int) Math.floor(px * mw / w), mw);
                    int my = clamp((int) Math.floor(py * mh / h), mh);
                    outMask[v * size + u] = srcMask[my * mw + mx] ? 0xFFFFFF : 0;
                }
            }
        }
        jitter(out, brightness, contrast, saturation);
        // Drawn only when asked for, so the classifier's seeded augmentation stays what it was.
        if (options.channelSwap() > 0 && random.nextDouble() < options.channelSwap()) {
            swapChannels(out, 1 + random.nextInt(5));
        }
        return new Augmented(rgbImage(out, size), outMask == null ? null : rgbImage(outMask, size));
    }

    /** Random resized crop {x, y, width, height} in source pixels, falling back to the whole image. */
    private double[] randomCrop(int w, int h, Random random) {
        double area = (double) w * h;
        double logMin = Math.log(options.minAspect());
        double logMax = Math.log(options.maxAspect());
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (options.minCropArea()
                    + random.nextDouble() * (options.maxCropArea() - options.minCropArea()));
            double aspect = Math.exp(logMin + random.nextDouble() * (logMax - logMin));
            double cw = Math.sqrt(target * aspect);
            double ch = Math.sqrt(target / aspect);
            if (cw <= w && ch <= h) {
                return new double[] {random.nextDouble() * (w - cw), random.nextDouble() * (h - ch), cw, ch};
            }
        }
        return new double[] {0, 0, w, h};
    }

    private static boolean[] maskBits(BufferedImage mask) {
        int mw = mask.getWidth();
        int mh = mask.getHeight();
        int[] px = mask.getRGB(0, 0, mw, mh, null, 0, mw);
        boolean[] bits = new boolean[px.length];
        for (int i = 0; i < px.length; i++) {
            bits[i] = ImageTensors.luminance(px[i]) >= 128;
        }
        return bits;
    }

    /** Bilinear sample with edge clamping (outside pixels repeat the border instead of turning black). */
    private static int bilinear(int[] src, int w, int h, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        int xa = clamp(x0, w);
        int xb = clamp(x0 + 1, w);
        int ya = clamp(y0, h);
        int yb = clamp(y0 + 1, h);
        int p00 = src[ya * w + xa];
        int p10 = src[ya * w + xb];
        int p01 = src[yb * w + xa];
        int p11 = src[yb * w + xb];
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double top = ((p00 >> shift) & 0xFF) * (1 - fx) + ((p10 >> shift) & 0xFF) * fx;
            double bottom = ((p01 >> shift) & 0xFF) * (1 - fx) + ((p11 >> shift) & 0xFF) * fx;
            rgb |= ((int) Math.round(top * (1 - fy) + bottom * fy)) << shift;
        }
        return rgb;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }

    /** Channel orders other than RGB itself, by index 1..5: where red, green and blue are read from. */
    private static final int[][] ORDERS = {{16, 8, 0}, {16, 0, 8}, {8, 16, 0}, {8, 0, 16}, {0, 16, 8}, {0, 8, 16}};

    private static void swapChannels(int[] px, int order) {
        int[] from = ORDERS[order];
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            px[i] = ((p >> from[0]) & 0xFF) << 16 | ((p >> from[1]) & 0xFF) << 8 | ((p >> from[2]) & 0xFF);
        }
    }

    /** Brightness, contrast (around the image's mean grey), then saturation (around each pixel's grey). */
    private static void jitter(int[] px, double brightness, double contrast, double saturation) {
        if (brightness == 1 && contrast == 1 && saturation == 1) {
            return;
        }
        double meanGrey = 0;
        for (int p : px) {
            meanGrey += grey(p);
        }
        meanGrey = meanGrey * brightness / px.length;
        for (int i = 0; i < px.length; i++) {
            double r = ((px[i] >> 16) & 0xFF) * brightness;
            double g = ((px[i] >> 8) & 0xFF) * brightness;
            double b = (px[i] & 0xFF) * brightness;
            r = (r - meanGrey) * contrast + meanGrey;
            g = (g - meanGrey) * contrast + meanGrey;
            b = (b - meanGrey) * contrast + meanGrey;
            double y = 0.299 * r + 0.587 * g + 0.114 * b;
            r = y + (r - y) * saturation;
            g = y + (g - y) * saturation;
            b = y + (b - y) * saturation;
            px[i] = channel(r) << 16 | channel(g) << 8 | channel(b);
        }
    }

    private static double grey(int p) {
        return 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static BufferedImage rgbImage(int[] px, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, size, size, px, 0, size);
        return img;
    }
}
