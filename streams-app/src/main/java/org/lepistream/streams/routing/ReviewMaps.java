package org.lepistream.streams.routing;

import java.nio.ByteBuffer;
import org.lepistream.schemas.Heatmap;

/**
 * What an expert is shown beside the photo, as small grids of bytes: the classifier's attention and the segmenter's
 * mask. The console draws them; the stream thread only quantises (drawing and PNG-encoding an overlay cost more
 * than the decision, and the pictures were five times the photo's bytes on the broker).
 */
public final class ReviewMaps {

    private ReviewMaps() {}

    /** The attention map, min–max scaled to 0..255 (what the expert needs is where it looked most, not the scale). */
    public static Heatmap attention(float[] values, int height, int width) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max - min > 1e-6f ? max - min : 1f;
        byte[] q = new byte[height * width];
        for (int i = 0; i < q.length; i++) {
            q[i] = quantise((values[i] - min) / range);
        }
        return grid(height, width, q);
    }

    /** The mask's butterfly probabilities, clamped to [0,1] and scaled to 0..255. */
    public static Heatmap mask(float[] probabilities, int size) {
        byte[] q = new byte[size * size];
        for (int i = 0; i < q.length; i++) {
            q[i] = quantise(probabilities[i]);
        }
        return grid(size, size, q);
    }

    private static byte quantise(float level) {
        return (byte) Math.round(Math.max(0f, Math.min(1f, Float.isNaN(level) ? 0f : level)) * 255f);
    }

    private static Heatmap grid(int height, int width, byte[] values) {
        return Heatmap.newBuilder().setHeight(height).setWidth(width).setValues(ByteBuffer.wrap(values)).build();
    }
}
