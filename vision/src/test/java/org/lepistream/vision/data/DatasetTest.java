package org.lepistream.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.data.LoadReport.Kind;
import org.lepistream.decision.taxonomy.Taxonomy;

class DatasetTest {
    private static final String HEADER = "id,image,mask,species,common_name,genus,family,split\n";

    @TempDir
    Path dir;

    private void image(String name, int w, int h) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.write(dir.resolve("images/" + name), TestImages.encode(TestImages.halves(w, h), "jpeg"));
    }

    private void mask(String name, int w, int h) throws IOException {
        Files.createDirectories(dir.resolve("masks"));
        Files.write(dir.resolve("masks/" + name), TestImages.encode(TestImages.solid(w, h, Color.WHITE), "png"));
    }

    private void labels(String text) throws IOException {
        Files.writeString(dir.resolve("labels.csv"), text);
    }

    private static String row(String id, String species, String genus, String family, String split) {
        return String.join(",", id, "images/" + id + ".jpg", "masks/" + id + ".png", species, "common", genus,
                family, split) + "\n";
    }

    /** Four good samples over two families. */
    private void goodDataset() throws IOException {
        for (String id : List.of("a1", "a2", "b1", "c1")) {
            image(id + ".jpg", 32, 24);
            mask(id + ".png", 32, 24);
        }
        labels(HEADER + row("a1", "Vanessa cardui", "Vanessa", "Nymphalidae", "train")
                + row("a2", "Vanessa atalanta", "Vanessa", "Nymphalidae", "train")
                + row("b1", "Danaus plexippus", "Danaus", "Nymphalidae", "val")
                + row("c1", "Pieris rapae", "Pieris", "Pieridae", "val"));
    }

    @Test
    void loadsSamplesTaxonomyAndSplits() throws IOException {
        goodDataset();
        Dataset d = Dataset.load(dir);
        Taxonomy t = d.taxonomy();
        assertEquals(Taxonomy.DEFAULT_RANKS, t.ranks());
        assertEquals(4, t.leafCount());
        assertEquals(4, d.samples().size());
        assertEquals(Set.of("train", "val"), d.splits());
        assertEquals(List.of("a1", "a2"), d.split("train").stream().map(Sample::id).toList());
        assertEquals(List.of(), d.split("test"));
        Sample c1 = d.split("val").get(1);
        assertEquals("c1", c1.id());
        assertEquals(dir.resolve("images/c1.jpg"), c1.image());
        assertEquals(dir.resolve("masks/c1.png"), c1.mask());
        assertEquals(t.indexOf(2, "Pieris rapae"), c1.leaf());
        assertArrayEquals(t.path(c1.leaf()), c1.labels());
        assertEquals(0, d.report().skippedCount());
        assertEquals(4, d.report().loaded());
    }

    @Test
    void missingColumnsAreNamed() throws IOException {
        labels("id,image,mask,species,family\nx,images/x.jpg,,Pieris rapae,Pieridae\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.load(dir));
        assertTrue(e.getMessage().contains("lacks columns genus, split"), e.getMessage());
    }

    @Test
    void missingLabelsFileIsAClearError() {
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("no labels.csv"), e.getMessage());
    }

    @Test
    void unreadableOversizedAndMissingImagesAreSkippedAndCounted() throws IOException {
        goodDataset();
        Files.write(dir.resolve("images/bad.jpg"), "this is not a jpeg".getBytes());
        image("big.jpg", 120, 100);
        byte[] jpeg = TestImages.encode(TestImages.halves(32, 24), "jpeg");
        Files.write(dir.resolve("images/cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        labels(Files.readString(dir.resolve("labels.csv"))
                + row("bad", "Pieris rapae", "Pieris", "Pieridae", "train")
                + row("big", "Pieris rapae", "Pieris", "Pieridae", "train")
                + row("cut", "Pieris rapae", "Pieris", "Pieridae", "train")
                + row("gone", "Pieris rapae", "Pieris", "Pieridae", "train"));
        Dataset d = Dataset.load(dir, DatasetOptions.defaults().withMaxPixels(10_000));
        LoadReport r = d.report();
        assertEquals(8, r.rows());
        assertEquals(4, r.loaded());
        assertEquals(4, r.skippedCount());
        assertEquals(Map.of(Kind.UNREADABLE, 2, Kind.OVERSIZED, 1, Kind.MISSING, 1), r.skippedByKind());
        assertEquals(List.of("bad", "big", "cut", "gone"), r.skipped().stream().map(LoadReport.Problem::id).toList());
        assertEquals(6, r.skipped().get(0).line());
        assertTrue(r.summary().contains("4 skipped"), r.summary());
        assertFalse(d.samples().stream().anyMatch(s -> s.id().equals("big")));
        // the labels still define the taxonomy even though every Pieris photo above was bad
        assertEquals(4, d.taxonomy().leafCount());
    }

    @Test
    void headerOnlyVerificationStillCatchesNonImagesAndOversize() throws IOException {
        goodDataset();
        Files.write(dir.resolve("images/bad.jpg"), "nope".getBytes());
        image("big.jpg", 120, 100);
        labels(Files.readString(dir.resolve("labels.csv"))
                + row("bad", "Pieris rapae", "Pieris", "Pieridae", "train")
                + row("big", "Pieris rapae", "Pieris", "Pieridae", "train"));
        Dataset d = Dataset.load(dir, DatasetOptions.defaults().withMaxPixels(10_000)
                .withVerification(DatasetOptions.Verification.HEADER));
        assertEquals(Map.of(Kind.UNREADABLE, 1, Kind.OVERSIZED, 1), d.report().skippedByKind());
    }

    @Test
    void badOrMismatchedMaskIsDroppedButSampleKept() throws IOException {
        goodDataset();
        Files.write(dir.resolve("masks/a1.png"), new byte[0]);
        mask("a2.png", 10, 30); // wrong aspect ratio for a 32x24 photo
        mask("b1.png", 16, 12); // half resolution: fine
        Dataset d = Dataset.load(dir);
        assertEquals(4, d.samples().size());
        assertNull(d.samples().get(0).mask());
        assertNull(d.samples().get(1).mask());
        assertTrue(d.samples().get(2).hasMask());
        assertEquals(List.of(Kind.UNREADABLE, Kind.SIZE_MISMATCH),
                d.report().droppedMasks().stream().map(LoadReport.Problem::kind).toList());
    }

    @Test
    void partialLabelsKeepKnownRanksAndFillAncestors() throws IOException {
        goodDataset();
        image("g1.jpg", 32, 24);
        labels(Files.readString(dir.resolve("labels.csv")) + "g1,images/g1.jpg,,,,Vanessa,,train\n");
        Dataset d = Dataset.load(dir);
        Sample g1 = d.samples().get(4);
        Taxonomy t = d.taxonomy();
        assertEquals(-1, g1.leaf());
        assertFalse(g1.hasLeaf());
        assertFalse(g1.hasMask());
        assertArrayEquals(new int[] {t.indexOf(0, "Nymphalidae"), t.indexOf(1, "Vanessa"), -1}, g1.labels());
        assertEquals(4, t.leafCount());
    }

    @Test
    void labelErrorsNameTheirLines() throws IOException {
        goodDataset();
        String base = Files.readString(dir.resolve("labels.csv"));
        labels(base + row("x1", "Pieris rapae", "Pieris", "Nymphalidae", "train"));
        DatasetException twoParents = assertThrows(DatasetException.class, () -> Dataset.load(dir));
        assertTrue(twoParents.getMessage().contains("genus 'Pieris' has 2 parents"), twoParents.getMessage());
        assertTrue(twoParents.getMessage().contains("labels.csv line 6"), twoParents.getMessage());

        labels(base + "x2,images/x2.jpg,,,,Pieris,Nymphalidae,train\n");
        DatasetException contradiction = assertThrows(DatasetException.class, () -> Dataset.load(dir));
        assertTrue(contradiction.getMessage().contains("line 6: family 'Nymphalidae' contradicts"),
                contradiction.getMessage());

        labels(base + "x3,images/x3.jpg,,,,Colias,,train\n" + "a1,images/a1.jpg,,,,,,\n" + "short,row\n");
        DatasetException many = assertThrows(DatasetException.class, () -> Dataset.load(dir));
        String msg = many.getMessage();
        assertTrue(msg.contains("line 6: genus 'Colias' is not in the taxonomy"), msg);
        assertTrue(msg.contains("line 7: duplicate id a1"), msg);
        assertTrue(msg.contains("line 7: blank split"), msg);
        assertTrue(msg.contains("line 7: no label at any rank"), msg);
        assertTrue(msg.contains("line 8: 2 fields, header has 8"), msg);
    }

    @Test
    void customRankColumnsExtraColumnsAndQuotedFields() throws IOException {
        image("p1.jpg", 32, 24);
        image("p2.jpg", 32, 24);
        labels("split,notes,genus,species,image,id,mask\n"
                + "train,\"has, a comma\",Vanessa,\"Vanessa \"\"painted\"\" lady\",images/p1.jpg,p1,\n"
                + "val,,Pieris,Pieris rapae,images/p2.jpg,p2,\n");
        Dataset d = Dataset.load(dir, DatasetOptions.defaults().withRankColumns(List.of("genus", "species")));
        assertEquals(List.of("genus", "species"), d.taxonomy().ranks());
        assertEquals(2, d.taxonomy().depth());
        assertEquals("Vanessa \"painted\" lady", d.taxonomy().name(1, d.samples().get(0).leaf()));
    }

    @Test
    void fixedTaxonomyMapsLabelsAndRejectsUnknownNames() throws IOException {
        goodDataset();
        Taxonomy wide = Taxonomy.fromPaths(Taxonomy.DEFAULT_RANKS, List.of(
                new String[] {"Nymphalidae", "Vanessa", "Vanessa cardui"},
                new String[] {"Nymphalidae", "Vanessa", "Vanessa atalanta"},
                new String[] {"Nymphalidae", "Danaus", "Danaus plexippus"},
                new String[] {"Papilionidae", "Papilio", "Papilio cresphontes"},
                new String[] {"Pieridae", "Pieris", "Pieris rapae"}));
        Dataset d = Dataset.load(dir, DatasetOptions.defaults().withTaxonomy(wide));
        assertEquals(wide, d.taxonomy());
        assertEquals(wide.indexOf(2, "Pieris rapae"), d.samples().get(3).leaf());

        Taxonomy narrow = Taxonomy.fromPaths(Taxonomy.DEFAULT_RANKS, List.of(
                new String[] {"Nymphalidae", "Vanessa", "Vanessa cardui"},
                new String[] {"Nymphalidae", "Vanessa", "Vanessa atalanta"}));
        DatasetException e = assertThrows(DatasetException.class,
                () -> Dataset.load(dir, DatasetOptions.defaults().withTaxonomy(narrow)));
        assertTrue(e.getMessage().contains("species 'Pieris rapae' is not in the taxonomy"), e.getMessage());
    }
}
