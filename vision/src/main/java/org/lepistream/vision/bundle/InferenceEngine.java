package org.lepistream.vision.bundle;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which runtime computes a bundle's networks. PyTorch runs the DJL blocks from the .params files; ONNX Runtime and
 * TensorRT run the bundle's .onnx exports of the same weights (equal to 1e-4, see OnnxEquivalenceTest).
 */
public enum InferenceEngine {
    /** DJL's PyTorch engine (CPU natives from Maven): the reference, and the only one that trains. */
    PYTORCH("PyTorch"),
    /**
     * DJL's ONNX Runtime engine: on the CPU with the onnxruntime jar (1.21.1 natives from Maven), on the GPU when the
     * onnxruntime_gpu jar replaces it and its CUDA provider loads.
     */
    ONNXRUNTIME("OnnxRuntime"),
    /**
     * TensorRT on a GPU: DJL's TensorRT engine (ai.djl.tensorrt:tensorrt, system TensorRT 8.x) when on the class path,
     * else ONNX Runtime's TensorRT execution provider (onnxruntime_gpu and system TensorRT libraries).
     */
    TENSORRT("TensorRT");

    /** Intra-op threads of ONNX Runtime sessions (as ai.djl.pytorch.num_threads is PyTorch's); unset = ORT's default. */
    public static final String ONNXRUNTIME_THREADS_PROPERTY = "lepistream.onnxruntime.threads";

    private final String djlName;

    InferenceEngine(String djlName) {
        this.djlName = djlName;
    }

    /** The engine's name in DJL's engine registry. */
    public String djlName() {
        return djlName;
    }

    /** The configuration spelling: pytorch, onnxruntime, tensorrt. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Why this engine cannot run in this process (its DJL engine is not on the class path), or empty when it can be
     * tried. TensorRT can still fail when its model loads (no GPU, no TensorRT libraries); that error names the bundle.
     */
    public Optional<String> unavailableReason() {
        if (Engine.hasEngine(djlName)) {
            return Optional.empty();
        }
        if (this == TENSORRT && ortProviders().contains(OrtProvider.TENSOR_RT)) {
            return Optional.empty();
        }
        if (this == TENSORRT) {
            return Optional.of("DJL's TensorRT engine (ai.djl.tensorrt:tensorrt) is not on the class path; it needs"
                    + " a CUDA GPU and TensorRT 8.x (libnvinfer, libnvonnxparser) on the host (docs/INFERENCE-ENGINES.md,"
                    + " \"GPU path\"); on a CPU host use engine onnxruntime or pytorch");
        }
        return Optional.of("DJL's " + djlName + " engine is not on the class path");
    }

    /** ONNX Runtime's execution providers in this process (CPU only with the plain onnxruntime jar). */
    static Set<OrtProvider> ortProviders() {
        try {
            return OrtEnvironment.getAvailableProviders();
        } catch (RuntimeException | LinkageError e) {
            return Set.of();
        }
    }

    /**
     * Parses a configuration value, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static InferenceEngine parse(String text) {
        String wanted = text == null ? "" : text.trim();
        for (InferenceEngine e : values()) {
            if (e.configName().equalsIgnoreCase(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown inference engine '" + text + "'; use one of "
                + Arrays.stream(values()).map(InferenceEngine::configName).collect(Collectors.joining(", ")));
    }
}
