package org.lepistream.vision.bundle;

import java.util.List;
import org.lepistream.vision.data.ImageTensors;

/**
 * How images are turned into network input, recorded in the bundle so a service never feeds a model differently
 * from how it was trained: square resize to {@code inputSize}, RGB scaled to [0,1], then (x − mean) / std.
 */
public record Preprocessing(int inputSize, List<Double> mean, List<Double> std) {

    public Preprocessing {
        mean = mean == null ? null : List.copyOf(mean);
        std = std == null ? null : List.copyOf(std);
        if (inputSize < 1 || mean == null || mean.size() != 3 || std == null || std.size() != 3
                || std.stream().anyMatch(s -> !(s > 0))) {
            throw new IllegalArgumentException("preprocessing needs inputSize ≥ 1 and 3 means and 3 positive stds, got "
                    + inputSize + ", " + mean + ", " + std);
        }
    }

    /** This build's normalisation ({@link ImageTensors#MEAN}, {@link ImageTensors#STD}) at the given size. */
    public static Preprocessing imageNet(int inputSize) {
        return new Preprocessing(inputSize, doubles(ImageTensors.MEAN), doubles(ImageTensors.STD));
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
