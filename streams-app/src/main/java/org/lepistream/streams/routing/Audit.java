package org.lepistream.streams.routing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which accepted identifications an expert checks anyway, so that the precision of what the model accepts is measured
 * live and not only on validation photos. The choice is a hash of the sightingId: the same sighting is chosen on every
 * instance and after every restart, and it is independent of the decided taxon, so every taxon is audited at the same
 * expected share (a stratified sample by construction, rare taxa included).
 */
public final class Audit {

    public static final Audit NONE = new Audit(0);

    private final double share;

    /** @param share of accepted identifications sent to review as AUDIT, in [0, 1] */
    public Audit(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("audit share must be in [0, 1], got " + share);
        }
        this.share = share;
    }

    public double share() {
        return share;
    }

    public boolean selects(String sightingId) {
        return share > 0 && position(sightingId) < share;
    }

    /** The id's place in [0, 1): the first 53 bits of its SHA-256, uniform whatever the ids look like. */
    static double position(String sightingId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sightingId.getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
