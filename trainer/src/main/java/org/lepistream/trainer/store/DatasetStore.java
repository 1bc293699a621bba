package org.lepistream.trainer.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The trainer's durable dataset: a folder in the vision dataset layout ({@code labels.csv} + {@code images/}) plus
 * {@code examples/<id>.json} metadata and {@code rejected/<source>.json}. Every write goes to a temporary file, is
 * fsynced and atomically renamed, so a crash leaves either the old or the new file, never half of one; the example's
 * JSON is written last and is the record of truth, labels.csv is regenerated from the JSON files. Writing the same
 * sighting again replaces its example, so replaying labels after a crash cannot duplicate anything.
 */
public final class DatasetStore {
    public static final String EXAMPLES = "examples";
    public static final String IMAGES = "images";
    public static final String REJECTED = "rejected";
    /** Suffix of {@link #writeAtomically}'s temp files. */
    private static final String TMP = ".tmp";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final Map<String, TrainingExample> examples = new TreeMap<>();

    /** Opens (creating if needed) the store and reads every example already in it. */
    public DatasetStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root.resolve(EXAMPLES));
            Files.createDirectories(this.root.resolve(IMAGES));
            Files.createDirectories(this.root.resolve(REJECTED));
            for (Path dir : List.of(this.root, this.root.resolve(EXAMPLES), this.root.resolve(IMAGES),
                    this.root.resolve(REJECTED))) {
                removeHalfWritten(dir);
            }
            try (Stream<Path> files = Files.list(this.root.resolve(EXAMPLES))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    TrainingExample e = JSON.readValue(f.toFile(), TrainingExample.class);
                    examples.put(e.id(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the dataset store at " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** A file-name-safe, collision-free key for a sighting id. */
    public static String keyOf(String sightingId) {
        StringBuilder sb = new StringBuilder();
        for (char c : sightingId.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.') {
                sb.append(c);
            } else {
                sb.append('~').append(String.format("%04x", (int) c));
            }
        }
        String key = sb.toString();
        return key.startsWith(".") ? "~002e" + key.substring(1) : key;
    }

    /**
     * Makes one example durable: the photo first, then its JSON (so a JSON file always has its photo), both fsynced.
     * Returns true when the sighting was new, false when an earlier example for it was replaced.
     */
    public synchronized boolean put(TrainingExample example, byte[] photo, String extension) {
        Path image = root.resolve(IMAGES).resolve(example.id() + "." + extension);
        TrainingExample stored = withImage(example, root.relativize(image).toString());
        try {
            writeAtomically(image, photo);
            writeAtomically(root.resolve(EXAMPLES).resolve(example.id() + ".json"), JSON.writeValueAsBytes(stored));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store example " + example.id(), e);
        }
        return examples.put(stored.id(), stored) == null;
    }

    /** Records a rejected label durably (keyed by its source record, so a replay overwrites the same file). */
    public synchronized void reject(Rejection r) {
        try {
            writeAtomically(root.resolve(REJECTED).resolve(keyOf(r.source()) + ".json"), JSON.writeValueAsBytes(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record rejection of " + r.sightingId(), e);
        }
    }

    /** Every example, by id. */
    public synchronized List<TrainingExample> examples() {
        return List.copyOf(examples.values());
    }

    /** Examples with a taxon (the ones labels.csv lists). */
    public synchronized List<TrainingExample> trainable() {
        return examples.values().stream().filter(TrainingExample::trainable).toList();
    }

    /** Examples with a taxon that a candidate may learn from: every one but the audits. */
    public synchronized List<TrainingExample> learnable() {
        return examples.values().stream().filter(e -> e.trainable() && !e.audit()).toList();
    }

    /** Audits with a taxon: what measures a candidate's precision on live accepted traffic. */
    public synchronized List<TrainingExample> audits() {
        return examples.values().stream().filter(e -> e.trainable() && e.audit()).toList();
    }

    public synchronized int size() {
        return examples.size();
    }

    /** Rejections recorded so far. */
    public List<Rejection> rejections() {
        try (Stream<Path> files = Files.list(root.resolve(REJECTED))) {
            List<Rejection> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(JSON.readValue(f.toFile(), Rejection.class));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites labels.csv ({@code id,image,mask,<ranks>,split}; every example is in split {@code train}) from the
     * examples with a taxon, atomically, and returns its path. {@code ranks} name the columns of each example's
     * labels, top→leaf (the model's taxonomy ranks).
     */
    public synchronized Path writeLabels(List<String> ranks) {
        StringBuilder sb = new StringBuilder("id,image,mask,").append(String.join(",", ranks)).append(",split\n");
        for (TrainingExample e : examples.values()) {
            if (!e.trainable()) {
                continue;
            }
            sb.append(csv(e.id())).append(',').append(csv(e.image())).append(',');
            for (int r = 0; r < ranks.size(); r++) {
                sb.append(',').append(csv(r < e.labels().size() ? e.labels().get(r) : ""));
            }
            sb.append(",train\n");
        }
        Path file = root.resolve("labels.csv");
        try {
            writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
        return file;
    }

    private static String csv(String v) {
        if (v == null) {
            return "";
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static TrainingExample withImage(TrainingExample e, String image) {
        return new TrainingExample(e.id(), e.sightingId(), image, e.verdict(), e.taxon(), e.rank(), e.labels(),
                e.reviewerId(), e.labelledAt(), e.modelVersion(), e.predicted(), e.decidedTaxon(), e.decidedRank(),
                e.overlap(), e.confidence(), e.route(), e.lowOverlap(), e.correct(), e.weightClass(),
                e.outcomeWeight(), e.source(), e.ingestedAt(), e.extra(), e.reasons());
    }

    /**
     * Removes the temp files of {@link #writeAtomically} that a crash left before their rename: they never hold the
     * real file (the target is either the old one or the complete new one), so nothing is lost. Only the trainer
     * writes to a store, and it opens the store before it writes.
     */
    private static void removeHalfWritten(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(TMP)).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Temp file in the same folder, fsync, atomic rename, fsync of the folder. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            out.write(bytes);
            out.flush();
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot open a directory for fsync; the rename is still atomic there.
        }
    }
}
