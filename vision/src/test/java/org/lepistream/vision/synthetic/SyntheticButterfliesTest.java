package org.lepistream.vision.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.Sample;
import org.lepistream.decision.taxonomy.Taxonomy;

class SyntheticButterfliesTest {
    private static final GenerateOptions SMALL = new GenerateOptions(2, 2, 2, 0, 5, 64, 11, 0.2);

    @TempDir
    Path tmp;

    @Test
    void writesALoadableDatasetWithTheRequestedTaxonomy() throws IOException {
        SyntheticButterflies.Result result = SyntheticButterflies.generate(tmp.resolve("a"), SMALL);
        Dataset d = Dataset.load(result.dir());
        Taxonomy t = d.taxonomy();
        assertEquals(List.of(2, 4, 8), List.of(t.size(0), t.size(1), t.size(2)));
        assertEquals(result.taxonomy(), t);
        assertEquals(SyntheticButterflies.taxonomy(SMALL), t);
        assertEquals(0, d.report().skippedCount());
        assertEquals(0, d.report().droppedMasks().size());
        assertEquals(40, d.samples().size());
        assertEquals(32, d.split("train").size());
        assertEquals(8, d.split("val").size());
        assertEquals(List.of(40, 32, 8), List.of(result.images(), result.train(), result.val()));
        Map<Integer, Long> perLeaf = d.samples().stream().collect(Collectors.groupingBy(Sample::leaf,
                Collectors.counting()));
        assertEquals(8, perLeaf.size());
        perLeaf.values().forEach(n -> assertEquals(5L, n));
        for (int g = 0; g < t.size(1); g++) {
            assertEquals(2, t.children(1, g).length, "species per genus");
        }
        for (Sample s : d.samples()) {
            assertNotNull(s.mask());
            BufferedImage mask = ImageIO.read(s.mask().toFile());
            double coverage = coverage(mask);
            assertTrue(coverage > 0.03 && coverage < 0.7, s.id() + " mask covers " + coverage);
        }
    }

    @Test
    void speciesTotalIsSpreadOverGenera() {
        GenerateOptions five = new GenerateOptions(1, 2, 0, 5, 1, 64, 1, 0);
        Taxonomy t = SyntheticButterflies.taxonomy(five);
        assertEquals(5, t.leafCount());
        Set<Integer> perGenus = new HashSet<>();
        for (int g = 0; g < t.size(1); g++) {
            perGenus.add(t.children(1, g).length);
        }
        assertEquals(Set.of(2, 3), perGenus);
        assertThrows(IllegalArgumentException.class, () -> new GenerateOptions(2, 2, 0, 3, 1, 64, 1, 0));
    }

    @Test
    void maskIsExactlyTheDrawnShape() {
        for (int s = 0; s < SMALL.totalSpecies(); s++) {
            Rendering r = SyntheticButterflies.render(SMALL, s, 0);
            int size = SMALL.size();
            boolean[] mask = new boolean[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    mask[y * size + x] = (r.mask().getRGB(x, y) & 0xFF) >= 128;
                }
            }
            int insideChanged = 0;
            int inside = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean changed = r.image().getRGB(x, y) != r.background().getRGB(x, y);
                    if (!near(mask, size, x, y)) {
                        assertFalse(changed, "species " + s + ": pixel " + x + "," + y + " outside the mask was painted");
                    }
                    if (mask[y * size + x]) {
                        inside++;
                        insideChanged += changed ? 1 : 0;
                    }
                }
            }
            assertTrue(inside > 0.03 * size * size, "species " + s + " mask too small: " + inside);
            assertTrue(insideChanged >= 0.98 * inside, "species " + s + ": only " + insideChanged + " of " + inside
                    + " mask pixels differ from the background");
        }
    }

    /** Within one pixel of the mask (anti-aliased edges may touch pixels whose centre is just outside). */
    private static boolean near(boolean[] mask, int size, int x, int y) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < size && ny < size && mask[ny * size + nx]) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void sameSeedGivesIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        GenerateOptions tiny = new GenerateOptions(1, 2, 1, 0, 3, 48, 5, 0.34);
        Path a = SyntheticButterflies.generate(tmp.resolve("a"), tiny).dir();
        Path b = SyntheticButterflies.generate(tmp.resolve("b"), tiny).dir();
        Path c = SyntheticButterflies.generate(tmp.resolve("c"), tiny.withSeed(6)).dir();
        List<String> files = List.of("labels.csv", "images/0010001.jpg", "images/0020003.jpg", "masks/0020003.png");
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        assertFalse(Arrays.equals(Files.readAllBytes(a.resolve("images/0010001.jpg")),
                Files.readAllBytes(c.resolve("images/0010001.jpg"))));
    }

    @Test
    void aTestSplitSitsBeforeValAndLeavesTheTrainingPhotosAsTheyWere() throws IOException {
        GenerateOptions plain = new GenerateOptions(1, 2, 1, 0, 4, 48, 5, 0.25);
        GenerateOptions withTest = new GenerateOptions(1, 2, 1, 0, 10, 48, 5, 0.1, 0.5);
        SyntheticButterflies.Result r = SyntheticButterflies.generate(tmp.resolve("t"), withTest);
        assertEquals(List.of(8, 2, 10), List.of(r.train(), r.val(), r.test()));
        List<String> rows = Files.readAllLines(r.dir().resolve("labels.csv"));
        assertTrue(rows.get(1).startsWith("0010001,") && rows.get(1).endsWith(",train"), rows.get(1));
        assertTrue(rows.get(5).startsWith("0010005,") && rows.get(5).endsWith(",test"), rows.get(5));
        assertTrue(rows.get(10).startsWith("0010010,") && rows.get(10).endsWith(",val"), rows.get(10));
        // Photo n of species s depends on (seed, s, n) only: a larger set extends a smaller one.
        Path small = SyntheticButterflies.generate(tmp.resolve("p"), plain).dir();
        assertArrayEquals(Files.readAllBytes(small.resolve("images/0020003.jpg")),
                Files.readAllBytes(r.dir().resolve("images/0020003.jpg")));
        assertThrows(IllegalArgumentException.class, () -> new GenerateOptions(1, 2, 1, 0, 10, 48, 5, 0.5, 0.5));
    }

    @Test
    void refusesANonEmptyOutputFolder() throws IOException {
        Files.writeString(tmp.resolve("keep.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticButterflies.generate(tmp, SMALL));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }

    private static double coverage(BufferedImage mask) {
        int on = 0;
        for (int y = 0; y < mask.getHeight(); y++) {
            for (int x = 0; x < mask.getWidth(); x++) {
                on += (mask.getRGB(x, y) & 0xFF) >= 128 ? 1 : 0;
            }
        }
        return (double) on / (mask.getWidth() * mask.getHeight());
    }
}
