package org.lepistream.vision.data;

import org.lepistream.decision.taxonomy.Csv;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.lepistream.vision.data.DatasetOptions.Verification;
import org.lepistream.vision.data.ImageDecoder.ImageInfo;
import org.lepistream.vision.data.LoadReport.Kind;
import org.lepistream.vision.data.LoadReport.Problem;
import org.lepistream.decision.taxonomy.Taxonomy;
import org.lepistream.decision.taxonomy.TaxonomyException;

/**
 * A folder of labelled photos: {@code labels.csv} ({@code id,image,mask,<rank columns>,split}, paths
 * relative to the folder, extra columns ignored) plus the images and masks it names. Rows may leave lower
 * ranks blank (an expert named only the genus); the taxonomy is built from the rows with every rank filled.
 * Images that cannot be used are skipped and listed in {@link #report()}; label errors abort the load.
 */
public final class Dataset {
    public static final String LABELS_FILE = "labels.csv";
    private static final int MAX_ERRORS_SHOWN = 10;
    /** Masks may be stored at another resolution, but must have the image's shape. */
    private static final double MAX_ASPECT_DIFFERENCE = 0.02;

    private final Path dir;
    private final Taxonomy taxonomy;
    private final List<Sample> samples;
    private final LoadReport report;

    private Dataset(Path dir, Taxonomy taxonomy, List<Sample> samples, LoadReport report) {
        this.dir = dir;
        this.taxonomy = taxonomy;
        this.samples = List.copyOf(samples);
        this.report = report;
    }

    /** Loads with {@link DatasetOptions#defaults()}. */
    public static Dataset load(Path dir) {
        return load(dir, DatasetOptions.defaults());
    }

    /** Reads labels.csv, builds (or maps into) the taxonomy, checks every image, and reports what it skipped. */
    public static Dataset load(Path dir, DatasetOptions opts) {
        Path csv = dir.resolve(LABELS_FILE);
        List<Csv.Row> rows;
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            rows = Csv.read(in);
        } catch (NoSuchFileException e) {
            throw new DatasetException("no " + LABELS_FILE + " in " + dir.toAbsolutePath());
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new DatasetException(csv + " is empty (expected a header line)");
        }
        Columns columns = Columns.of(rows.get(0).fields(), opts.rankColumns(), csv);
        List<Csv.Row> body = rows.subList(1, rows.size());
        if (body.isEmpty()) {
            throw new DatasetException(csv + " has a header but no rows");
        }
        List<String> errors = new ArrayList<>();
        List<Row> parsed = parseRows(body, columns, csv, errors);
        // Collect every label problem before failing, so one run shows the whole list to fix.
        Taxonomy taxonomy;
        try {
            taxonomy = opts.taxonomy() != null ? opts.taxonomy() : buildTaxonomy(parsed, opts.rankColumns(), csv);
        } catch (DatasetException e) {
            errors.add(e.getMessage());
            throw tooMany(errors, csv);
        }
        List<int[]> labels = new ArrayList<>();
        for (Row row : parsed) {
            labels.add(resolveLabels(taxonomy, row, errors));
        }
        if (!errors.isEmpty()) {
            throw tooMany(errors, csv);
        }

        ImageDecoder decoder = new ImageDecoder(opts.maxPixels());
        List<Sample> samples = new ArrayList<>();
        List<Problem> skipped = new ArrayList<>();
        List<Problem> droppedMasks = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            Row row = parsed.get(i);
            Path image = dir.resolve(row.image());
            Check imageCheck = check(decoder, image, opts.verification());
            if (imageCheck.problem() != null) {
                skipped.add(new Problem(row.line(), row.id(), row.image(), imageCheck.problem(), imageCheck.message()));
                continue;
            }
            Path mask = row.mask().isEmpty() ? null : dir.resolve(row.mask());
            if (mask != null) {
                Check maskCheck = check(decoder, mask, opts.verification());
                Kind maskProblem = maskCheck.problem();
                String message = maskCheck.message();
                if (maskProblem == null && !sameShape(imageCheck.info(), maskCheck.info())) {
                    maskProblem = Kind.SIZE_MISMATCH;
                    message = "mask " + maskCheck.info().width() + "x" + maskCheck.info().height() + " vs image "
                            + imageCheck.info().width() + "x" + imageCheck.info().height();
                }
                if (maskProblem != null) {
                    droppedMasks.add(new Problem(row.line(), row.id(), row.mask(), maskProblem, message));
                    mask = null;
                }
            }
            int[] nodeLabels = labels.get(i);
            samples.add(new Sample(row.id(), image, mask, nodeLabels[nodeLabels.length - 1], nodeLabels, row.split()));
        }
        LoadReport report = new LoadReport(parsed.size(), samples.size(), skipped, droppedMasks);
        return new Dataset(dir, taxonomy, samples, report);
    }

    /** Column positions found in the header. */
    private record Columns(int id, int image, int mask, int[] ranks, int split, int width) {
        static Columns of(List<String> header, List<String> rankColumns, Path csv) {
            Map<String, Integer> at = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                at.putIfAbsent(header.get(i).trim(), i);
            }
            List<String> required = new ArrayList<>(List.of("id", "image", "mask"));
            required.addAll(rankColumns);
            required.add("split");
            List<String> missing = required.stream().filter(c -> !at.containsKey(c)).toList();
            if (!missing.isEmpty()) {
                throw new DatasetException(csv + " lacks column" + (missing.size() > 1 ? "s " : " ")
                        + String.join(", ", missing) + " (header: " + String.join(",", header) + ")");
            }
            int[] ranks = rankColumns.stream().mapToInt(at::get).toArray();
            return new Columns(at.get("id"), at.get("image"), at.get("mask"), ranks, at.get("split"), header.size());
        }
    }

    /** A syntactically valid row; rank names are "" where unknown. */
    private record Row(int line, String id, String image, String mask, String[] names, String split) {
    }

    private static List<Row> parseRows(List<Csv.Row> body, Columns c, Path csv, List<String> errors) {
        List<Row> parsed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Csv.Row raw : body) {
            List<String> f = raw.fields();
            String where = "line " + raw.line();
            if (f.size() != c.width()) {
                errors.add(where + ": " + f.size() + " fields, header has " + c.width());
                continue;
            }
            String id = f.get(c.id()).trim();
            String image = f.get(c.image()).trim();
            String split = f.get(c.split()).trim();
            String[] names = new String[c.ranks().length];
            boolean anyRank = false;
            for (int r = 0; r < names.length; r++) {
                names[r] = f.get(c.ranks()[r]).trim();
                anyRank |= !names[r].isEmpty();
            }
            if (id.isEmpty()) {
                errors.add(where + ": blank id");
            } else if (!ids.add(id)) {
                errors.add(where + ": duplicate id " + id);
            }
            if (image.isEmpty()) {
                errors.add(where + ": blank image path");
            }
            if (split.isEmpty()) {
                errors.add(where + ": blank split");
            }
            if (!anyRank) {
                errors.add(where + ": no label at any rank");
            }
            parsed.add(new Row(raw.line(), id, image, f.get(c.mask()).trim(), names, split));
        }
        return parsed;
    }

    private static Taxonomy buildTaxonomy(List<Row> rows, List<String> ranks, Path csv) {
        List<String[]> paths = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (Row row : rows) {
            if (Arrays.stream(row.names()).noneMatch(String::isEmpty)) {
                paths.add(row.names());
                lines.add(row.line());
            }
        }
        if (paths.isEmpty()) {
            throw new DatasetException("no row names every rank " + ranks + ", so there is no taxonomy");
        }
        try {
            return Taxonomy.fromPaths(ranks, paths, i -> csv.getFileName() + " line " + lines.get(i));
        } catch (TaxonomyException e) {
            throw new DatasetException(e.getMessage(), e);
        }
    }

    /**
     * Node index per rank: the deepest named rank decides the node, ancestors are filled from the taxonomy,
     * and any ancestor the row also names must agree with it.
     */
    private static int[] resolveLabels(Taxonomy taxonomy, Row row, List<String> errors) {
        int depth = taxonomy.depth();
        int[] labels = new int[depth];
        Arrays.fill(labels, -1);
        int deepest = -1;
        for (int r = depth - 1; r >= 0 && deepest < 0; r--) {
            if (!row.names()[r].isEmpty()) {
                deepest = r;
            }
        }
        if (deepest < 0) {
            return labels; // already reported as "no label at any rank"
        }
        int node = taxonomy.indexOf(deepest, row.names()[deepest]);
        if (node < 0) {
            errors.add("line " + row.line() + ": " + taxonomy.ranks().get(deepest) + " '" + row.names()[deepest]
                    + "' is not in the taxonomy");
            return labels;
        }
        for (int r = deepest; r >= 0; r--) {
            labels[r] = node;
            String named = row.names()[r];
            if (!named.isEmpty() && !named.equals(taxonomy.name(r, node))) {
                errors.add("line " + row.line() + ": " + taxonomy.ranks().get(r) + " '" + named + "' contradicts the "
                        + "taxonomy, where " + taxonomy.ranks().get(deepest) + " '" + row.names()[deepest] + "' is under "
                        + taxonomy.ranks().get(r) + " '" + taxonomy.name(r, node) + "'");
            }
            if (r > 0) {
                node = taxonomy.parent(r, node);
            }
        }
        return labels;
    }

    private static DatasetException tooMany(List<String> errors, Path csv) {
        List<String> shown = errors.subList(0, Math.min(errors.size(), MAX_ERRORS_SHOWN));
        return new DatasetException(csv + ": " + errors.size() + " problem(s): " + String.join("; ", shown)
                + (errors.size() > shown.size() ? "; …" : ""));
    }

    /** Outcome of checking one file: info when usable, else a problem kind and message. */
    private record Check(ImageInfo info, Kind problem, String message) {
    }

    private static Check check(ImageDecoder decoder, Path file, Verification verification) {
        try {
            if (verification == Verification.DECODE) {
                BufferedImage img = decoder.decode(file);
                return new Check(new ImageInfo("decoded", img.getWidth(), img.getHeight()), null, null);
            }
            return new Check(decoder.probe(file), null, null);
        } catch (ImageRejectedException e) {
            Kind kind = e.reason() == ImageRejectedException.Reason.OVERSIZED_DIMENSIONS ? Kind.OVERSIZED : Kind.UNREADABLE;
            return new Check(null, kind, e.getMessage());
        } catch (IOException e) {
            return new Check(null, Kind.MISSING, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static boolean sameShape(ImageInfo image, ImageInfo mask) {
        double a = (double) image.width() / image.height();
        double b = (double) mask.width() / mask.height();
        return Math.abs(a - b) <= MAX_ASPECT_DIFFERENCE * a;
    }

    /** The folder this was loaded from. */
    public Path dir() {
        return dir;
    }

    public Taxonomy taxonomy() {
        return taxonomy;
    }

    /** Every usable sample, in labels.csv order. */
    public List<Sample> samples() {
        return samples;
    }

    /** The samples of one split (e.g. "train", "val"), in file order; empty if the split does not exist. */
    public List<Sample> split(String name) {
        return samples.stream().filter(s -> s.split().equals(name)).toList();
    }

    /** Split names present, sorted. */
    public Set<String> splits() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.split()));
        return Collections.unmodifiableSet(names);
    }

    /** What was loaded and skipped. */
    public LoadReport report() {
        return report;
    }
}
