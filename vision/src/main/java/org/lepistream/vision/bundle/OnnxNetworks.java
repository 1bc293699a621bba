package org.lepistream.vision.bundle;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lepistream.vision.export.OnnxExport;
import org.lepistream.vision.export.OnnxHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bundle's ONNX exports on ONNX Runtime (its own Java API: sessions fed from the Identifier's float arrays, no DJL
 * arrays and so no PyTorch operator per batch) or on DJL's TensorRT engine. One session per network serves every
 * thread: ONNX Runtime's {@code run} may be called concurrently.
 */
final class OnnxNetworks implements Networks {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxNetworks.class);

    private final Runner classifier;
    private final Runner segmenter;
    private final int attentionMaps;
    private final float[][] leafWeights;
    private final OrtSession.SessionOptions options;

    private OnnxNetworks(Runner classifier, Runner segmenter, int attentionMaps, float[][] leafWeights,
            OrtSession.SessionOptions options) {
        this.classifier = classifier;
        this.segmenter = segmenter;
        this.attentionMaps = attentionMaps;
        this.leafWeights = leafWeights;
        this.options = options;
    }

    /**
     * Opens a bundle's .onnx files on {@code engine}; a bundle saved before ONNX export existed is exported from its
     * loaded blocks in memory (the same bytes save would have written).
     *
     * @param dir the bundle directory
     * @param export the bytes of a file the directory lacks (from the blocks)
     * @throws BundleException when the engine is not available here, or a file is corrupt or cannot be loaded
     */
    static OnnxNetworks open(InferenceEngine engine, BundleManifest manifest, Path dir, String where,
            Function<String, byte[]> export) {
        engine.unavailableReason().ifPresent(why -> {
            throw new BundleException("inference engine " + engine.configName() + " is not available in this process: "
                    + why);
        });
        Plan plan = Plan.of(engine);
        OrtSession.SessionOptions options = plan.onOrt() ? sessionOptions(plan, where) : null;
        Runner classifier = null;
        try {
            byte[] classifierOnnx = bytes(manifest, dir, OnnxExport.CLASSIFIER_FILE, export, where);
            float[][] leafWeights;
            try {
                leafWeights = OnnxHead.leafWeights(classifierOnnx);
            } catch (IllegalArgumentException e) {
                throw new BundleException(where + ": " + OnnxExport.CLASSIFIER_FILE + ": " + e.getMessage(), e);
            }
            if (leafWeights.length != manifest.classifier().leafCount()) {
                throw new BundleException(where + ": " + OnnxExport.CLASSIFIER_FILE + " scores " + leafWeights.length
                        + " species but the manifest says " + manifest.classifier().leafCount());
            }
            classifier = load(plan, options, "classifier", classifierOnnx, where);
            Runner segmenter = null;
            if (manifest.segmenter() != null) {
                segmenter = load(plan, options, "segmenter", bytes(manifest, dir, OnnxExport.SEGMENTER_FILE, export,
                        where), where);
            }
            return new OnnxNetworks(classifier, segmenter, manifest.classifier().attentionSizes().length, leafWeights,
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
     * Which runtime runs the files, on which device. ONNX Runtime goes to the GPU only where its CUDA provider loaded
     * (the onnxruntime_gpu jar on a CUDA host); TensorRT prefers DJL's own engine and otherwise uses ONNX Runtime's
     * TensorRT provider.
     */
    private record Plan(InferenceEngine engine, String djlEngine, Device device, boolean ortTensorRt) {
        static Plan of(InferenceEngine engine) {
            if (engine == InferenceEngine.ONNXRUNTIME) {
                boolean cuda = InferenceEngine.ortProviders().contains(OrtProvider.CUDA);
                return new Plan(engine, engine.djlName(), cuda ? Device.gpu() : Device.cpu(), false);
            }
            if (Engine.hasEngine(engine.djlName())) {
                return new Plan(engine, engine.djlName(), Device.gpu(), false);
            }
            return new Plan(engine, InferenceEngine.ONNXRUNTIME.djlName(), Device.gpu(), true);
        }

        boolean onOrt() {
            return djlEngine.equals(InferenceEngine.ONNXRUNTIME.djlName());
        }
    }

    /**
     * No spinning: ORT's workers otherwise busy-wait between ops, which on a shared 2-core host starves the rest. The
     * CUDA provider where it loaded, or ORT's TensorRT provider when that is how TensorRT runs here.
     */
    private static OrtSession.SessionOptions sessionOptions(Plan plan, String where) {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            Integer threads = Integer.getInteger(InferenceEngine.ONNXRUNTIME_THREADS_PROPERTY);
            if (threads != null && threads > 0) {
                o.setIntraOpNumThreads(threads);
            }
            o.setInterOpNumThreads(1);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (plan.ortTensorRt()) {
                o.addTensorrt(0);
            } else if (plan.device().isGpu()) {
                o.addCUDA(0);
            }
            return o;
        } catch (OrtException e) {
            o.close();
            throw new BundleException(where + ": cannot configure ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(BundleManifest manifest, Path dir, String file, Function<String, byte[]> export,
            String where) {
        if (!Files.isRegularFile(dir.resolve(file))) {
            LOG.warn("{} has no {}; exporting it from the loaded weights", where, file);
            return export.apply(file);
        }
        return ModelBundle.intactBytes(dir, file, manifest, where);
    }

    private static Runner load(Plan plan, OrtSession.SessionOptions options, String name, byte[] onnx, String where) {
        InferenceEngine engine = plan.engine();
        try {
            if (plan.onOrt()) {
                return new OrtRunner(OrtEnvironment.getEnvironment().createSession(onnx, options));
            }
            // TensorRT's DJL engine reads model files only.
            Model model = Model.newInstance(name, plan.device(), plan.djlEngine());
            try {
                Path tmp = Files.createTempDirectory("lepistream-" + name);
                Files.write(tmp.resolve(name + ".onnx"), onnx);
                model.load(tmp, name);
                return new DjlRunner(model);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                model.close();
                throw e;
            }
        } catch (OrtException | IOException | MalformedModelException | RuntimeException e) {
            throw new BundleException(where + ": " + engine.configName() + " cannot load the " + name + ": " + e, e);
        }
    }

    @Override
    public Classified classify(FloatTensor images) {
        Map<String, FloatTensor> out = classifier.run(images);
        List<FloatTensor> attention = new ArrayList<>(attentionMaps);
        for (int i = 1; i <= attentionMaps; i++) {
            attention.add(named(out, OnnxExport.ATTENTION_PREFIX + i));
        }
        return new Classified(named(out, OnnxExport.LOGITS), attention, named(out, OnnxExport.FEATURES));
    }

    @Override
    public FloatTensor segment(FloatTensor images) {
        return named(segmenter.run(images), OnnxExport.MASK_LOGITS);
    }

    @Override
    public float[][] leafWeights() {
        return leafWeights;
    }

    private static FloatTensor named(Map<String, FloatTensor> out, String name) {
        FloatTensor t = out.get(name);
        if (t == null) {
            throw new IllegalStateException("the ONNX model has no output " + name);
        }
        return t;
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

    /** One loaded network: images in, its outputs by ONNX name. */
    private interface Runner extends AutoCloseable {
        Map<String, FloatTensor> run(FloatTensor images);

        @Override
        void close();
    }

    private record OrtRunner(OrtSession session) implements Runner {
        @Override
        public Map<String, FloatTensor> run(FloatTensor images) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images.data()), images.shape());
                    OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
                Map<String, FloatTensor> out = new HashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer b = t.getFloatBuffer();
                    float[] data = new float[b.remaining()];
                    b.get(data);
                    out.put(e.getKey(), new FloatTensor(data, t.getInfo().getShape()));
                }
                return out;
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("closing an ONNX Runtime session failed: {}", e.getMessage());
            }
        }
    }

    private record DjlRunner(Model model) implements Runner {
        @Override
        public Map<String, FloatTensor> run(FloatTensor images) {
            try (NDManager scratch = model.getNDManager().newSubManager()) {
                NDList out = model.getBlock().forward(new ParameterStore(scratch, false),
                        new NDList(images.on(scratch)), false);
                Map<String, FloatTensor> named = new HashMap<>();
                for (NDArray a : out) {
                    named.put(a.getName(), FloatTensor.of(a));
                }
                return named;
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
