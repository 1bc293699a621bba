package org.lepistream.vision.synthetic;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * Procedural butterfly photos with exact masks, written in the Leeds layout (labels.csv, images/*.jpg,
 * masks/*.png) so every tool runs on them unchanged. Family shows in wing shape, genus in colour, species
 * in small markings; backgrounds are random clutter. Everything follows from the seed: the same options
 * give byte-identical files.
 */
public final class SyntheticButterflies {
    private static final String[] FAMILY_STEMS = {"Aurel", "Boreal", "Cyan", "Drac", "Elys", "Fulv", "Glauc", "Hyal",
        "Ignot", "Jant", "Kalyp", "Lumin"};
    private static final String[] GENUS_STEMS = {"Alba", "Bryo", "Cala", "Dora", "Eura", "Fila", "Gora", "Hema",
        "Ira", "Jova", "Kira", "Lora", "Mira", "Nola", "Ora", "Pira", "Quila", "Rosa", "Sola", "Tera"};
    private static final String[] EPITHETS = {"alba", "fasciata", "ocellata", "punctata", "cincta", "maculata",
        "rubra", "margaritata", "minor", "major", "obscura", "splendens"};
    private static final float JPEG_QUALITY = 0.92f;

    /** What was written. */
    public record Result(Path dir, Taxonomy taxonomy, int images, int train, int val, int test) {
    }

    private SyntheticButterflies() {
    }

    /**
     * Writes a dataset into {@code out} (created if needed; must be empty, so stale files from an earlier
     * run cannot mix in) and returns its taxonomy and counts.
     */
    public static Result generate(Path out, GenerateOptions opts) throws IOException {
        if (Files.exists(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("output folder " + out + " is not empty");
                }
            }
        }
        Files.createDirectories(out.resolve("images"));
        Files.createDirectories(out.resolve("masks"));
        List<SpeciesDesign> designs = designs(opts);
        int perSpecies = opts.imagesPerSpecies();
        int valFrom = perSpecies - opts.valPerSpecies();
        int testFrom = valFrom - opts.testPerSpecies();
        try {
            IntStream.range(0, designs.size() * perSpecies).parallel().forEach(i -> {
                int s = i / perSpecies;
                int n = i % perSpecies;
                Rendering r = ButterflyPainter.render(designs.get(s), opts.size(), imageRandom(opts, s, n));
                try {
                    writeJpeg(r.image(), out.resolve("images/" + id(s, n) + ".jpg"));
                    writeMask(r.mask(), out.resolve("masks/" + id(s, n) + ".png"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        StringBuilder csv = new StringBuilder("id,image,mask,species,common_name,genus,family,split\n");
        List<String[]> paths = new ArrayList<>();
        for (int s = 0; s < designs.size(); s++) {
            SpeciesDesign d = designs.get(s);
            paths.add(new String[] {d.family(), d.genus(), d.species()});
            for (int n = 0; n < perSpecies; n++) {
                String id = id(s, n);
                csv.append(String.join(",", id, "images/" + id + ".jpg", "masks/" + id + ".png", d.species(),
                        d.commonName(), d.genus(), d.family(), n >= valFrom ? "val" : n >= testFrom ? "test" : "train")).append('\n');
            }
        }
        Files.writeString(out.resolve("labels.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("synthetic.json"), describe(opts), StandardCharsets.UTF_8);
        int val = opts.valPerSpecies() * designs.size();
        int test = opts.testPerSpecies() * designs.size();
        int total = perSpecies * designs.size();
        return new Result(out, Taxonomy.fromPaths(Taxonomy.DEFAULT_RANKS, paths), total, total - val - test, val,
                test);
    }

    /** The taxonomy {@link #generate} would write, without writing anything. */
    public static Taxonomy taxonomy(GenerateOptions opts) {
        List<String[]> paths = designs(opts).stream().map(d -> new String[] {d.family(), d.genus(), d.species()})
                .toList();
        return Taxonomy.fromPaths(Taxonomy.DEFAULT_RANKS, paths);
    }

    /**
     * Renders image {@code n} of species number {@code s} (generation order) exactly as {@link #generate}
     * does before JPEG encoding: useful for previews, tests and background-swap experiments.
     */
    public static Rendering render(GenerateOptions opts, int s, int n) {
        List<SpeciesDesign> designs = designs(opts);
        if (s < 0 || s >= designs.size() || n < 0) {
            throw new IllegalArgumentException("species number " + s + " outside 0.." + (designs.size() - 1)
                    + " or negative image number " + n);
        }
        return ButterflyPainter.render(designs.get(s), opts.size(), imageRandom(opts, s, n));
    }

    /** The sample id of image n of species s: species and image numbers, 1-based (Leeds style). */
    public static String id(int s, int n) {
        return String.format(Locale.ROOT, "%03d%04d", s + 1, n + 1);
    }

    static List<SpeciesDesign> designs(GenerateOptions opts) {
        Random random = new Random(opts.seed());
        List<SpeciesDesign> designs = new ArrayList<>();
        int genus = 0;
        for (int f = 0; f < opts.families(); f++) {
            WingShape shape = WingShape.archetype(f, random);
            String family = FAMILY_STEMS[f % FAMILY_STEMS.length] + (f < FAMILY_STEMS.length ? "" : "a" + f)
                    + "idae";
            for (int gi = 0; gi < opts.generaPerFamily(); gi++, genus++) {
                WingColours colours = WingColours.forGenus(genus, random);
                String genusName = GENUS_STEMS[genus % GENUS_STEMS.length]
                        + new String[] {"ris", "phila", "mus", "dora", "lis"}[(genus / GENUS_STEMS.length) % 5]
                        + (genus < GENUS_STEMS.length * 5 ? "" : String.valueOf(genus));
                for (int k = 0; k < opts.speciesInGenus(genus); k++) {
                    WingMarks marks = WingMarks.variant(k, random);
                    String epithet = EPITHETS[k % EPITHETS.length] + (k < EPITHETS.length ? "" : String.valueOf(k));
                    String common = colours.name() + " " + marks.name() + " " + shape.kind();
                    designs.add(new SpeciesDesign(family, genusName, genusName + " " + epithet, common, shape,
                            colours, marks));
                }
            }
        }
        return designs;
    }

    /** Independent, order-free stream per image, so parallel generation stays deterministic. */
    private static Random imageRandom(GenerateOptions opts, int s, int n) {
        long mixed = new SplittableRandom(opts.seed() * 0x9E3779B97F4A7C15L + s * 1_000_003L + n).nextLong();
        return new Random(mixed);
    }

    private static void writeJpeg(BufferedImage image, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
        try (OutputStream os = Files.newOutputStream(file);
                ImageOutputStream ios = new MemoryCacheImageOutputStream(os)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** 1-bit PNG like the Leeds masks. */
    private static void writeMask(BufferedImage mask, Path file) throws IOException {
        BufferedImage bits = new BufferedImage(mask.getWidth(), mask.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
        bits.getGraphics().drawImage(mask, 0, 0, null);
        if (!ImageIO.write(bits, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
    }

    private static String describe(GenerateOptions o) {
        return String.format(Locale.ROOT, "{\n  \"generator\": \"lepistream synthetic butterflies\",\n"
                + "  \"families\": %d,\n  \"generaPerFamily\": %d,\n  \"speciesPerGenus\": %d,\n  \"species\": %d,\n"
                + "  \"imagesPerSpecies\": %d,\n  \"size\": %d,\n  \"seed\": %d,\n  \"valFraction\": %s,\n"
                + "  \"testFraction\": %s\n}\n",
                o.families(), o.generaPerFamily(), o.speciesPerGenus(), o.totalSpecies(), o.imagesPerSpecies(),
                o.size(), o.seed(), o.valFraction(), o.testFraction());
    }
}
