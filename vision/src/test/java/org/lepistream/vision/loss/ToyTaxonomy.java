package org.lepistream.vision.loss;

import java.util.List;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * The 3-level toy taxonomy the loss tests compute by hand (indices are sorted names):
 *
 * <pre>
 * family Fa(0): genus Ga(0): species s1(0), s2(1)
 *               genus Gb(1): species s3(2)
 * family Fb(1): genus Gc(2): species s4(3)
 * </pre>
 *
 * With leaf logits ln(1..4) the species probabilities are (0.1, 0.2, 0.3, 0.4), so genus (0.3, 0.3, 0.4) and family
 * (0.6, 0.4).
 */
public final class ToyTaxonomy {
    private ToyTaxonomy() {
    }

    public static Taxonomy create() {
        return Taxonomy.fromPaths(List.of("family", "genus", "species"), List.of(
                new String[] {"Fb", "Gc", "s4"},
                new String[] {"Fa", "Ga", "s2"},
                new String[] {"Fa", "Gb", "s3"},
                new String[] {"Fa", "Ga", "s1"}));
    }

    /** Leaf logits whose softmax is (0.1, 0.2, 0.3, 0.4) in every row. */
    public static float[] logitsOneToFour(int rows) {
        float[] z = new float[rows * 4];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) Math.log(i % 4 + 1);
        }
        return z;
    }
}
