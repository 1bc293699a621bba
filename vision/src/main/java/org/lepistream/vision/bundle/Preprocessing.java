package org.lepistream.vision.bundle;

import java.awt.image.BufferedImage;
import java.util.List;
import org.lepistream.vision.data.ImageTensors;

/**
 * How images are turned into network input, recorded in the bundle so a service never feeds a model differently
 * from how it was trained: an optional centre crop, square resize to {@code inputSize}, RGB scaled to [0,1], then
 * (x − mean) / std.
 *
 * @param resampling {@code antialiased} ({@link ImageTensors#resizeAntialiased}, what training's cache uses) or
 *     {@code bilinear} (progressive halving then bilinear: bundles written before the choice was recorded, null)
 * @param centreCrop side of the centred square crop as a share of the photo's sides before resizing (null = 1, none)
 * @param flipAverage whether the classifier's logits are averaged with those of the mirrored photo (null = no)
 * @param mirroredMask whether the segmenter also runs on the mirrored photo and the two masks are averaged (null =
 *     yes, as bundles did before the choice was recorded; new bundles say no: the second pass costs a third of the
 *     service's compute for +0.008 IoU)
 */
public record Preprocessing(int inputSize, List<Double> mean, List<Double> std, String resampling, Double centreCrop,
        Boolean flipAverage, Boolean mirroredMask) {
    public static final String ANTIALIASED = "antialiased";
    public static final String BILINEAR = "bilinear";

    public Preprocessing {
        mean = mean == null ? null : List.copyOf(mean);
        std = std == null ? null : List.copyOf(std);
        if (inputSize < 1 || mean == null || mean.size() != 3 || std == null || std.size() != 3
                || std.stream().anyMatch(s -> !(s > 0))) {
            throw new IllegalArgumentException("preprocessing needs inputSize ≥ 1 and 3 means and 3 positive stds, got "
                    + inputSize + ", " + mean + ", " + std);
        }
        if (resampling != null && !resampling.equals(ANTIALIASED) && !resampling.equals(BILINEAR)) {
            throw new IllegalArgumentException("resampling must be " + ANTIALIASED + " or " + BILINEAR + ", got "
                    + resampling);
        }
        if (centreCrop != null && !(centreCrop > 0 && centreCrop <= 1)) {
            throw new IllegalArgumentException("centre crop must be in (0, 1], got " + centreCrop);
        }
    }

    /** The photo as the network takes it: cropped, resized, as normalised CHW floats. */
    public float[] toChw(BufferedImage photo) {
        return ImageTensors.toChw(resize(photo), inputSize);
    }

    /** The photo cropped and resized to inputSize×inputSize by this preprocessing's resampling. */
    public BufferedImage resize(BufferedImage photo) {
        BufferedImage cropped = crop(photo);
        return ANTIALIASED.equals(resampling) ? ImageTensors.resizeAntialiased(cropped, inputSize)
                : ImageTensors.resize(cropped, inputSize);
    }

    /** The centre crop alone (the photo itself without one): hand masks are cropped like their photos. */
    public BufferedImage crop(BufferedImage photo) {
        if (centreCrop == null || centreCrop >= 1) {
            return photo;
        }
        int cw = Math.max(1, (int) Math.round(photo.getWidth() * centreCrop));
        int ch = Math.max(1, (int) Math.round(photo.getHeight() * centreCrop));
        return photo.getSubimage((photo.getWidth() - cw) / 2, (photo.getHeight() - ch) / 2, cw, ch);
    }

    public boolean flipAveraged() {
        return Boolean.TRUE.equals(flipAverage);
    }

    public boolean mirroredMasks() {
        return !Boolean.FALSE.equals(mirroredMask);
    }

    /** The same with the segmenter's mirrored pass on or off (null = as before the choice was recorded: on). */
    public Preprocessing withMirroredMask(Boolean mirrored) {
        return new Preprocessing(inputSize, mean, std, resampling, centreCrop, flipAverage, mirrored);
    }

    /** The same crop and resampling at another side (the segmenter's input), without flip averaging. */
    public Preprocessing atSize(int side) {
        return new Preprocessing(side, mean, std, resampling, centreCrop, null, mirroredMask);
    }

    /** The same with other inference options (evaluate measures each on and off on one trained model). */
    public Preprocessing with(String resampling, Double centreCrop, Boolean flipAverage) {
        return new Preprocessing(inputSize, mean, std, resampling, centreCrop, flipAverage, mirroredMask);
    }

    /** This build's normalisation ({@link ImageTensors#MEAN}, {@link ImageTensors#STD}) at the given size. */
    public static Preprocessing imageNet(int inputSize) {
        return new Preprocessing(inputSize, doubles(ImageTensors.MEAN), doubles(ImageTensors.STD), ANTIALIASED, null,
                null, false);
    }

    /** Whether this build's {@link ImageTensors} produces exactly this normalisation. */
    public boolean matchesThisBuild() {
        return close(mean, ImageTensors.MEAN) && close(std, ImageTensors.STD);
    }

    private static boolean close(List<Double> values, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(values.get(i) - expected[i]) > 1e-6) {
                return false;
            }
        }
        return true;
    }

    /** Via the float's shortest decimal form, so bundle.json says 0.485 rather than 0.48500001430511475. */
    private static List<Double> doubles(float[] values) {
        return List.of(decimal(values[0]), decimal(values[1]), decimal(values[2]));
    }

    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }
}
