package org.lepistream.vision.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph under construction: initializers (weights), nodes in topological order, typed inputs and outputs,
 * serialised as a ModelProto. Every value is FLOAT32 except shape/axes constants (INT64).
 */
final class OnnxGraph {
    /** Opset 17: ReduceMax/ReduceMean still take axes as an attribute, and TensorRT 8.6's parser reads it. */
    static final long OPSET = 17;
    /** IR version 8 is the one that goes with opset 17. */
    static final long IR_VERSION = 8;
    /** Symbolic batch dimension of inputs and outputs, so one file serves every batch size. */
    static final long BATCH = -1;

    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    /** One attribute of a node (AttributeProto). */
    record Attribute(ProtoWriter proto) {
        static Attribute ints(String name, long... values) {
            ProtoWriter p = new ProtoWriter().string(1, name).varint(20, 7);
            for (long v : values) {
                p.varint(8, v);
            }
            return new Attribute(p);
        }

        static Attribute integer(String name, long value) {
            return new Attribute(new ProtoWriter().string(1, name).varint(20, 2).varint(3, value));
        }

        static Attribute real(String name, float value) {
            return new Attribute(new ProtoWriter().string(1, name).varint(20, 1).float32(2, value));
        }

        static Attribute text(String name, String value) {
            return new Attribute(new ProtoWriter().string(1, name).varint(20, 3).string(4, value));
        }
    }

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int counter;

    OnnxGraph(String name) {
        this.name = name;
    }

    /** A FLOAT32 weight tensor, row-major. */
    String weight(String hint, long[] dims, float[] values) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalStateException(hint + ": " + values.length + " values for dims " + List.of(dims));
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor(hint, dims, FLOAT, raw.array());
    }

    /** A 1-D INT64 constant (shapes, axes). */
    String int64s(String hint, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return tensor(hint, new long[] {values.length}, INT64, raw.array());
    }

    /** A 1-D FLOAT32 constant (e.g. Resize scales). */
    String floats(String hint, float... values) {
        return weight(hint, new long[] {values.length}, values);
    }

    private String tensor(String hint, long[] dims, int type, byte[] raw) {
        String id = fresh(hint);
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, type).string(8, id).bytes(9, raw);
        initializers.add(t);
        return id;
    }

    /** Adds a node with one output and returns that output's name; an empty input name is an omitted input. */
    String node(String op, List<String> in, Attribute... attributes) {
        String out = fresh(op.toLowerCase());
        nodeWithOutput(op, in, out, attributes);
        return out;
    }

    /** Adds a node writing a named value (used for graph outputs). */
    void nodeWithOutput(String op, List<String> in, String out, Attribute... attributes) {
        names.add(out);
        ProtoWriter n = new ProtoWriter();
        for (String i : in) {
            n.string(1, i);
        }
        n.string(2, out).string(3, out + "_node").string(4, op);
        for (Attribute a : attributes) {
            n.message(5, a.proto());
        }
        nodes.add(n);
    }

    /** Declares a graph input; {@link #BATCH} marks the symbolic batch dimension. */
    void input(String id, long... dims) {
        if (!names.add(id)) {
            throw new IllegalStateException("duplicate value name " + id);
        }
        inputs.add(valueInfo(id, dims));
    }

    /** Declares a graph output (a value some node writes). */
    void output(String id, long... dims) {
        outputs.add(valueInfo(id, dims));
    }

    private static ProtoWriter valueInfo(String id, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) {
            shape.message(1, d == BATCH ? new ProtoWriter().string(2, "N") : new ProtoWriter().varint(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        return new ProtoWriter().string(1, id).message(2, new ProtoWriter().message(1, tensorType));
    }

    private String fresh(String hint) {
        String id;
        do {
            id = hint + "_" + counter++;
        } while (names.contains(id));
        names.add(id);
        return id;
    }

    /** The serialised ModelProto, with {@code metadata} as metadata_props. */
    byte[] toModel(String producer, String producerVersion, Map<String, String> metadata) {
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter n : nodes) {
            graph.message(1, n);
        }
        graph.string(2, name);
        for (ProtoWriter t : initializers) {
            graph.message(5, t);
        }
        for (ProtoWriter i : inputs) {
            graph.message(11, i);
        }
        for (ProtoWriter o : outputs) {
            graph.message(12, o);
        }
        ProtoWriter model = new ProtoWriter().varint(1, IR_VERSION).string(2, producer).string(3, producerVersion);
        model.message(7, graph);
        model.message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
        metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
        return model.toByteArray();
    }
}
