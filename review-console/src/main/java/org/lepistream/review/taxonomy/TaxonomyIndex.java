package org.lepistream.review.taxonomy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.lepistream.decision.taxonomy.Taxonomy;
import org.lepistream.decision.taxonomy.TaxonomyFile;

/**
 * The whole taxonomy an expert may label with, at every rank, each taxon's lineage (its parents) and common names,
 * indexed for the label search. The taxonomy itself — its files, its consistency rules — is the decision core's
 * {@link Taxonomy}, the same one the service and the trainer decide with.
 */
public final class TaxonomyIndex {

    /** One node: its rank, its name, and its ancestors' names by rank (top first, itself last). */
    public record Taxon(String rank, String name, Map<String, String> lineage) {
        /** "Nymphalidae › Vanessa › Vanessa cardui". */
        public String path() {
            return String.join(" › ", lineage.values());
        }
    }

    private final List<String> ranks;
    // rank -> name -> taxon
    private final Map<String, Map<String, Taxon>> byRank = new LinkedHashMap<>();
    // leaf name -> its common (vernacular) name, where the source gives one (labels.csv's common_name column)
    private final Map<String, String> commonNames;

    private TaxonomyIndex(Taxonomy taxonomy, Map<String, String> commonNames) {
        this.ranks = taxonomy.ranks();
        this.commonNames = new TreeMap<>(commonNames);
        for (int r = 0; r < taxonomy.depth(); r++) {
            Map<String, Taxon> names = new TreeMap<>();
            for (int i = 0; i < taxonomy.size(r); i++) {
                Map<String, String> lineage = new LinkedHashMap<>();
                for (int up = 0, node = i; up <= r; up++) {
                    int rank = r - up;
                    lineage.put(ranks.get(rank), taxonomy.name(rank, node));
                    node = rank > 0 ? taxonomy.parent(rank, node) : node;
                }
                Map<String, String> topFirst = new LinkedHashMap<>();
                for (String rank : ranks.subList(0, r + 1)) {
                    topFirst.put(rank, lineage.get(rank));
                }
                names.put(taxonomy.name(r, i), new Taxon(ranks.get(r), taxonomy.name(r, i),
                        Collections.unmodifiableMap(topFirst)));
            }
            byRank.put(ranks.get(r), names);
        }
    }

    /** Leaf paths with one name per rank, top first. */
    public static TaxonomyIndex of(List<String> ranks, List<String[]> leafPaths) {
        return new TaxonomyIndex(Taxonomy.fromPaths(ranks, leafPaths), Map.of());
    }

    /**
     * Loads a taxonomy from a labels.csv (rank columns family, genus, species, whichever are present), a
     * taxonomy.json, or a folder holding either (see {@link TaxonomyFile}).
     */
    public static TaxonomyIndex load(Path source) {
        TaxonomyFile file = TaxonomyFile.load(source);
        return new TaxonomyIndex(file.taxonomy(), file.commonNames());
    }

    /** Ranks, top (family) first. */
    public List<String> ranks() {
        return ranks;
    }

    public Optional<Taxon> find(String rank, String name) {
        Map<String, Taxon> names = byRank.get(rank);
        return names == null || name == null ? Optional.empty() : Optional.ofNullable(names.get(name.trim()));
    }

    /** Every taxon at a rank, by name. */
    public List<Taxon> at(String rank) {
        Map<String, Taxon> names = byRank.get(rank);
        return names == null ? List.of() : List.copyOf(names.values());
    }

    /** The common name of a taxon (e.g. "Painted Lady" for Vanessa cardui), when the taxonomy source gives one. */
    public Optional<String> commonName(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(commonNames.get(name.trim()));
    }

    public int size() {
        return byRank.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Taxa at any rank whose name or common name contains every word of the query (case-insensitive): names
     * starting with the query first, then higher ranks first (an expert sure only of the genus finds the genus before its species).
     */
    public List<Taxon> search(String query, int limit) {
        String q = query == null ? "" : query.trim().toLowerCase(Locale.ROOT);
        if (q.isEmpty()) {
            return List.of();
        }
        String[] words = q.split("\\s+");
        List<Taxon> hits = new ArrayList<>();
        for (Map<String, Taxon> names : byRank.values()) {
            for (Taxon t : names.values()) {
                String name = (t.name() + " " + commonNames.getOrDefault(t.name(), "")).toLowerCase(Locale.ROOT);
                boolean all = true;
                for (String w : words) {
                    all &= name.contains(w);
                }
                if (all) {
                    hits.add(t);
                }
            }
        }
        hits.sort(Comparator.<Taxon>comparingInt(t -> t.name().toLowerCase(Locale.ROOT).startsWith(q) ? 0 : 1)
                .thenComparingInt(t -> ranks.indexOf(t.rank())).thenComparing(Taxon::name));
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }
}
