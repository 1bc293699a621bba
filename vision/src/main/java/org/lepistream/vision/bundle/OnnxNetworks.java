package org.lepistream.vision.bundle;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.engine.Engine;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.lepistream.vision.export.OnnxExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bundle's ONNX exports on ONNX Runtime or TensorRT (through DJL's engine registry). Inputs are copied from the
 * caller's PyTorch array and outputs copied back, so the Identifier's post-processing stays engine-neutral; the copies
 * are small next to the convolutions (measured in docs/PERFORMANCE.md with them included).
 */
final class OnnxNetworks implements Networks {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxNetworks.class);

    private final Model classifier;
    private final Model segmenter;
    private final int attentionMaps;
    private final OrtSession.SessionOptions options;

    private OnnxNetworks(Model classifier, Model segmenter, int attentionMaps, OrtSession.SessionOptions options) {
        this.classifier = classifier;
        this.segmenter = segmenter;
        this.attentionMaps = attentionMaps;
        this.options = options;
    }

    /**
     * Opens the bundle's .onnx files on {@code engine}; a bundle saved before ONNX export existed is exported from its
     * loaded blocks in memory (the same bytes save would have written).
     *
     * @param dir the bundle directory, or null for a bundle that was never saved
     * @throws BundleException when the engine is not available here, or a file is corrupt or cannot be loaded
     */
    static OnnxNetworks open(InferenceEngine engine, ModelBundle bundle, Path dir, String where) {
        engine.unavailableReason().ifPresent(why -> {
            throw new BundleException("inference engine " + engine.configName() + " is not available in this process: "
                    + why);
        });
        Plan plan = Plan.of(engine);
        OrtSession.SessionOptions options = plan.onOrt() ? sessionOptions() : null;
        Model classifier = null;
        try {
            classifier = load(plan, options, "classifier", bytes(bundle, dir, OnnxExport.CLASSIFIER_FILE,
                    () -> OnnxExport.classifier(bundle.classifier()), where), where);
            Model segmenter = null;
            if (bundle.segmenter().isPresent()) {
                segmenter = load(plan, options, "segmenter", bytes(bundle, dir, OnnxExport.SEGMENTER_FILE,
                        () -> OnnxExport.segmenter(bundle.segmenter().get()), where), where);
            }
            return new OnnxNetworks(classifier, segmenter, bundle.manifest().classifier().attentionSizes().length,
                    options);
        } catch (RuntimeException e) {
            if (classifier != null) {
                classifier.close();
            }
            if (options != null) {
                options.close();
            }
            throw e;
        }
    }

    /**
     * Which DJL engine runs the files, on which device. ONNX Runtime goes to the GPU only where its CUDA provider
     * loaded (the onnxruntime_gpu jar on a CUDA host); TensorRT prefers DJL's own engine and otherwise uses ONNX
     * Runtime's TensorRT provider.
     */
    private record Plan(InferenceEngine engine, String djlEngine, Device device, String ortDevice) {
        static Plan of(InferenceEngine engine) {
            if (engine == InferenceEngine.ONNXRUNTIME) {
                boolean cuda = InferenceEngine.ortProviders().contains(OrtProvider.CUDA);
                return new Plan(engine, engine.djlName(), cuda ? Device.gpu() : Device.cpu(), null);
            }
            if (Engine.hasEngine(engine.djlName())) {
                return new Plan(engine, engine.djlName(), Device.gpu(), null);
            }
            return new Plan(engine, InferenceEngine.ONNXRUNTIME.djlName(), Device.gpu(), "TensorRT");
        }

        boolean onOrt() {
            return djlEngine.equals(InferenceEngine.ONNXRUNTIME.djlName());
        }
    }

    /** No spinning: ORT's workers otherwise busy-wait between ops, which on a shared 2-core host starves the rest. */
    private static OrtSession.SessionOptions sessionOptions() {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            Integer threads = Integer.getInteger(InferenceEngine.ONNXRUNTIME_THREADS_PROPERTY);
            if (threads != null && threads > 0) {
                o.setIntraOpNumThreads(threads);
            }
            o.setInterOpNumThreads(1);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return o;
        } catch (OrtException e) {
            o.close();
            throw new BundleException("cannot configure ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(ModelBundle bundle, Path dir, String file, Supplier<byte[]> export, String where) {
        Path path = dir == null ? null : dir.resolve(file);
        if (path == null || !Files.isRegularFile(path)) {
            LOG.warn("{} has no {}; exporting it from the loaded weights", where, file);
            return export.get();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new BundleException(where + ": cannot read " + file + ": " + e, e);
        }
        String expected = bundle.manifest().checksums().get(file);
        if (expected == null) {
            throw new BundleException(where + ": " + ModelBundle.MANIFEST_FILE + " has no checksum for " + file);
        }
        if (!expected.equalsIgnoreCase(ModelBundle.sha256(bytes))) {
            throw new BundleException(where + ": " + file + " is corrupt (SHA-256 differs from "
                    + ModelBundle.MANIFEST_FILE + ")");
        }
        return bytes;
    }

    private static Model load(Plan plan, OrtSession.SessionOptions options, String name, byte[] onnx, String where) {
        InferenceEngine engine = plan.engine();
        Model model = Model.newInstance(name, plan.device(), plan.djlEngine());
        try {
            if (plan.onOrt()) {
                Map<String, Object> o = new HashMap<>();
                o.put("sessionOptions", options);
                if (plan.ortDevice() != null) {
                    o.put("ortDevice", plan.ortDevice());
                }
                model.load(new ByteArrayInputStream(onnx), o);
            } else {
                // TensorRT's DJL engine reads model files only.
                Path tmp = Files.createTempDirectory("lepistream-" + name);
                Files.write(tmp.resolve(name + ".onnx"), onnx);
                model.load(tmp, name);
            }
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new BundleException(where + ": " + engine.configName() + " cannot load the " + name + ": " + e, e);
        }
    }

    @Override
    public NDList classify(NDManager step, NDArray images) {
        NDList out = run(classifier, step, images);
        NDList result = new NDList(2 + attentionMaps);
        result.add(named(out, OnnxExport.LOGITS));
        for (int i = 1; i <= attentionMaps; i++) {
            result.add(named(out, OnnxExport.ATTENTION_PREFIX + i));
        }
        result.add(named(out, OnnxExport.FEATURES));
        return result;
    }

    @Override
    public NDArray segment(NDManager step, NDArray images) {
        return named(run(segmenter, step, images), OnnxExport.MASK_LOGITS);
    }

    /** Runs one network; the outputs come back copied into {@code step}, keyed by their ONNX names. */
    private static NDList run(Model model, NDManager step, NDArray images) {
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            NDArray input = scratch.create(images.toFloatArray(), images.getShape());
            NDList out = model.getBlock().forward(new ParameterStore(scratch, false), new NDList(input), false);
            NDList copied = new NDList(out.size());
            for (NDArray a : out) {
                NDArray c = step.create(a.toFloatArray(), a.getShape());
                c.setName(a.getName());
                copied.add(c);
            }
            return copied;
        }
    }

    private static NDArray named(NDList out, String name) {
        for (NDArray a : out) {
            if (name.equals(a.getName())) {
                return a;
            }
        }
        throw new IllegalStateException("the ONNX model has no output " + name);
    }

    @Override
    public void close() {
        classifier.close();
        if (segmenter != null) {
            segmenter.close();
        }
        if (options != null) {
            options.close();
        }
    }
}
