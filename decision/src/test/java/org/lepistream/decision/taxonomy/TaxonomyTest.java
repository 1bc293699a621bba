package org.lepistream.decision.taxonomy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaxonomyTest {
    private static final List<String> RANKS = Taxonomy.DEFAULT_RANKS;

    /** A Leeds-like tree given in non-sorted order, with duplicate rows as one per image. */
    private static List<String[]> leedsLike() {
        List<String[]> paths = new ArrayList<>();
        paths.add(new String[] {"Pieridae", "Pieris", "Pieris rapae"});
        paths.add(new String[] {"Nymphalidae", "Vanessa", "Vanessa cardui"});
        paths.add(new String[] {"Nymphalidae", "Vanessa", "Vanessa atalanta"});
        paths.add(new String[] {"Nymphalidae", "Danaus", "Danaus plexippus"});
        paths.add(new String[] {"Lycaenidae", "Lycaena", "Lycaena phlaeas"});
        paths.add(new String[] {"Nymphalidae", "Vanessa", "Vanessa cardui"});
        paths.add(new String[] {"Papilionidae", "Papilio", "Papilio cresphontes"});
        return paths;
    }

    @Test
    void buildsSortedTreeWithParentsAndPaths() {
        Taxonomy t = Taxonomy.fromPaths(RANKS, leedsLike());
        assertEquals(RANKS, t.ranks());
        assertEquals(3, t.depth());
        assertEquals(List.of("Lycaenidae", "Nymphalidae", "Papilionidae", "Pieridae"), t.names(0));
        assertEquals(List.of("Danaus", "Lycaena", "Papilio", "Pieris", "Vanessa"), t.names(1));
        assertEquals(6, t.leafCount());
        assertEquals(6, t.size(2));

        int atalanta = t.indexOf(2, "Vanessa atalanta");
        int vanessa = t.indexOf(1, "Vanessa");
        int nymphalidae = t.indexOf(0, "Nymphalidae");
        assertEquals("Vanessa atalanta", t.name(2, atalanta));
        assertEquals(vanessa, t.parent(2, atalanta));
        assertEquals(nymphalidae, t.parent(1, vanessa));
        assertArrayEquals(new int[] {nymphalidae, vanessa, atalanta}, t.path(atalanta));
        assertEquals(vanessa, t.ancestor(atalanta, 1));
        assertArrayEquals(new int[] {t.indexOf(2, "Vanessa atalanta"), t.indexOf(2, "Vanessa cardui")},
                t.children(1, vanessa));
        assertEquals(-1, t.indexOf(2, "Vanessa virginiensis"));
        assertEquals(-1, t.indexOf(1, null));
        assertThrows(IllegalArgumentException.class, () -> t.parent(0, nymphalidae));
        assertThrows(IndexOutOfBoundsException.class, () -> t.name(2, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> t.size(3));
    }

    @Test
    void everyLeafPathIsConsistentWithParents() {
        Taxonomy t = Taxonomy.fromPaths(RANKS, leedsLike());
        for (int leaf = 0; leaf < t.leafCount(); leaf++) {
            int[] path = t.path(leaf);
            assertEquals(leaf, path[2]);
            for (int r = 2; r > 0; r--) {
                assertEquals(path[r - 1], t.parent(r, path[r]));
            }
        }
    }

    @Test
    void rowOrderDoesNotChangeIndices() {
        List<String[]> shuffled = new ArrayList<>(leedsLike());
        Collections.shuffle(shuffled, new Random(7));
        assertEquals(Taxonomy.fromPaths(RANKS, leedsLike()), Taxonomy.fromPaths(RANKS, shuffled));
    }

    @Test
    void nodeWithTwoParentsIsRejectedNamingTheRows() {
        List<String[]> paths = new ArrayList<>(leedsLike());
        paths.add(new String[] {"Pieridae", "Vanessa", "Vanessa cardui"}); // row 8
        TaxonomyException e = assertThrows(TaxonomyException.class, () -> Taxonomy.fromPaths(RANKS, paths));
        String msg = e.getMessage();
        assertTrue(msg.contains("genus 'Vanessa' has 2 parents"), msg);
        assertTrue(msg.contains("family 'Nymphalidae' (row 2, row 3, row 6)"), msg);
        assertTrue(msg.contains("family 'Pieridae' (row 8)"), msg);
    }

    @Test
    void leafWithTwoParentsIsRejectedWithCallerRowNames() {
        List<String[]> paths = List.of(new String[] {"A", "g1", "s1"}, new String[] {"A", "g2", "s1"});
        TaxonomyException e = assertThrows(TaxonomyException.class,
                () -> Taxonomy.fromPaths(RANKS, paths, i -> "line " + (i + 2)));
        assertTrue(e.getMessage().contains("species 's1' has 2 parents: genus 'g1' (line 2), genus 'g2' (line 3)"),
                e.getMessage());
    }

    @Test
    void blankNamesWrongLengthsAndBadRanksAreRejected() {
        TaxonomyException blank = assertThrows(TaxonomyException.class,
                () -> Taxonomy.fromPaths(RANKS, Collections.singletonList(new String[] {"A", " ", "s"})));
        assertTrue(blank.getMessage().contains("row 1: blank genus"), blank.getMessage());
        TaxonomyException length = assertThrows(TaxonomyException.class,
                () -> Taxonomy.fromPaths(RANKS, Collections.singletonList(new String[] {"A", "g"})));
        assertTrue(length.getMessage().contains("row 1: expected 3 names"), length.getMessage());
        assertThrows(TaxonomyException.class, () -> Taxonomy.fromPaths(List.of("species"),
                Collections.singletonList(new String[] {"s"})));
        assertThrows(TaxonomyException.class, () -> Taxonomy.fromPaths(List.of("genus", "genus"),
                Collections.singletonList(new String[] {"g", "s"})));
        assertThrows(TaxonomyException.class, () -> Taxonomy.fromPaths(RANKS, List.of()));
    }

    @Test
    void depthTwoTree() {
        Taxonomy t = Taxonomy.fromPaths(List.of("genus", "species"), List.of(
                new String[] {"Vanessa", "V. cardui"}, new String[] {"Vanessa", "V. atalanta"},
                new String[] {"Pieris", "P. rapae"}));
        assertEquals(2, t.depth());
        assertEquals(3, t.leafCount());
        int cardui = t.indexOf(1, "V. cardui");
        assertEquals(0, t.distanceToCommonAncestor(cardui, cardui));
        assertEquals(1, t.distanceToCommonAncestor(cardui, t.indexOf(1, "V. atalanta")));
        assertEquals(2, t.distanceToCommonAncestor(cardui, t.indexOf(1, "P. rapae")));
    }

    @Test
    void depthFourTreeAndMistakeSeverity() {
        List<String> ranks = List.of("order", "family", "genus", "species");
        Taxonomy t = Taxonomy.fromPaths(ranks, List.of(
                new String[] {"Lepidoptera", "Nymphalidae", "Vanessa", "V. cardui"},
                new String[] {"Lepidoptera", "Nymphalidae", "Vanessa", "V. atalanta"},
                new String[] {"Lepidoptera", "Nymphalidae", "Danaus", "D. plexippus"},
                new String[] {"Lepidoptera", "Pieridae", "Pieris", "P. rapae"},
                new String[] {"Odonata", "Aeshnidae", "Aeshna", "A. cyanea"}));
        assertEquals(4, t.depth());
        assertEquals(List.of(2, 3, 4, 5), List.of(t.size(0), t.size(1), t.size(2), t.size(3)));
        int cardui = t.indexOf(3, "V. cardui");
        assertEquals(4, t.path(cardui).length);
        assertEquals(0, t.distanceToCommonAncestor(cardui, cardui));
        assertEquals(1, t.distanceToCommonAncestor(cardui, t.indexOf(3, "V. atalanta")));
        assertEquals(2, t.distanceToCommonAncestor(cardui, t.indexOf(3, "D. plexippus")));
        assertEquals(3, t.distanceToCommonAncestor(cardui, t.indexOf(3, "P. rapae")));
        assertEquals(4, t.distanceToCommonAncestor(cardui, t.indexOf(3, "A. cyanea")));
        // symmetric
        assertEquals(t.distanceToCommonAncestor(t.indexOf(3, "A. cyanea"), cardui),
                t.distanceToCommonAncestor(cardui, t.indexOf(3, "A. cyanea")));
    }

    @Test
    void jsonRoundTripKeepsEveryIndex() {
        Taxonomy t = Taxonomy.fromPaths(RANKS, leedsLike());
        String json = t.toJson();
        Taxonomy back = Taxonomy.fromJson(json);
        assertEquals(t, back);
        assertEquals(t.hashCode(), back.hashCode());
        for (int leaf = 0; leaf < t.leafCount(); leaf++) {
            assertArrayEquals(t.path(leaf), back.path(leaf));
            assertEquals(t.name(2, leaf), back.name(2, leaf));
        }
        assertEquals(json, back.toJson());
        assertNotEquals(t, Taxonomy.fromPaths(RANKS, leedsLike().subList(0, 3)));
    }

    @Test
    void malformedJsonGivesClearErrors() {
        assertTrue(assertThrows(TaxonomyException.class, () -> Taxonomy.fromJson("{not json"))
                .getMessage().contains("not valid JSON"));
        assertTrue(assertThrows(TaxonomyException.class, () -> Taxonomy.fromJson("{\"formatVersion\":2}"))
                .getMessage().contains("formatVersion"));
        assertTrue(assertThrows(TaxonomyException.class,
                () -> Taxonomy.fromJson("{\"formatVersion\":1,\"ranks\":[\"genus\",\"species\"],\"leaves\":[[\"g\",3]]}"))
                .getMessage().contains("leaves[0]"));
        TaxonomyException twoParents = assertThrows(TaxonomyException.class, () -> Taxonomy.fromJson(
                "{\"formatVersion\":1,\"ranks\":[\"genus\",\"species\"],\"leaves\":[[\"g\",\"s\"],[\"h\",\"s\"]]}"));
        assertTrue(twoParents.getMessage().contains("leaves[1]"), twoParents.getMessage());
    }
}
