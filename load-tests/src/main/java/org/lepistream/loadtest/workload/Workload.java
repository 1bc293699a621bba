package org.lepistream.loadtest.workload;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.lepistream.schemas.Sighting;

/**
 * Which photos a load run sends: a fixed pool of encoded images cycled in order, each send a new sighting with a
 * run-unique id, optionally with every n-th photo cut in half so the dead-letter path carries its share of the load.
 */
public final class Workload {

    /** One encoded photo of the pool. */
    public record Photo(String name, byte[] bytes, String contentType) {
    }

    private final String description;
    private final List<Photo> photos;
    private final int badEvery;

    /**
     * @param description what the pool is, for the report
     * @param photos at least one photo
     * @param badEvery 0 for none, else every n-th sighting (1-based) carries a truncated photo
     */
    public Workload(String description, List<Photo> photos, int badEvery) {
        if (photos.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one photo (" + description + ")");
        }
        if (badEvery < 0) {
            throw new IllegalArgumentException("bad-every must be 0 (none) or positive, got " + badEvery);
        }
        this.description = description;
        this.photos = List.copyOf(photos);
        this.badEvery = badEvery;
    }

    public String description() {
        return description + (badEvery > 0 ? "; every " + badEvery + "th photo truncated (expected on the dead-letter topic)" : "");
    }

    public int poolSize() {
        return photos.size();
    }

    /** Whether sighting number {@code n} (0-based) carries a deliberately broken photo. */
    public boolean isBad(long n) {
        return badEvery > 0 && (n + 1) % badEvery == 0;
    }

    /** The id of sighting {@code n} of run {@code runId}: unique per run, so results of other runs are never matched. */
    public static String sightingId(String runId, long n) {
        return runId + "-" + n;
    }

    /** Sighting number {@code n} (0-based) of the run. */
    public Sighting sighting(String runId, long n) {
        Photo photo = photos.get((int) (n % photos.size()));
        byte[] bytes = isBad(n) ? Arrays.copyOf(photo.bytes(), photo.bytes().length / 2) : photo.bytes();
        return Sighting.newBuilder()
                .setSightingId(sightingId(runId, n))
                .setObserverId("load-test")
                .setObservedAt(Instant.now())
                .setImage(ByteBuffer.wrap(bytes))
                .setContentType(photo.contentType())
                .setSource("lepistream-load-test")
                .setMetadata(Map.of("fileName", photo.name()))
                .build();
    }
}
