package org.lepistream.streams.intake;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Sighting;

/**
 * How large each field of a sighting may be. Checked first at intake, each with its own reason, so that nothing
 * past intake (the batching buffer's changelog, review requests, dead letters) can be pushed over a record size
 * limit by one huge field: a sighting is at most its photo plus {@link #fieldBudgetBytes()}.
 *
 * @param maxIdChars sightingId and observerId
 * @param maxSourceChars the submitting programme
 * @param maxContentTypeChars the producer's claimed content type (it is replaced by the detected one anyway)
 * @param maxUriChars the image URI
 * @param maxMetadataEntries entries of the metadata map
 * @param maxMetadataBytes UTF-8 bytes of all metadata keys and values together
 */
public record SightingLimits(int maxIdChars, int maxSourceChars, int maxContentTypeChars, int maxUriChars,
        int maxMetadataEntries, int maxMetadataBytes) {

    public static final SightingLimits DEFAULTS = new SightingLimits(256, 256, 128, 4096, 64, 16 * 1024);

    /** The most all the fields but the photo can add to a sighting's wire size (with room for Avro framing). */
    public long fieldBudgetBytes() {
        // UTF-8 takes at most 4 bytes per char; every string or map entry also has a length prefix of up to 5 bytes.
        return 4L * (2 * maxIdChars + maxSourceChars + maxContentTypeChars + maxUriChars) + maxMetadataBytes
                + 10L * maxMetadataEntries + 1024;
    }

    /** The first field over its limit, as a rejection with that field's reason; empty when all fit. */
    public Optional<Admission.Rejected> check(Sighting s) {
        if (over(s.getSightingId(), maxIdChars)) {
            return reject(DeadLetterReason.SIGHTING_ID_TOO_LONG, "sightingId", s.getSightingId().length(), maxIdChars);
        }
        if (over(s.getObserverId(), maxIdChars)) {
            return reject(DeadLetterReason.OBSERVER_ID_TOO_LONG, "observerId", s.getObserverId().length(), maxIdChars);
        }
        if (over(s.getSource(), maxSourceChars)) {
            return reject(DeadLetterReason.SOURCE_TOO_LONG, "source", s.getSource().length(), maxSourceChars);
        }
        if (over(s.getContentType(), maxContentTypeChars)) {
            return reject(DeadLetterReason.CONTENT_TYPE_TOO_LONG, "contentType", s.getContentType().length(),
                    maxContentTypeChars);
        }
        if (over(s.getImageUri(), maxUriChars)) {
            return reject(DeadLetterReason.URI_TOO_LONG, "imageUri", s.getImageUri().length(), maxUriChars);
        }
        Map<String, String> metadata = s.getMetadata();
        if (metadata != null) {
            if (metadata.size() > maxMetadataEntries) {
                return Optional.of(new Admission.Rejected(DeadLetterReason.METADATA_TOO_LARGE, "validate",
                        "metadata has " + metadata.size() + " entries, over the limit of " + maxMetadataEntries));
            }
            long bytes = 0;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                bytes += utf8(e.getKey()) + utf8(e.getValue());
                if (bytes > maxMetadataBytes) {
                    return Optional.of(new Admission.Rejected(DeadLetterReason.METADATA_TOO_LARGE, "validate",
                            "metadata is over the limit of " + maxMetadataBytes + " bytes"));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean over(CharSequence text, int max) {
        return text != null && text.length() > max;
    }

    private static long utf8(CharSequence text) {
        return text == null ? 0 : text.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static Optional<Admission.Rejected> reject(DeadLetterReason reason, String field, int length, int max) {
        // The value itself is not quoted: it is what was too large (and the dead letter carries the original anyway).
        return Optional.of(new Admission.Rejected(reason, "validate", field + " is " + length
                + " characters, over the limit of " + max));
    }
}
