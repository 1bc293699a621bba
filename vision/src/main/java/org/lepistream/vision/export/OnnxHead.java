package org.lepistream.vision.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the classifier head's weights back out of an exported {@code classifier.onnx}: Grad-CAM needs the final
 * layer's weights, and reading them here lets a bundle serve on ONNX Runtime without loading its .params into
 * PyTorch. Only the few protobuf fields involved are decoded (the graph's nodes and initializers); everything else is
 * skipped, as protobuf readers do with unknown fields.
 */
public final class OnnxHead {
    private static final int FLOAT = 1;

    private OnnxHead() {
    }

    /**
     * The weights of the graph's last Gemm (our head's Linear, stored (out, in): one row per species).
     *
     * @throws IllegalArgumentException when the bytes are not a model with such a Gemm and a float weight for it
     */
    public static float[][] leafWeights(byte[] model) {
        Reader graph = null;
        for (Reader m = new Reader(model, 0, model.length); m.more(); ) {
            int field = m.tag();
            if (field == 7) {
                graph = m.message();
            } else {
                m.skip();
            }
        }
        if (graph == null) {
            throw new IllegalArgumentException("not an ONNX model: no graph");
        }
        String weight = null;
        Map<String, Reader> initializers = new HashMap<>();
        while (graph.more()) {
            int field = graph.tag();
            if (field == 1) {
                List<String> inputs = new ArrayList<>();
                String op = null;
                for (Reader node = graph.message(); node.more(); ) {
                    int f = node.tag();
                    if (f == 1) {
                        inputs.add(node.string());
                    } else if (f == 4) {
                        op = node.string();
                    } else {
                        node.skip();
                    }
                }
                if ("Gemm".equals(op) && inputs.size() >= 2) {
                    weight = inputs.get(1);
                }
            } else if (field == 5) {
                Reader tensor = graph.message();
                initializers.put(nameOf(tensor.copy()), tensor);
            } else {
                graph.skip();
            }
        }
        if (weight == null || !initializers.containsKey(weight)) {
            throw new IllegalArgumentException("the ONNX graph has no Gemm with an initialised weight");
        }
        return matrix(initializers.get(weight), weight);
    }

    private static String nameOf(Reader tensor) {
        while (tensor.more()) {
            if (tensor.tag() == 8) {
                return tensor.string();
            }
            tensor.skip();
        }
        return "";
    }

    private static float[][] matrix(Reader tensor, String name) {
        List<Long> dims = new ArrayList<>();
        long type = -1;
        byte[] raw = null;
        while (tensor.more()) {
            int f = tensor.tag();
            if (f == 1 && tensor.wire == 0) {
                dims.add(tensor.varint());
            } else if (f == 1 && tensor.wire == 2) {
                for (Reader packed = tensor.message(); packed.more(); ) {
                    dims.add(packed.varint());
                }
            } else if (f == 2) {
                type = tensor.varint();
            } else if (f == 9) {
                raw = tensor.bytes();
            } else {
                tensor.skip();
            }
        }
        if (type != FLOAT || dims.size() != 2 || raw == null
                || raw.length != 4L * dims.get(0) * dims.get(1)) {
            throw new IllegalArgumentException("the head's weight " + name + " is not a raw float matrix (type " + type
                    + ", dims " + dims + ")");
        }
        int rows = Math.toIntExact(dims.get(0));
        int cols = Math.toIntExact(dims.get(1));
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[rows][cols];
        for (float[] row : out) {
            b.asFloatBuffer().get(row);
            b.position(b.position() + 4 * cols);
        }
        return out;
    }

    /** A cursor over one protobuf message's bytes. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int end;
        private int wire;

        Reader(byte[] buf, int from, int end) {
            this.buf = buf;
            this.pos = from;
            this.end = end;
        }

        Reader copy() {
            return new Reader(buf, pos, end);
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            long t = varint();
            wire = (int) (t & 7);
            return (int) (t >>> 3);
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated ONNX protobuf");
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("malformed varint in ONNX protobuf");
        }

        Reader message() {
            int len = length();
            Reader r = new Reader(buf, pos, pos + len);
            pos += len;
            return r;
        }

        byte[] bytes() {
            int len = length();
            byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
            pos += len;
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        void skip() {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire);
            }
        }

        private int length() {
            if (wire != 2) {
                throw new IllegalArgumentException("expected a length-delimited field, wire type " + wire);
            }
            long len = varint();
            if (len < 0 || len > end - pos) {
                throw new IllegalArgumentException("truncated ONNX protobuf");
            }
            return (int) len;
        }

        private void advance(int n) {
            if (n > end - pos) {
                throw new IllegalArgumentException("truncated ONNX protobuf");
            }
            pos += n;
        }
    }
}
