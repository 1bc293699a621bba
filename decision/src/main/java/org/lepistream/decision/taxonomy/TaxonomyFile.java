package org.lepistream.decision.taxonomy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A taxonomy as it is stored: a dataset's {@code labels.csv} (the rank columns family, genus, species that are present,
 * and an optional {@code common_name} of each leaf), a bundle's {@code taxonomy.json}, or a folder holding either
 * (taxonomy.json first). Every process that needs the taxonomy without a model reads it through this.
 *
 * @param commonNames leaf name → vernacular name, where the source gives one
 */
public record TaxonomyFile(Taxonomy taxonomy, Map<String, String> commonNames) {

    public TaxonomyFile {
        commonNames = Map.copyOf(commonNames);
    }

    /** @throws TaxonomyException naming the file and what is wrong with it */
    public static TaxonomyFile load(Path source) {
        Path file = source;
        if (Files.isDirectory(source)) {
            file = Files.isRegularFile(source.resolve("taxonomy.json")) ? source.resolve("taxonomy.json")
                    : source.resolve("labels.csv");
        }
        if (!Files.isRegularFile(file)) {
            throw new TaxonomyException("taxonomy source " + source
                    + " is not a labels.csv, a taxonomy.json, or a folder holding one");
        }
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                return new TaxonomyFile(Taxonomy.fromJson(Files.readString(file, StandardCharsets.UTF_8)), Map.of());
            }
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return fromLabels(Csv.read(in), file);
            }
        } catch (IOException e) {
            throw new TaxonomyException("cannot read taxonomy " + file + ": " + e.getMessage(), e);
        } catch (TaxonomyException e) {
            throw e.getMessage().contains(file.toString()) ? e
                    : new TaxonomyException(file + ": " + e.getMessage(), e);
        }
    }

    private static TaxonomyFile fromLabels(List<Csv.Row> rows, Path file) {
        if (rows.isEmpty()) {
            throw new TaxonomyException(file + " is empty");
        }
        List<String> header = rows.get(0).fields().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        List<String> ranks = Taxonomy.DEFAULT_RANKS.stream().filter(header::contains).toList();
        if (ranks.isEmpty()) {
            throw new TaxonomyException(file + " has none of the rank columns " + Taxonomy.DEFAULT_RANKS);
        }
        int[] columns = ranks.stream().mapToInt(header::indexOf).toArray();
        int common = header.indexOf("common_name");
        Map<String, String> commonNames = new TreeMap<>();
        List<String[]> paths = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            String[] path = new String[columns.length];
            for (int r = 0; r < columns.length; r++) {
                if (columns[r] >= row.fields().size()) {
                    throw new TaxonomyException(file + " line " + row.line() + " has too few columns");
                }
                path[r] = row.fields().get(columns[r]);
            }
            paths.add(path);
            lines.add(row.line());
            if (common >= 0 && common < row.fields().size() && !row.fields().get(common).isBlank()) {
                commonNames.put(path[path.length - 1].trim(), row.fields().get(common).trim());
            }
        }
        return new TaxonomyFile(Taxonomy.fromPaths(ranks, paths, i -> "line " + lines.get(i)), commonNames);
    }
}
