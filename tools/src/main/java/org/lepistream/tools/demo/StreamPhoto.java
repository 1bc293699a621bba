package org.lepistream.tools.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lepistream.decision.taxonomy.Taxonomy;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.PhotoFiles;
import org.lepistream.vision.data.Sample;

/**
 * A photo the demo streams and, when the data is labelled, its true taxon at every rank (what the simulated reviewer
 * answers and what the live view measures precision against).
 *
 * @param lineage rank → true name, top rank first; null for unlabelled photos
 */
record StreamPhoto(Path image, Map<String, String> lineage) {

    private static final Set<String> CHOSEN_ON = Set.of("train", "val");

    /** The finest rank with a true name. */
    String rank() {
        String last = null;
        for (String r : lineage.keySet()) {
            last = r;
        }
        return last;
    }

    String taxon() {
        return lineage.get(rank());
    }

    /**
     * The labelled photos that neither training nor the gate chose on (splits other than train and val), or every
     * labelled photo when the data has no such split.
     */
    static List<StreamPhoto> heldOut(Dataset data) {
        Taxonomy taxonomy = data.taxonomy();
        List<Sample> unseen = data.samples().stream().filter(StreamPhoto::unseen).toList();
        return (unseen.isEmpty() ? data.samples() : unseen).stream().map(s -> {
            Map<String, String> lineage = new LinkedHashMap<>();
            for (int r = 0; r < taxonomy.depth(); r++) {
                if (s.labels()[r] >= 0) {
                    lineage.put(taxonomy.ranks().get(r), taxonomy.name(r, s.labels()[r]));
                }
            }
            return new StreamPhoto(s.image(), lineage.isEmpty() ? null : java.util.Collections.unmodifiableMap(lineage));
        }).toList();
    }

    /** Whether {@link #heldOut} found photos nothing chose on. */
    static boolean hasHeldOut(Dataset data) {
        return data.samples().stream().anyMatch(StreamPhoto::unseen);
    }

    private static boolean unseen(Sample s) {
        return !CHOSEN_ON.contains(s.split());
    }

    static Dataset load(Path dataDir) {
        return Dataset.load(dataDir, DatasetOptions.defaults().withVerification(DatasetOptions.Verification.HEADER));
    }

    /** Every JPEG or PNG in the folder (or its images/), without labels. */
    static List<StreamPhoto> all(Path dataDir) throws IOException {
        Path images = Files.isDirectory(dataDir.resolve("images")) ? dataDir.resolve("images") : dataDir;
        List<StreamPhoto> list = PhotoFiles.in(images).stream().map(f -> new StreamPhoto(f, null)).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no JPEG or PNG photos in " + images);
        }
        return list;
    }
}
