package org.lepistream.trainer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;
import org.lepistream.decision.taxonomy.Taxonomy;

class DatasetStoreTest {

    private static TrainingExample example(String sightingId, List<String> labels, String verdict) {
        return example(sightingId, labels, verdict, List.of("LOW_CONFIDENCE"));
    }

    private static TrainingExample example(String sightingId, List<String> labels, String verdict,
            List<String> reasons) {
        return new TrainingExample(DatasetStore.keyOf(sightingId), sightingId, null, verdict, null, null, labels, "r",
                1, "v1", List.of("", "", ""), "", "", 0.5, 0.5, "REVIEW", false, true, "easy", 0.5, "t-0@1", 2,
                Map.of(), reasons);
    }

    @Test
    void auditsAreKeptApartFromWhatACandidateLearns(@TempDir Path dir) throws Exception {
        DatasetStore store = new DatasetStore(dir.resolve("store"));
        List<String> full = List.of("Nymphalidae", "Vanessa", "Vanessa cardui");
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3};
        store.put(example("review", full, "CORRECTED"), jpeg, "jpg");
        store.put(example("audit", full, "CONFIRMED", List.of("AUDIT")), jpeg, "jpg");
        store.put(example("old-file", full, "CONFIRMED", null), jpeg, "jpg"); // stored before reasons were kept
        store.put(example("audit-unidentifiable", List.of("", "", ""), "UNIDENTIFIABLE", List.of("AUDIT")), jpeg,
                "jpg");
        assertEquals(java.util.Set.of("review", "old-file"), store.learnable().stream()
                .map(TrainingExample::sightingId).collect(java.util.stream.Collectors.toSet()));
        assertEquals(List.of("audit"), store.audits().stream().map(TrainingExample::sightingId).toList());
        assertEquals(List.of("audit"), new DatasetStore(dir.resolve("store")).audits().stream()
                .map(TrainingExample::sightingId).toList(), "the reasons survive reopening the store");
    }

    @Test
    void tempFilesACrashLeftBeforeTheirRenameAreRemovedWhenTheStoreOpens(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("store");
        new DatasetStore(root);
        Path labels = Files.writeString(root.resolve("labels.csv.tmp"), "half");
        Path example = Files.writeString(root.resolve(DatasetStore.EXAMPLES).resolve("s-1.json.tmp"), "{");
        Path kept = Files.writeString(root.resolve("notes.txt"), "not ours to remove");
        new DatasetStore(root);
        assertFalse(Files.exists(labels));
        assertFalse(Files.exists(example));
        assertTrue(Files.exists(kept));
    }

    @Test
    void putIsIdempotentPerSightingAndSurvivesReopening(@TempDir Path dir) throws Exception {
        Path photos = dir.resolve("synthetic");
        SyntheticButterflies.generate(photos, GenerateOptions.defaults().withImages(2, 48));
        Dataset synth = Dataset.load(photos);
        Taxonomy tax = synth.taxonomy();
        Sample a = synth.samples().get(0);
        Sample b = synth.samples().get(1);
        List<String> full = List.of(tax.name(0, a.label(0)), tax.name(1, a.label(1)), tax.name(2, a.label(2)));
        List<String> genusOnly = List.of(tax.name(0, b.label(0)), tax.name(1, b.label(1)), "");

        DatasetStore store = new DatasetStore(dir.resolve("store"));
        assertTrue(store.put(example("s/1", full, "CONFIRMED"), Files.readAllBytes(a.image()), "jpg"));
        assertFalse(store.put(example("s/1", full, "CONFIRMED"), Files.readAllBytes(a.image()), "jpg"),
                "a replayed label replaces, never duplicates");
        store.put(example("s2", genusOnly, "CORRECTED"), Files.readAllBytes(b.image()), "jpg");
        store.put(example("s3", List.of("", "", ""), "UNIDENTIFIABLE"), Files.readAllBytes(b.image()), "jpg");
        store.reject(new Rejection("s4", "UNKNOWN_TAXON", "no such taxon", "expert-labels-0@4", 3));
        store.reject(new Rejection("s4", "UNKNOWN_TAXON", "no such taxon", "expert-labels-0@4", 3));
        store.writeLabels(tax.ranks());

        DatasetStore reopened = new DatasetStore(dir.resolve("store"));
        assertEquals(3, reopened.size());
        assertEquals(2, reopened.trainable().size());
        assertEquals(1, reopened.rejections().size());
        assertFalse(Files.list(dir.resolve("store/examples")).anyMatch(p -> p.toString().endsWith(".tmp")));

        // The store is a vision dataset: the genus-only label loads with the species unknown (-1).
        Dataset loaded = Dataset.load(dir.resolve("store"), DatasetOptions.defaults().withTaxonomy(tax));
        assertEquals(2, loaded.samples().size());
        Sample genus = loaded.samples().stream().filter(s -> s.id().equals("s2")).findFirst().orElseThrow();
        assertEquals(-1, genus.leaf());
        assertEquals(b.label(1), genus.label(1));
        Sample whole = loaded.samples().stream().filter(s -> s.id().equals(DatasetStore.keyOf("s/1"))).findFirst()
                .orElseThrow();
        assertEquals(a.leaf(), whole.leaf());
    }

    @Test
    void keysAreFileSafeAndDistinct() {
        assertEquals("abc-1_2.x", DatasetStore.keyOf("abc-1_2.x"));
        assertEquals("a~002fb", DatasetStore.keyOf("a/b"));
        assertTrue(!DatasetStore.keyOf("../x").contains("/"));
    }
}
