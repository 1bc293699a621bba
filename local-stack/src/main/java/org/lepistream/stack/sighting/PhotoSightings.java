package org.lepistream.stack.sighting;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.lepistream.schemas.Sighting;

/**
 * Turns photo files into {@link Sighting}s, the way a citizen-science app would submit them.
 *
 * <p>The sighting id is a name-based UUID of observer + file name: sending the same folder again yields the same ids
 * (and keys), so a repeated run is recognisable downstream as re-submissions rather than new sightings. Different
 * observers sending the same file name get different ids. The observation time is the file's last-modified time.
 */
public final class PhotoSightings {

    /** Metadata key holding the photo's file name (handy to match results against labels.csv). */
    public static final String FILE_NAME = "fileName";

    private final String observerId;
    private final String source;

    /** Sightings attributed to {@code observerId} from the programme {@code source}. */
    public PhotoSightings(String observerId, String source) {
        if (observerId == null || observerId.isBlank()) {
            throw new IllegalArgumentException("observer id must not be blank");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must not be blank");
        }
        this.observerId = observerId;
        this.source = source;
    }

    /** The id a photo of this file name gets from this observer. */
    public String sightingId(String fileName) {
        byte[] name = ("lepistream-produce\u0000" + observerId + "\u0000" + fileName).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(name).toString();
    }

    /** A sighting carrying the photo inline. */
    public Sighting of(PhotoFolder.Entry photo) throws IOException {
        return of(photo, false);
    }

    /**
     * A sighting carrying the photo inline, or by reference (an absolute {@code file:} URI the service fetches through
     * its allow-list): what a photo larger than a Kafka record takes must travel as.
     */
    public Sighting of(PhotoFolder.Entry photo, boolean byReference) throws IOException {
        if (!photo.isPhoto()) {
            throw new IllegalArgumentException(photo.file() + " is not a photo: " + photo.skipReason());
        }
        String fileName = photo.file().getFileName().toString();
        Instant taken = Files.getLastModifiedTime(photo.file()).toInstant().truncatedTo(ChronoUnit.MILLIS);
        return Sighting.newBuilder()
                .setSightingId(sightingId(fileName))
                .setObserverId(observerId)
                .setObservedAt(taken)
                .setImage(byReference ? null : ByteBuffer.wrap(photo.bytes()))
                .setImageUri(byReference ? photo.file().toAbsolutePath().normalize().toUri().toString() : null)
                .setContentType(photo.type().contentType())
                .setSource(source)
                .setMetadata(Map.of(FILE_NAME, fileName))
                .build();
    }
}
