package org.lepistream.vision.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.lepistream.vision.loss.GuidedAttentionLoss;
import org.lepistream.vision.loss.HierarchicalCrossEntropy;
import org.lepistream.vision.loss.Hierarchy;
import org.lepistream.vision.loss.ToyTaxonomy;

/** A few SGD steps of WCE + guided attention on one fixed tiny batch must lower the loss and reach every weight. */
class GradientFlowTest {

    @Test
    void sgdStepsOnAFixedBatchReduceTheLossAndEveryParameterGetsAGradient() {
        Engine.getInstance().setRandomSeed(21);
        Hierarchy hierarchy = new Hierarchy(ToyTaxonomy.create());
        HierarchicalCrossEntropy wce = new HierarchicalCrossEntropy(hierarchy, 0.5, 0.5, 1.0);
        GuidedAttentionLoss guided = new GuidedAttentionLoss();
        // A tiny CBAM net (32 px, two stages) keeps the test fast; the path is the same as the default network's.
        Classifier classifier = Classifier.build(
                new ClassifierConfig(32, 8, java.util.List.of(8, 16), java.util.List.of(1, 1), true, 0, 4, 4));
        try (Model model = Model.newInstance("gradient-flow")) {
            model.setBlock(classifier);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f).build());
            try (Trainer trainer = model.newTrainer(config)) {
                int n = 8;
                trainer.initialize(classifier.inputShape(n));
                NDManager data = trainer.getManager().newSubManager();
                NDArray images = data.randomNormal(classifier.inputShape(n));
                long[] labels = new long[n * 3];
                for (int i = 0; i < n; i++) {
                    int leaf = i % 4;
                    int[] path = hierarchy.taxonomy().path(leaf);
                    for (int r = 0; r < 3; r++) {
                        labels[i * 3 + r] = path[r];
                    }
                }
                NDArray y = data.create(labels, new Shape(n, 3));
                // masks: the left half of each image is "butterfly"
                NDArray masks = data.zeros(new Shape(n, 1, 32, 32));
                masks.set(new ai.djl.ndarray.index.NDIndex(":, :, :, :16"), 1f);

                float first = Float.NaN;
                float last = Float.NaN;
                for (int step = 0; step < 15; step++) {
                    try (NDManager scope = data.newSubManager()) {
                        NDArray x = images.duplicate();
                        x.attach(scope);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(new NDList(x));
                            NDArray loss = wce.compute(out.get(0), y)
                                    .add(guided.compute(out.subNDList(1), masks).mul(0.5f));
                            gc.backward(loss);
                            last = loss.getFloat();
                            if (step == 0) {
                                first = last;
                                for (Pair<String, Parameter> p : classifier.getParameters()) {
                                    if (p.getValue().requiresGradient()) {
                                        NDArray g = p.getValue().getArray().getGradient();
                                        assertTrue(g.abs().sum().getFloat() > 0, "no gradient reaches " + p.getKey());
                                    }
                                }
                            }
                        }
                        trainer.step();
                    }
                }
                assertTrue(last < 0.7f * first, "loss went from " + first + " to " + last);
                data.close();
            }
        }
    }
}
