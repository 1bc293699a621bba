package org.lepistream.decision.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lepistream.decision.taxonomy.Taxonomy;

/** Decides the deepest taxonomic rank whose probability clears its threshold, descending only inside the chosen parent. */
public final class HierarchicalDecision {

    /**
     * The outcome: the decided node and its ancestors.
     *
     * @param rank decided rank index (0 = top)
     * @param index node index at that rank
     * @param probability probability of the decided node
     * @param path node index at every rank from the top down to {@code rank}
     * @param confident false when not even the top rank cleared its threshold (the top-rank argmax is reported)
     */
    public record Decision(int rank, int index, double probability, int[] path, boolean confident) {
        public Decision {
            path = path.clone();
        }

        @Override
        public int[] path() {
            return path.clone();
        }

        @Override
        public String toString() {
            return "Decision[rank=" + rank + ", index=" + index + ", p=" + probability + ", path=" + Arrays.toString(path)
                    + ", confident=" + confident + "]";
        }
    }

    private final Taxonomy taxonomy;
    private final int[][][] children; // [rank][parentIndex] -> child indices at rank+1

    public HierarchicalDecision(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
        int depth = taxonomy.depth();
        children = new int[depth][][];
        for (int rank = 0; rank + 1 < depth; rank++) {
            List<List<Integer>> lists = new ArrayList<>();
            for (int i = 0; i < taxonomy.size(rank); i++) {
                lists.add(new ArrayList<>());
            }
            for (int c = 0; c < taxonomy.size(rank + 1); c++) {
                lists.get(taxonomy.parent(rank + 1, c)).add(c);
            }
            children[rank] = lists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        }
    }

    /**
     * Walks down from the top rank, at each rank taking the most probable child of the node already decided, and
     * stops at the first rank whose best candidate falls below that rank's threshold. Descending inside the chosen
     * parent (instead of taking the global argmax at each rank) is what guarantees that a species is never reported
     * outside the decided genus and family, whatever the thresholds.
     *
     * @param rankProbabilities probabilities at every rank, top to leaf (parent = sum of children)
     * @param thresholds one threshold per rank, top to leaf
     */
    public Decision decide(double[][] rankProbabilities, double[] thresholds) {
        int depth = taxonomy.depth();
        if (rankProbabilities.length != depth || thresholds.length != depth) {
            throw new IllegalArgumentException("expected " + depth + " ranks of probabilities and thresholds, got "
                    + rankProbabilities.length + " and " + thresholds.length);
        }
        int[] path = new int[depth];
        int decided = -1;
        int[] candidates = null; // null = every node at the top rank
        for (int rank = 0; rank < depth; rank++) {
            double[] p = rankProbabilities[rank];
            if (p.length != taxonomy.size(rank)) {
                throw new IllegalArgumentException("rank " + taxonomy.ranks().get(rank) + " has " + p.length
                        + " probabilities but the taxonomy has " + taxonomy.size(rank) + " nodes");
            }
            int best = argmax(p, candidates);
            path[rank] = best;
            if (p[best] < thresholds[rank]) {
                break;
            }
            decided = rank;
            if (rank + 1 < depth) {
                candidates = children[rank][best];
            }
        }
        if (decided < 0) {
            int top = path[0];
            return new Decision(0, top, rankProbabilities[0][top], new int[] {top}, false);
        }
        return new Decision(decided, path[decided], rankProbabilities[decided][path[decided]],
                Arrays.copyOf(path, decided + 1), true);
    }

    private static int argmax(double[] p, int[] candidates) {
        int best = -1;
        if (candidates == null) {
            for (int i = 0; i < p.length; i++) {
                if (best < 0 || p[i] > p[best]) {
                    best = i;
                }
            }
        } else {
            for (int i : candidates) {
                if (best < 0 || p[i] > p[best]) {
                    best = i;
                }
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException("no candidate taxa to choose from");
        }
        return best;
    }
}
