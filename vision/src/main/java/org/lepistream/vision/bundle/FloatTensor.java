package org.lepistream.vision.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * A batch-first float tensor in row-major order: what an {@link Identifier} hands to an engine and gets back. Plain
 * Java rather than an NDArray, so that serving on ONNX Runtime runs no PyTorch operator per batch (a second thread
 * pool in the process, and a copy in and out of it for every array).
 */
record FloatTensor(float[] data, long[] shape) {

    FloatTensor {
        if (shape.length == 0 || shape[0] <= 0) {
            throw new IllegalArgumentException("a tensor needs a batch axis, got " + Arrays.toString(shape));
        }
        long size = 1;
        for (long s : shape) {
            size *= s;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(data.length + " floats for shape " + Arrays.toString(shape));
        }
    }

    /** Stacks equally long items into one tensor (N, item…). */
    static FloatTensor stack(List<float[]> items, long... item) {
        long[] shape = new long[item.length + 1];
        shape[0] = items.size();
        System.arraycopy(item, 0, shape, 1, item.length);
        int per = Math.toIntExact(Arrays.stream(item).reduce(1, (a, b) -> a * b));
        float[] all = new float[per * items.size()];
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).length != per) {
                throw new IllegalArgumentException("item " + i + " has " + items.get(i).length + " floats, "
                        + per + " expected");
            }
            System.arraycopy(items.get(i), 0, all, i * per, per);
        }
        return new FloatTensor(all, shape);
    }

    /** A copy of an engine's array. */
    static FloatTensor of(NDArray array) {
        return new FloatTensor(array.toFloatArray(), array.getShape().getShape());
    }

    /** This tensor as an array of {@code manager} (for the engines that take NDArrays). */
    NDArray on(NDManager manager) {
        return manager.create(data, new Shape(shape));
    }

    int batch() {
        return (int) shape[0];
    }

    /** Floats per batch item. */
    int perItem() {
        return data.length / batch();
    }

    /** Item {@code i}'s floats, copied. */
    float[] item(int i) {
        int per = perItem();
        return Arrays.copyOfRange(data, i * per, (i + 1) * per);
    }

    /** The given items, in that order (this tensor itself when they are all of it, in order). */
    FloatTensor rows(List<Integer> rows) {
        boolean all = rows.size() == batch();
        for (int i = 0; all && i < rows.size(); i++) {
            all = rows.get(i) == i;
        }
        if (all) {
            return this;
        }
        int per = perItem();
        float[] out = new float[per * rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            System.arraycopy(data, rows.get(k) * per, out, k * per, per);
        }
        long[] s = shape.clone();
        s[0] = rows.size();
        return new FloatTensor(out, s);
    }

    /** Mirrored along the last axis (left–right for images and maps). */
    FloatTensor mirrored() {
        int w = (int) shape[shape.length - 1];
        float[] out = new float[data.length];
        for (int row = 0; row < data.length; row += w) {
            for (int x = 0; x < w; x++) {
                out[row + x] = data[row + w - 1 - x];
            }
        }
        return new FloatTensor(out, shape);
    }

    /** The element-wise mean of this tensor and another of the same shape. */
    FloatTensor averagedWith(FloatTensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(Arrays.toString(shape) + " vs " + Arrays.toString(other.shape));
        }
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (data[i] + other.data[i]) / 2;
        }
        return new FloatTensor(out, shape);
    }
}
