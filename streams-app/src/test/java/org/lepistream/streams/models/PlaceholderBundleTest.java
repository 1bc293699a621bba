package org.lepistream.streams.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.decision.routing.HierarchicalDecision;
import org.lepistream.decision.routing.OverCam;
import org.lepistream.decision.routing.RoutingPolicy;
import org.lepistream.decision.routing.Thresholds;
import org.lepistream.schemas.Route;
import org.lepistream.streams.FreshBundles;
import org.lepistream.streams.routing.Router;
import org.lepistream.vision.bundle.ModelBundle;

class PlaceholderBundleTest {

    @Test
    void anUntrainedPlaceholderSendsEvenItsMostConfidentGuessToReview(@TempDir Path dir) {
        PlaceholderBundle.write(dir.resolve("p"), "demo", FreshBundles.TAXONOMY);
        try (ModelBundle b = ModelBundle.load(dir.resolve("p"))) {
            Thresholds t = RoutingPolicy.resolve(b.taxonomy().ranks(), b.manifest().routingPolicy(
                    OverCam.Settings.DEFAULT), RoutingPolicy.NONE, RoutingPolicy.NONE, OverCam.Settings.DEFAULT)
                    .thresholds();
            assertArrayEquals(new double[] {1, 1, 1}, t.perRank());
            // A guess at p 0.99 with nearly all of its attention on the butterfly still goes to an expert.
            int leaves = b.taxonomy().leafCount();
            double[] species = new double[leaves];
            java.util.Arrays.fill(species, 0.01 / (leaves - 1));
            species[0] = 0.99;
            double[][] ranks = new double[3][];
            for (int r = 0; r < 3; r++) {
                ranks[r] = new double[b.taxonomy().size(r)];
            }
            for (int leaf = 0; leaf < leaves; leaf++) {
                for (int r = 0; r < 3; r++) {
                    ranks[r][b.taxonomy().ancestor(leaf, r)] += species[leaf];
                }
            }
            var decision = new HierarchicalDecision(b.taxonomy()).decide(ranks, t.perRank());
            assertEquals(Route.REVIEW, new Router(t).route(decision, 2, 0.99).route());
        }
    }
}
