package org.lepistream.review.claims;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.lepistream.review.claims.Claims.Claim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the live claims in one small JSON file in the console's state dir, rewritten whole (to a temporary file,
 * then moved into place) after every change, so a restarted console still knows who holds what and two reviewers
 * do not label the same sighting after a restart. Claims are few (one per reviewer at work) and human-paced.
 */
public final class ClaimFile {

    private record Entry(String sightingId, String reviewerId, long expiresAtMillis) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClaimFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public ClaimFile(Path file) {
        this.file = file;
    }

    /** The claims saved last; none when the file does not exist yet. An unreadable file is an error, not "none". */
    public List<Claim> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Entry> entries = JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() { });
            return entries.stream().map(e -> new Claim(e.sightingId(), e.reviewerId(),
                    Instant.ofEpochMilli(e.expiresAtMillis()))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the claims in " + file + " (delete it to free every claim)",
                    e);
        }
    }

    /** Replaces the saved claims; a failure is logged (the claims still hold in memory) and tried again next time. */
    public synchronized void save(Collection<Claim> claims) {
        List<Entry> entries = claims.stream().map(c -> new Entry(c.sightingId(), c.reviewerId(),
                c.expiresAt().toEpochMilli())).toList();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), entries);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.error("could not save the claims to {}: they hold until a restart only", file, e);
        }
    }
}
