package org.lepistream.review.consensus;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.lepistream.review.state.JsonStateFile;

/**
 * The verdicts given on sightings that wait for a second reviewer, kept (when a file is given) in the console's state
 * dir beside the claims, so a restart loses no reviewer's work.
 */
public final class Opinions {

    private final Map<String, List<Opinion>> bySighting = new TreeMap<>();
    private final Optional<JsonStateFile<Map<String, List<Opinion>>>> file;

    public Opinions(Optional<Path> file) {
        this.file = file.map(f -> new JsonStateFile<>(f, new TypeReference<Map<String, List<Opinion>>>() { },
                "the opinions awaiting a second reviewer"));
        this.file.flatMap(JsonStateFile::load).ifPresent(bySighting::putAll);
    }

    public synchronized List<Opinion> of(String sightingId) {
        return List.copyOf(bySighting.getOrDefault(sightingId, List.of()));
    }

    public synchronized Optional<Opinion> from(String sightingId, String reviewerId) {
        return bySighting.getOrDefault(sightingId, List.of()).stream()
                .filter(o -> o.reviewerId().equals(reviewerId)).findFirst();
    }

    /** Sighting id → how many verdicts it has so far. */
    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        bySighting.forEach((id, list) -> counts.put(id, list.size()));
        return counts;
    }

    synchronized void add(String sightingId, Opinion opinion) {
        bySighting.computeIfAbsent(sightingId, k -> new ArrayList<>()).add(opinion);
        save();
    }

    synchronized void remove(String sightingId) {
        if (bySighting.remove(sightingId) != null) {
            save();
        }
    }

    private void save() {
        file.ifPresent(f -> f.save(new TreeMap<>(bySighting)));
    }
}
