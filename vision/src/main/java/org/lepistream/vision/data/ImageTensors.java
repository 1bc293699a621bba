package org.lepistream.vision.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.Arrays;
import java.util.List;

/**
 * Converts images and masks to the float layouts the networks eat: CHW, RGB, ImageNet-normalised images
 * and {0,1} masks, both square. Training, evaluation and the streaming service all go through here so the
 * preprocessing can never drift between them.
 */
public final class ImageTensors {
    /** ImageNet per-channel mean (RGB) of pixel values scaled to [0,1]. */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet per-channel standard deviation (RGB). */
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private ImageTensors() {
    }

    /** Resizes to size×size (bilinear, aspect not kept) and returns normalised CHW floats (length 3·size²). */
    public static float[] toChw(BufferedImage img, int size) {
        BufferedImage square = resize(img, size);
        int[] argb = rgb(square);
        int plane = size * size;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            chw[i] = (((p >> 16) & 0xFF) / 255f - MEAN[0]) / STD[0];
            chw[plane + i] = (((p >> 8) & 0xFF) / 255f - MEAN[1]) / STD[1];
            chw[2 * plane + i] = ((p & 0xFF) / 255f - MEAN[2]) / STD[2];
        }
        return chw;
    }

    /** Inverse of {@link #toChw} (for previews and background-swap pictures); values are clamped to 0..255. */
    public static BufferedImage fromChw(float[] chw, int size) {
        int plane = size * size;
        if (chw.length != 3 * plane) {
            throw new IllegalArgumentException("expected " + 3 * plane + " floats for 3x" + size + "x" + size
                    + ", got " + chw.length);
        }
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = denormalise(chw[i], 0);
            int g = denormalise(chw[plane + i], 1);
            int b = denormalise(chw[2 * plane + i], 2);
            rgb[i] = r << 16 | g << 8 | b;
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, size, size, rgb, 0, size);
        return img;
    }

    private static int denormalise(float v, int channel) {
        return Math.max(0, Math.min(255, Math.round((v * STD[channel] + MEAN[channel]) * 255f)));
    }

    /**
     * Resizes a mask to size×size and thresholds it: a pixel is 1 where the bilinearly resampled
     * brightness is at least half (so thin borders neither grow nor shrink on average), else 0.
     */
    public static float[] maskToArray(BufferedImage mask, int size) {
        BufferedImage square = resize(mask, size);
        int[] argb = square.getRGB(0, 0, size, size, null, 0, size);
        float[] out = new float[size * size];
        for (int i = 0; i < out.length; i++) {
            out[i] = luminance(argb[i]) >= 128 ? 1f : 0f;
        }
        return out;
    }

    /** The shape of a batch of {@code batchSize} CHW RGB images of side {@code size}: (N,3,size,size). */
    public static Shape imageBatchShape(long batchSize, int size) {
        return new Shape(batchSize, 3, size, size);
    }

    /**
     * Fails with a message naming {@code network} unless {@code s} is a batch of CHW RGB images of side {@code size};
     * a wrong input shape otherwise surfaces deep inside the engine as an unreadable error.
     */
    public static void requireImageBatch(Shape s, int size, String network) {
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != size || s.get(3) != size) {
            throw new IllegalArgumentException(network + " expects images (N,3," + size + "," + size + "), got " + s);
        }
    }

    /** Stacks equally-long float arrays into one NDArray of shape (N, shape…) owned by {@code manager}. */
    public static NDArray batch(NDManager manager, List<float[]> items, long... shape) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("cannot batch zero items");
        }
        Shape itemShape = new Shape(shape);
        long per = itemShape.size();
        if (per <= 0) {
            throw new IllegalArgumentException("item shape must be positive, got " + itemShape);
        }
        float[] all = new float[Math.toIntExact(per * items.size())];
        for (int i = 0; i < items.size(); i++) {
            float[] item = items.get(i);
            if (item.length != per) {
                throw new IllegalArgumentException("item " + i + " has " + item.length + " floats, shape " + itemShape
                        + " needs " + per);
            }
            System.arraycopy(item, 0, all, (int) (i * per), item.length);
        }
        return manager.create(all, new Shape(items.size()).addAll(itemShape));
    }

    /** Bilinear resize to size×size RGB; returns the image itself if it already is that (as INT_RGB). */
    public static BufferedImage resize(BufferedImage img, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (img.getWidth() == size && img.getHeight() == size && img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            boolean shrinking = img.getWidth() > size || img.getHeight() > size;
            // Plain bilinear aliases badly when shrinking a lot; progressive halving keeps thin details.
            BufferedImage src = shrinking ? halveTowards(img, size) : img;
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Antialiased resize to size×size RGB: when shrinking, each output pixel is a triangle-filtered average over the
     * source pixels it covers (filter support scaled with the shrink factor, as image libraries' "antialias"
     * resampling does), separably in x then y; when enlarging, plain bilinear. Training's cache and inference use
     * this one path, so a model sees photos resampled the same way in both.
     */
    public static BufferedImage resizeAntialiased(BufferedImage img, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if (w == size && h == size && img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        float[][] rows = resample(split(rgb(img)), w, h, size, true);
        float[][] both = resample(rows, size, h, size, false);
        BufferedImage result = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        // Written straight into the new image's pixels: setRGB converts each one through the colour model.
        int[] out = ((DataBufferInt) result.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < out.length; i++) {
            out[i] = (channel(both[0][i]) << 16) | (channel(both[1][i]) << 8) | channel(both[2][i]);
        }
        return result;
    }

    /**
     * The image's pixels as 0xRRGGBB (the alpha byte is not defined), row by row: what {@code getRGB} returns for the
     * low 24 bits. Decoded JPEGs (3-byte BGR) and our own INT_RGB images are read straight from their pixel arrays;
     * {@code getRGB} converts each pixel through the colour model, and in a profile of the service it was a fifth of
     * the resize's time. Any other layout goes through {@code getRGB}.
     */
    static int[] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        boolean whole = raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && raster.getWidth() == w && raster.getHeight() == h;
        if (whole && img.getType() == BufferedImage.TYPE_INT_RGB
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm && sm.getScanlineStride() == w
                && raster.getDataBuffer() instanceof DataBufferInt ints && ints.getNumBanks() == 1
                && ints.getOffset() == 0 && ints.getData().length == w * h) {
            return ints.getData().clone();
        }
        if (whole && img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm && sm.getPixelStride() == 3
                && sm.getScanlineStride() == 3 * w && Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})
                && raster.getDataBuffer() instanceof DataBufferByte bytes && bytes.getNumBanks() == 1
                && bytes.getOffset() == 0 && bytes.getData().length == 3 * w * h) {
            byte[] b = bytes.getData();
            int[] out = new int[w * h];
            for (int i = 0, j = 0; i < out.length; i++, j += 3) {
                out[i] = ((b[j + 2] & 0xFF) << 16) | ((b[j + 1] & 0xFF) << 8) | (b[j] & 0xFF);
            }
            return out;
        }
        return img.getRGB(0, 0, w, h, null, 0, w);
    }

    private static float[][] split(int[] rgb) {
        float[][] c = new float[3][rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            c[0][i] = (rgb[i] >> 16) & 0xFF;
            c[1][i] = (rgb[i] >> 8) & 0xFF;
            c[2][i] = rgb[i] & 0xFF;
        }
        return c;
    }

    /**
     * One separable pass: along x ({@code horizontal}) from w to {@code to} columns, or along y from h to rows. The
     * taps of each output line are computed once; the vertical pass then sweeps whole rows (contiguous memory) and
     * the horizontal pass whole taps, summing in the same order as one tap at a time would, so results are
     * bit-identical to the straightforward loop, at a fraction of its cache misses.
     */
    private static float[][] resample(float[][] in, int w, int h, int to, boolean horizontal) {
        int from = horizontal ? w : h;
        double scale = (double) from / to;
        double support = Math.max(1.0, scale); // the tent's half-width in source pixels
        int ow = horizontal ? to : w;
        int oh = horizontal ? h : to;
        int[] firsts = new int[to];
        double[][] taps = new double[to][];
        double[] totals = new double[to];
        for (int o = 0; o < to; o++) {
            double centre = (o + 0.5) * scale;
            int first = Math.max(0, (int) Math.floor(centre - support));
            int last = Math.min(from - 1, (int) Math.ceil(centre + support));
            double[] weights = new double[last - first + 1];
            double total = 0;
            for (int k = first; k <= last; k++) {
                double wgt = Math.max(0, 1 - Math.abs(k + 0.5 - centre) / support);
                weights[k - first] = wgt;
                total += wgt;
            }
            if (total == 0) {
                weights = new double[] {1};
                first = Math.min(from - 1, Math.max(0, (int) centre));
                total = 1;
            }
            firsts[o] = first;
            taps[o] = weights;
            totals[o] = total;
        }
        float[][] out = new float[3][ow * oh];
        if (horizontal) {
            for (int c = 0; c < 3; c++) {
                float[] src = in[c];
                float[] dst = out[c];
                for (int line = 0; line < h; line++) {
                    int row = line * w;
                    for (int o = 0; o < to; o++) {
                        double[] weights = taps[o];
                        int base = row + firsts[o];
                        double acc = 0;
                        for (int k = 0; k < weights.length; k++) {
                            acc += weights[k] * src[base + k];
                        }
                        dst[line * ow + o] = (float) (acc / totals[o]);
                    }
                }
            }
        } else {
            double[] acc = new double[w];
            for (int c = 0; c < 3; c++) {
                float[] src = in[c];
                float[] dst = out[c];
                for (int o = 0; o < to; o++) {
                    Arrays.fill(acc, 0);
                    double[] weights = taps[o];
                    for (int k = 0; k < weights.length; k++) {
                        double wk = weights[k];
                        int row = (firsts[o] + k) * w;
                        for (int x = 0; x < w; x++) {
                            acc[x] += wk * src[row + x];
                        }
                    }
                    double total = totals[o];
                    int outRow = o * ow;
                    for (int x = 0; x < w; x++) {
                        dst[outRow + x] = (float) (acc[x] / total);
                    }
                }
            }
        }
        return out;
    }

    private static int channel(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }

    private static BufferedImage halveTowards(BufferedImage img, int size) {
        BufferedImage cur = img;
        while (cur.getWidth() >= 2 * size && cur.getHeight() >= 2 * size) {
            int w = cur.getWidth() / 2;
            int h = cur.getHeight() / 2;
            BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(cur, 0, 0, w, h, null);
            g.dispose();
            cur = next;
        }
        return cur;
    }

    static int luminance(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return (r * 299 + g * 587 + b * 114) / 1000;
    }
}
