package org.lepistream.review.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whole taxonomy an expert may label with, at every rank, and each taxon's lineage (its parents). Read from
 * a dataset's labels.csv or a model bundle's taxonomy.json by this module itself, so the console does not pull in
 * the vision module and its PyTorch runtime.
 */
public final class TaxonomyIndex {

    /** One node: its rank, its name, and its ancestors' names by rank (top first, itself last). */
    public record Taxon(String rank, String name, Map<String, String> lineage) {
        /** "Nymphalidae › Vanessa › Vanessa cardui". */
        public String path() {
            return String.join(" › ", lineage.values());
        }
    }

    private static final List<String> KNOWN_RANKS = List.of("family", "genus", "species");

    private final List<String> ranks;
    // rank -> name -> taxon
    private final Map<String, Map<String, Taxon>> byRank = new LinkedHashMap<>();
    // leaf name -> its common (vernacular) name, where the source gives one (labels.csv's common_name column)
    private final Map<String, String> commonNames = new TreeMap<>();

    private TaxonomyIndex(List<String> ranks, List<String[]> leafPaths) {
        this.ranks = List.copyOf(ranks);
        ranks.forEach(r -> byRank.put(r, new TreeMap<>()));
        for (String[] path : leafPaths) {
            Map<String, String> lineage = new LinkedHashMap<>();
            for (int r = 0; r < ranks.size(); r++) {
                String name = path[r].trim();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("taxonomy: empty " + ranks.get(r) + " name in leaf path "
                            + String.join("/", path));
                }
                lineage.put(ranks.get(r), name);
                Taxon existing = byRank.get(ranks.get(r)).get(name);
                if (existing != null && !existing.lineage().equals(lineage)) {
                    throw new IllegalArgumentException("taxonomy: " + ranks.get(r) + " '" + name
                            + "' has two parents: " + existing.path() + " and " + String.join(" › ", lineage.values()));
                }
                if (existing == null) {
                    byRank.get(ranks.get(r)).put(name, new Taxon(ranks.get(r), name,
                            java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lineage))));
                }
            }
        }
        if (byRank.get(ranks.get(ranks.size() - 1)).isEmpty()) {
            throw new IllegalArgumentException("taxonomy has no leaves");
        }
    }

    /** Leaf paths with one name per rank, top first. */
    public static TaxonomyIndex of(List<String> ranks, List<String[]> leafPaths) {
        if (ranks.isEmpty()) {
            throw new IllegalArgumentException("taxonomy needs at least one rank");
        }
        return new TaxonomyIndex(ranks, leafPaths);
    }

    /**
     * Loads a taxonomy from a labels.csv (rank columns family, genus, species, whichever are present), a
     * taxonomy.json ({"ranks": [...], "leaves": [[...], ...]}), or a folder holding either.
     */
    public static TaxonomyIndex load(Path source) {
        Path file = source;
        if (Files.isDirectory(source)) {
            file = Files.isRegularFile(source.resolve("taxonomy.json")) ? source.resolve("taxonomy.json")
                    : source.resolve("labels.csv");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("taxonomy source " + source
                    + " is not a labels.csv, a taxonomy.json, or a folder holding one");
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? fromJson(text, file)
                    : fromCsv(text, file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read taxonomy " + file + ": " + e.getMessage(), e);
        }
    }

    private static TaxonomyIndex fromJson(String text, Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(text);
        if (root == null || !root.path("ranks").isArray() || !root.path("leaves").isArray()) {
            throw new IllegalArgumentException(file + ": a taxonomy.json needs 'ranks' and 'leaves' arrays");
        }
        List<String> ranks = new ArrayList<>();
        root.get("ranks").forEach(n -> ranks.add(n.asText()));
        List<String[]> leaves = new ArrayList<>();
        for (JsonNode leaf : root.get("leaves")) {
            if (!leaf.isArray() || leaf.size() != ranks.size()) {
                throw new IllegalArgumentException(file + ": every leaf needs one name per rank " + ranks + ", got "
                        + leaf);
            }
            String[] path = new String[ranks.size()];
            for (int i = 0; i < path.length; i++) {
                path[i] = leaf.get(i).asText();
            }
            leaves.add(path);
        }
        return of(ranks, leaves);
    }

    private static TaxonomyIndex fromCsv(String text, Path file) {
        List<List<String>> rows = CsvLines.parse(text);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        List<String> header = rows.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        List<String> ranks = KNOWN_RANKS.stream().filter(header::contains).toList();
        if (ranks.isEmpty()) {
            throw new IllegalArgumentException(file + " has none of the rank columns " + KNOWN_RANKS);
        }
        int[] columns = ranks.stream().mapToInt(header::indexOf).toArray();
        int common = header.indexOf("common_name");
        Map<String, String> commonNames = new TreeMap<>();
        List<String[]> leaves = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            String[] path = new String[columns.length];
            for (int r = 0; r < columns.length; r++) {
                if (columns[r] >= row.size()) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + " has too few columns");
                }
                path[r] = row.get(columns[r]);
            }
            leaves.add(path);
            if (common >= 0 && common < row.size() && !row.get(common).isBlank()) {
                commonNames.put(path[path.length - 1].trim(), row.get(common).trim());
            }
        }
        TaxonomyIndex index = of(ranks, leaves);
        index.commonNames.putAll(commonNames);
        return index;
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
