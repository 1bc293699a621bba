package org.lepistream.decision.routing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A share of sightings chosen by a hash of the sightingId alone: the same sighting is in it on every instance and after
 * every restart, a larger share holds every sighting a smaller one does, and the choice is independent of anything the
 * model said (so every taxon is sampled at the same expected share).
 */
public record SightingShare(double share) {

    public SightingShare {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1], got " + share);
        }
    }

    public boolean contains(String sightingId) {
        return share > 0 && position(sightingId) < share;
    }

    /** The id's place in [0, 1): the first 53 bits of its SHA-256, uniform whatever the ids look like. */
    public static double position(String sightingId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sightingId.getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
