package org.lepistream.vision.attention;

import org.lepistream.decision.analysis.AttentionMap;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.lepistream.vision.model.Classifier;

/**
 * Grad-CAM of the predicted species on the classifier's last feature map, the alternative to CBAM's own spatial
 * attention for Over-CAM routing.
 *
 * <p>Grad-CAM weighs feature channel k by α_k = mean over cells of ∂y_c/∂A_k. Our head is global average pooling
 * followed by one linear layer (dropout is the identity at inference), so ∂y_c/∂A_k(i,j) = w_ck / (h·w) at every
 * cell and α_k = w_ck / (h·w) exactly: the map is ReLU(Σ_k w_ck A_k) / (h·w), one forward pass and no backward.
 * {@code GradCamTest} checks this against DJL autograd.
 */
public final class GradCam {
    private GradCam() {
    }

    /**
     * One map per image for class {@code classes[i]} (the predicted species, typically), at the last stage's
     * resolution.
     *
     * @param images normalised batch (N,3,S,S) on {@code manager}'s device
     */
    public static List<AttentionMap> maps(Classifier classifier, NDManager manager, NDArray images, int[] classes) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray features = classifier.features(new ParameterStore(scope, false), images);
            long[] s = features.getShape().getShape();
            return fromFeatures(features.toFloatArray(), (int) s[1], (int) s[2], (int) s[3],
                    classifier.leafWeightRows(), classes);
        }
    }

    /**
     * The maps from a feature map already computed (see {@link Classifier#forwardWithFeatures}), in plain Java so that
     * any engine's output serves: {@code features} holds (N,C,h,w) row-major, {@code leafWeights[c]} the final layer's
     * weights of class c (C floats, {@link Classifier#leafWeightRows}).
     */
    public static List<AttentionMap> fromFeatures(float[] features, int channels, int h, int w, float[][] leafWeights,
            int[] classes) {
        int cells = h * w;
        if (features.length != classes.length * channels * cells) {
            throw new IllegalArgumentException(classes.length + " classes for " + features.length
                    + " feature floats of " + channels + "x" + h + "x" + w);
        }
        List<AttentionMap> out = new ArrayList<>(classes.length);
        for (int i = 0; i < classes.length; i++) {
            float[] weights = leafWeights[classes[i]];
            float[] cam = new float[cells];
            int base = i * channels * cells;
            for (int k = 0; k < channels; k++) {
                float wk = weights[k];
                int at = base + k * cells;
                for (int c = 0; c < cells; c++) {
                    cam[c] += wk * features[at + c];
                }
            }
            for (int c = 0; c < cells; c++) {
                cam[c] = Math.max(0f, cam[c] / cells);
            }
            out.add(new AttentionMap(h, w, cam));
        }
        return out;
    }
}
