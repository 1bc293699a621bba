package org.lepistream.review.claims;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.lepistream.review.claims.Claims.Claim;
import org.lepistream.review.state.JsonStateFile;

/**
 * Keeps the live claims in the console's state dir, so a restarted console still knows who holds what and two
 * reviewers do not label the same sighting after a restart. Claims are few (one per reviewer at work).
 */
public final class ClaimFile {

    private record Entry(String sightingId, String reviewerId, long expiresAtMillis) {
    }

    private final JsonStateFile<List<Entry>> file;

    public ClaimFile(Path file) {
        this.file = new JsonStateFile<>(file, new TypeReference<List<Entry>>() { }, "the claims");
    }

    /** The claims saved last; none when the file does not exist yet. */
    public List<Claim> load() {
        return file.load().orElse(List.of()).stream().map(e -> new Claim(e.sightingId(), e.reviewerId(),
                Instant.ofEpochMilli(e.expiresAtMillis()))).toList();
    }

    /** Replaces the saved claims. */
    public void save(Collection<Claim> claims) {
        file.save(claims.stream().map(c -> new Entry(c.sightingId(), c.reviewerId(), c.expiresAt().toEpochMilli()))
                .toList());
    }
}
