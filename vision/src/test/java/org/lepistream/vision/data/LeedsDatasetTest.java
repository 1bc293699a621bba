package org.lepistream.vision.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lepistream.decision.taxonomy.Taxonomy;

/** Loads the real Leeds butterflies (skipped when the folder named by {@code leeds.dir} is absent). */
class LeedsDatasetTest {
    private static Dataset leeds;

    @BeforeAll
    static void load() {
        String dir = System.getProperty("leeds.dir");
        assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, "labels.csv")),
                "Leeds dataset not available (leeds.dir=" + dir + ")");
        leeds = Dataset.load(Path.of(dir));
    }

    @Test
    void everyPhotoLoadsWithItsMask() {
        assertEquals(665, leeds.samples().size(), leeds.report().summary());
        assertEquals(0, leeds.report().skippedCount(), leeds.report().summary());
        assertEquals(0, leeds.report().droppedMasks().size(), leeds.report().summary());
        assertTrue(leeds.samples().stream().allMatch(s -> s.hasMask() && s.hasLeaf()));
    }

    @Test
    void taxonomyIsTenSpeciesInThreeRanks() {
        Taxonomy t = leeds.taxonomy();
        assertEquals(List.of("family", "genus", "species"), t.ranks());
        assertEquals(10, t.leafCount());
        assertEquals(8, t.size(1));
        assertEquals(4, t.size(0));
        int cardui = t.indexOf(2, "Vanessa cardui");
        assertEquals("Vanessa", t.name(1, t.ancestor(cardui, 1)));
        assertEquals("Nymphalidae", t.name(0, t.ancestor(cardui, 0)));
        assertEquals(1, t.distanceToCommonAncestor(cardui, t.indexOf(2, "Vanessa atalanta")));
        assertEquals(3, t.distanceToCommonAncestor(cardui, t.indexOf(2, "Pieris rapae")));
    }

    @Test
    void splitIs565Train100Val() {
        assertEquals(565, leeds.split("train").size());
        assertEquals(100, leeds.split("val").size());
        assertEquals(Set.of("train", "val"), leeds.splits());
    }

    @Test
    void valPhotosCacheWithPlausibleMasks() {
        SampleCache cache = SampleCache.build(leeds.split("val"), 64);
        assertEquals(100, cache.size());
        assertEquals(List.of(), cache.failures());
        for (int i = 0; i < cache.size(); i++) {
            float[] mask = cache.maskArray(i, 64);
            double covered = 0;
            for (float v : mask) {
                covered += v;
            }
            covered /= mask.length;
            assertTrue(covered > 0.02 && covered < 0.95, cache.get(i).sample().id() + " mask covers " + covered);
        }
    }
}
