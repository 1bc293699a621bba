package org.lepistream.vision.benchmark;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor everything else is measured against: a bundle's exported {@code classifier.onnx} and
 * {@code segmenter.onnx} run through ONNX Runtime's own Java API on ready-made input tensors — no decoding, no
 * resizing, no Grad-CAM, no copies out — with the session settings the service uses (2 intra-op threads, 1 inter-op,
 * no spinning, all graph optimisations). {@code -p bundle=DIR} names the bundle; results are ms per batch.
 *
 * <p>Run: {@code docs/experiments/bench-engine.sh BUNDLE}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 4)
@Fork(1)
public class RawEngineBenchmark {

    @Param("")
    public String bundle;

    @Param({"1", "8", "32"})
    public int batch;

    @Param("128")
    public int classifierSide;

    @Param("64")
    public int segmenterSide;

    private OrtEnvironment env;
    private OrtSession.SessionOptions options;
    private OrtSession classifier;
    private OrtSession segmenter;
    private OnnxTensor classifierInput;
    private OnnxTensor segmenterInput;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        if (bundle.isEmpty()) {
            throw new IllegalArgumentException("give the bundle folder: -p bundle=DIR");
        }
        env = OrtEnvironment.getEnvironment();
        options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Integer.getInteger("lepistream.bench.threads", 2));
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        classifier = env.createSession(Path.of(bundle, "classifier.onnx").toString(), options);
        segmenter = env.createSession(Path.of(bundle, "segmenter.onnx").toString(), options);
        classifierInput = noise(batch, classifierSide);
        segmenterInput = noise(batch, segmenterSide);
    }

    private OnnxTensor noise(int n, int side) throws OrtException {
        float[] values = new float[n * 3 * side * side];
        Random r = new Random(side);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian();
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {n, 3, side, side});
    }

    @Benchmark
    public Object classifierOnly() throws OrtException {
        return run(classifier, classifierInput);
    }

    @Benchmark
    public Object segmenterOnce() throws OrtException {
        return run(segmenter, segmenterInput);
    }

    /** What the service computes per batch without the cascade and without the mirrored pass. */
    @Benchmark
    public Object classifierAndSegmenter() throws OrtException {
        run(classifier, classifierInput);
        return run(segmenter, segmenterInput);
    }

    private static long run(OrtSession session, OnnxTensor input) throws OrtException {
        String name = session.getInputNames().iterator().next();
        try (OrtSession.Result result = session.run(Map.of(name, input))) {
            return result.size();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        classifierInput.close();
        segmenterInput.close();
        classifier.close();
        segmenter.close();
        options.close();
    }
}
