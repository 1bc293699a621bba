package org.lepistream.loadtest.workload;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.lepistream.stack.sighting.PhotoFolder;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;

/** Builds {@link Workload}s from a folder of real photos or from generated butterflies. */
public final class Workloads {

    private Workloads() {
    }

    /**
     * Every photo directly inside {@code dir} (non-images are skipped), read once into memory so that disk reads do
     * not pace the load; at most {@code limit} photos when {@code limit > 0}.
     */
    public static Workload folder(Path dir, int limit, int badEvery) throws IOException {
        List<Workload.Photo> photos = new ArrayList<>();
        int skipped = 0;
        for (Path file : PhotoFolder.of(dir).entries()) {
            if (limit > 0 && photos.size() >= limit) {
                break;
            }
            PhotoFolder.Entry entry = PhotoFolder.read(file);
            if (!entry.isPhoto()) {
                skipped++;
                continue;
            }
            photos.add(new Workload.Photo(file.getFileName().toString(), entry.bytes(), entry.type().contentType()));
        }
        long bytes = photos.stream().mapToLong(p -> p.bytes().length).sum();
        String text = photos.size() + " photos of " + dir + " (mean " + (photos.isEmpty() ? 0 : bytes / photos.size() / 1024)
                + " KiB" + (skipped > 0 ? ", " + skipped + " non-images skipped" : "") + ")";
        return new Workload(text, photos, badEvery);
    }

    /** {@code count} generated butterflies of {@code size}² pixels as JPEGs (deterministic for a seed). */
    public static Workload synthetic(int count, int size, long seed, int badEvery) {
        if (count < 1) {
            throw new IllegalArgumentException("synthetic photo count must be positive, got " + count);
        }
        GenerateOptions opts = GenerateOptions.defaults().withImages(Math.max(1, count), size).withSeed(seed);
        int species = opts.totalSpecies();
        List<Workload.Photo> photos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = SyntheticButterflies.render(opts, i % species, i / species).image();
            photos.add(new Workload.Photo("synthetic-" + SyntheticButterflies.id(i % species, i / species) + ".jpg",
                    jpeg(image), "image/jpeg"));
        }
        return new Workload(count + " synthetic butterflies of " + size + " px (seed " + seed + ")", photos, badEvery);
    }

    private static byte[] jpeg(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "jpeg", out)) {
                throw new IllegalStateException("no JPEG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
