package org.lepistream.vision.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * Turns leaf (species) logits into probabilities at every rank: softmax over the leaves, then each node's
 * probability is the sum of its leaves', computed as a product with a 0/1 leaf→node matrix per rank.
 *
 * <p>Deriving every rank from the leaves keeps the ranks consistent (a genus is exactly as likely as its species
 * together), which is what the hierarchical losses and the routing thresholds rely on.
 */
public final class Hierarchy {
    private final Taxonomy taxonomy;
    /** membership[r][leaf * size(r) + node] = 1 when {@code node} is the leaf's ancestor at rank r. */
    private final float[][] membership;
    /** Divides the logits in {@link #rankProbabilities}; training's log-probabilities never use it. */
    private final double temperature;

    private Hierarchy(Hierarchy base, double temperature) {
        this.taxonomy = base.taxonomy;
        this.membership = base.membership;
        this.temperature = temperature;
    }

    /**
     * This hierarchy reporting softmax(logits / T): a temperature fitted on held-out photos makes the model's
     * probabilities mean what they say, which the routing thresholds rely on.
     */
    public Hierarchy withTemperature(double t) {
        if (!(t > 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + t);
        }
        return new Hierarchy(this, t);
    }

    /** The hierarchy of a taxonomy. */
    public Hierarchy(Taxonomy taxonomy) {
        if (taxonomy == null) {
            throw new IllegalArgumentException("taxonomy is required");
        }
        this.taxonomy = taxonomy;
        this.temperature = 1.0;
        int leaves = taxonomy.leafCount();
        membership = new float[taxonomy.depth()][];
        for (int r = 0; r < taxonomy.depth(); r++) {
            int size = taxonomy.size(r);
            membership[r] = new float[leaves * size];
            for (int leaf = 0; leaf < leaves; leaf++) {
                membership[r][leaf * size + taxonomy.ancestor(leaf, r)] = 1f;
            }
        }
    }

    /** The taxonomy this hierarchy was built from. */
    public Taxonomy taxonomy() {
        return taxonomy;
    }

    /** Number of ranks. */
    public int depth() {
        return taxonomy.depth();
    }

    /** The 0/1 leaf→node matrix (leafCount, size(rank)) on the given manager. */
    public NDArray membership(NDManager manager, int rank) {
        return manager.create(membership[rank], new Shape(taxonomy.leafCount(), taxonomy.size(rank)));
    }

    /** Probabilities (N, size(r)) for every rank r, top→leaf, at this hierarchy's temperature; rows sum to 1. */
    public NDList rankProbabilities(NDArray leafLogits) {
        checkLogits(leafLogits);
        NDArray leaf = (temperature == 1.0 ? leafLogits : leafLogits.div((float) temperature)).softmax(1);
        NDList out = new NDList(depth());
        for (int r = 0; r < depth() - 1; r++) {
            out.add(leaf.matMul(membership(leafLogits.getManager(), r)));
        }
        out.add(leaf);
        return out;
    }

    /**
     * Photo {@code row}'s probabilities at every rank, top→leaf, from a batch's flat leaf logits (N·leafCount): the
     * same as {@link #rankProbabilities(NDArray)}, in plain Java for the engines that are not PyTorch.
     */
    public double[][] rankProbabilities(float[] leafLogits, int row) {
        int leaves = taxonomy.leafCount();
        if (leafLogits.length % leaves != 0 || (row + 1) * leaves > leafLogits.length || row < 0) {
            throw new IllegalArgumentException("no row " + row + " of " + leaves + " leaf logits in "
                    + leafLogits.length + " floats");
        }
        double[] leaf = new double[leaves];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < leaves; j++) {
            leaf[j] = leafLogits[row * leaves + j] / temperature;
            max = Math.max(max, leaf[j]);
        }
        double total = 0;
        for (int j = 0; j < leaves; j++) {
            leaf[j] = Math.exp(leaf[j] - max);
            total += leaf[j];
        }
        double[][] out = new double[depth()][];
        for (int r = 0; r < depth() - 1; r++) {
            out[r] = new double[taxonomy.size(r)];
        }
        for (int j = 0; j < leaves; j++) {
            leaf[j] /= total;
            for (int r = 0; r < depth() - 1; r++) {
                out[r][taxonomy.ancestor(j, r)] += leaf[j];
            }
        }
        out[depth() - 1] = leaf;
        return out;
    }

    /**
     * Log-probabilities (N, size(r)) for every rank, top→leaf, computed stably: log Σ_{leaves of node} exp(z) −
     * logsumexp(z), with the batch row maximum taken out before exponentiating (so a confident wrong answer gives a
     * large finite loss rather than log 0).
     */
    public NDList rankLogProbabilities(NDArray leafLogits) {
        checkLogits(leafLogits);
        NDArray max = leafLogits.max(new int[] {1}, true).stopGradient();
        NDArray shifted = leafLogits.sub(max);
        NDArray mass = shifted.exp();
        NDArray logTotal = mass.sum(new int[] {1}, true).log();
        NDList out = new NDList(depth());
        for (int r = 0; r < depth() - 1; r++) {
            NDArray nodeMass = mass.matMul(membership(leafLogits.getManager(), r));
            // A node whose leaves are all > ~87 nats below the best underflows to 0: floor it at the smallest
            // normal float so the loss stays finite.
            out.add(nodeMass.maximum(Float.MIN_NORMAL).log().sub(logTotal));
        }
        out.add(leafLogits.logSoftmax(1));
        return out;
    }

    private void checkLogits(NDArray leafLogits) {
        Shape s = leafLogits.getShape();
        if (s.dimension() != 2 || s.get(1) != taxonomy.leafCount()) {
            throw new IllegalArgumentException(
                    "leaf logits must be (N," + taxonomy.leafCount() + "), got " + s);
        }
    }
}
