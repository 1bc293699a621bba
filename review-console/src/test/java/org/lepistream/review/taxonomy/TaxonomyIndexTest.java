package org.lepistream.review.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaxonomyIndexTest {

    @TempDir
    Path dir;

    @Test
    void readsRankColumnsOfALabelsCsvWhateverTheirOrder() throws Exception {
        Files.writeString(dir.resolve("labels.csv"), "id,image,mask,species,common_name,genus,family,split\r\n"
                + "1,a.jpg,a.png,Vanessa cardui,\"Painted Lady, the\",Vanessa,Nymphalidae,train\n"
                + "2,b.jpg,b.png,Vanessa atalanta,Red Admiral,Vanessa,Nymphalidae,val\n"
                + "3,c.jpg,c.png,Pieris rapae,Cabbage White,Pieris,Pieridae,train\n\n");
        TaxonomyIndex t = TaxonomyIndex.load(dir);
        assertEquals(List.of("family", "genus", "species"), t.ranks());
        assertEquals(2 + 2 + 3, t.size());
        assertEquals(Map.of("family", "Nymphalidae", "genus", "Vanessa", "species", "Vanessa cardui"),
                t.find("species", "Vanessa cardui").orElseThrow().lineage());
        assertEquals("Nymphalidae › Vanessa", t.find("genus", "Vanessa").orElseThrow().path());
        assertTrue(t.find("genus", "Vanessa cardui").isEmpty(), "a species is not a genus");
    }

    @Test
    void searchFindsAnyRankHigherRanksAndPrefixesFirst() {
        TaxonomyIndex t = TaxonomyIndex.of(List.of("family", "genus", "species"), List.of(
                new String[] {"Nymphalidae", "Vanessa", "Vanessa cardui"},
                new String[] {"Nymphalidae", "Vanessa", "Vanessa atalanta"},
                new String[] {"Nymphalidae", "Danaus", "Danaus plexippus"}));
        assertEquals(List.of("genus:Vanessa", "species:Vanessa atalanta", "species:Vanessa cardui"),
                t.search("vanes", 10).stream().map(x -> x.rank() + ":" + x.name()).toList());
        assertEquals(List.of("Vanessa cardui"), t.search("cardui", 10).stream().map(TaxonomyIndex.Taxon::name)
                .toList());
        assertEquals(List.of("Danaus plexippus"), t.search("danaus plex", 10).stream()
                .filter(x -> x.rank().equals("species")).map(TaxonomyIndex.Taxon::name).toList());
        assertEquals(1, t.search("a", 1).size(), "limit");
        assertTrue(t.search("  ", 10).isEmpty());
    }

    @Test
    void readsABundlesTaxonomyJson() throws Exception {
        Files.writeString(dir.resolve("taxonomy.json"), "{\"formatVersion\":1,\"ranks\":[\"family\",\"genus\","
                + "\"species\"],\"leaves\":[[\"F1\",\"G1\",\"S1\"],[\"F1\",\"G2\",\"S2\"]]}");
        TaxonomyIndex t = TaxonomyIndex.load(dir.resolve("taxonomy.json"));
        assertEquals(List.of("G1", "G2"), t.at("genus").stream().map(TaxonomyIndex.Taxon::name).toList());
    }

    @Test
    void aGenusUnderTwoFamiliesOrAMissingSourceIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> TaxonomyIndex.of(List.of("family", "genus"),
                List.of(new String[] {"F1", "G"}, new String[] {"F2", "G"})));
        assertTrue(e.getMessage().contains("has 2 parents"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> TaxonomyIndex.load(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    }

    @Test
    void readsTheLeedsTaxonomy() {
        Path leeds = Path.of(System.getProperty("leeds.dir", "../shared/data/leeds-butterflies"));
        assumeTrue(Files.isRegularFile(leeds.resolve("labels.csv")), "Leeds butterflies not at " + leeds);
        TaxonomyIndex t = TaxonomyIndex.load(leeds);
        assertEquals(10, t.at("species").size());
        assertEquals(4, t.at("family").size());
        assertEquals("Heliconius", t.find("species", "Heliconius erato").orElseThrow().lineage().get("genus"));
    }
}
