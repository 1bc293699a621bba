package org.lepistream.vision.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Locale;

/**
 * Not a test: measures forward+backward+SGD time per batch so presets can be sized. Run with
 * {@code -Dai.djl.pytorch.num_threads=2}; arguments: [steps] [batch] then any of default|resnet|quick.
 */
public final class ClassifierTiming {
    private ClassifierTiming() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        String[] which = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"default"};
        Engine.getInstance().setRandomSeed(1);
        for (String name : which) {
            ClassifierConfig config = switch (name) {
                case "resnet" -> ClassifierConfig.defaults(10).withCbam(false);
                case "quick" -> ClassifierConfig.quick(10);
                default -> ClassifierConfig.defaults(10);
            };
            time(name, config, steps, batch);
        }
    }

    private static void time(String name, ClassifierConfig config, int steps, int batch) {
        Classifier classifier = Classifier.build(config);
        try (Model model = Model.newInstance("timing")) {
            model.setBlock(classifier);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f).build());
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(classifier.inputShape(batch));
                NDManager data = trainer.getManager().newSubManager();
                NDArray images = data.randomNormal(classifier.inputShape(batch));
                NDArray labels = data.randomInteger(0, config.leafCount(), new Shape(batch), ai.djl.ndarray.types.DataType.INT64);
                long trainNanos = 0;
                long fastest = Long.MAX_VALUE;
                for (int step = 0; step < steps + 2; step++) {
                    long t0 = System.nanoTime();
                    try (NDManager scope = data.newSubManager()) {
                        NDArray x = images.duplicate();
                        x.attach(scope);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(new NDList(x));
                            NDArray loss = out.get(0).logSoftmax(1).gather(labels.reshape(batch, 1), 1).neg().mean();
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                    if (step >= 2) { // two warm-up steps
                        long took = System.nanoTime() - t0;
                        trainNanos += took;
                        fastest = Math.min(fastest, took);
                    }
                }
                long inferNanos = 0;
                for (int step = 0; step < steps + 1; step++) {
                    long t0 = System.nanoTime();
                    try (NDManager scope = data.newSubManager()) {
                        NDArray x = images.duplicate();
                        x.attach(scope);
                        classifier.forward(new ParameterStore(scope, false), new NDList(x), false).get(0).toFloatArray();
                    }
                    if (step >= 1) {
                        inferNanos += System.nanoTime() - t0;
                    }
                }
                double trainMs = trainNanos / 1e6 / steps;
                double inferMs = inferNanos / 1e6 / steps;
                // The fastest step is the best estimate on a shared machine: contention only ever adds time.
                System.out.printf(Locale.ROOT, "%-8s %s px, batch %d: train mean %.0f ms/step, fastest %.0f ms (%.1f img/s),"
                        + " inference %.0f ms/batch (%.1f img/s), %d params%n", name, config.inputSize(), batch, trainMs,
                        fastest / 1e6, batch * 1e9 / fastest,
                        inferMs, batch * 1000 / inferMs, classifier.getParameters().values().stream()
                                .mapToLong(p -> p.getArray().size()).sum());
                data.close();
            }
        }
    }
}
