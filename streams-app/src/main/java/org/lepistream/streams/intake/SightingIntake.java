package org.lepistream.streams.intake;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Sighting;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.ImageRejectedException;

/**
 * Checks a sighting and decodes its photo, or says precisely why it cannot be processed. Dimensions are read from
 * the header before any pixel is decoded, so a decompression bomb is refused without allocating its pixels.
 */
public final class SightingIntake {

    private final ImageDecoder decoder;
    private final ImageFetcher fetcher;
    private final long maxImageBytes;
    private final int decodeMinSide;

    /**
     * @param decoder safe decoder with the pixel limit
     * @param fetcher fetcher with the URI allow-list
     * @param maxImageBytes largest inline or fetched photo
     * @param decodeMinSide the model's input size: large photos are subsampled while decoding, keeping at least twice
     *     this on the short side (0 = full resolution)
     */
    public SightingIntake(ImageDecoder decoder, ImageFetcher fetcher, long maxImageBytes, int decodeMinSide) {
        this.decoder = decoder;
        this.fetcher = fetcher;
        this.maxImageBytes = maxImageBytes;
        this.decodeMinSide = decodeMinSide;
    }

    public Admission admit(Sighting s) {
        if (s.getSightingId() == null || s.getSightingId().isBlank()) {
            return new Admission.Rejected(DeadLetterReason.INVALID_RECORD, "validate", "sightingId is empty");
        }
        if (s.getObserverId() == null || s.getObserverId().isBlank()) {
            return new Admission.Rejected(DeadLetterReason.INVALID_RECORD, "validate",
                    "observerId is empty for sighting " + s.getSightingId());
        }
        byte[] bytes;
        ByteBuffer inline = s.getImage();
        if (inline != null) {
            // Inline wins over a URI when both are present: it is what the observer actually sent.
            if (inline.remaining() == 0) {
                return new Admission.Rejected(DeadLetterReason.NO_IMAGE, "validate", "inline image is empty");
            }
            if (inline.remaining() > maxImageBytes) {
                return new Admission.Rejected(DeadLetterReason.OVERSIZED_PAYLOAD, "validate", "inline image is "
                        + inline.remaining() + " bytes, over the limit of " + maxImageBytes);
            }
            bytes = new byte[inline.remaining()];
            inline.duplicate().get(bytes);
        } else if (s.getImageUri() != null && !s.getImageUri().isBlank()) {
            try {
                bytes = fetcher.fetch(s.getImageUri());
            } catch (ImageFetcher.FetchException e) {
                DeadLetterReason reason = switch (e.failure()) {
                    case NOT_ALLOWED -> DeadLetterReason.URI_NOT_ALLOWED;
                    case UNREACHABLE -> DeadLetterReason.URI_UNREACHABLE;
                    case OVERSIZED -> DeadLetterReason.OVERSIZED_PAYLOAD;
                };
                return new Admission.Rejected(reason, "fetch", e.getMessage());
            }
        } else {
            return new Admission.Rejected(DeadLetterReason.NO_IMAGE, "validate",
                    "sighting " + s.getSightingId() + " has neither an inline image nor an imageUri");
        }
        try {
            BufferedImage image = decode(bytes);
            return new Admission.Admitted(s, bytes, image);
        } catch (ImageRejectedException e) {
            return new Admission.Rejected(reasonFor(e.reason()), "decode", e.getMessage());
        }
    }

    /** Decodes bytes that were admitted before (used again after a restart restores the batching buffer). */
    public BufferedImage decode(byte[] bytes) throws ImageRejectedException {
        return decoder.decode(bytes, decodeMinSide);
    }

    static DeadLetterReason reasonFor(ImageRejectedException.Reason reason) {
        return switch (reason) {
            case CORRUPT -> DeadLetterReason.CORRUPT_IMAGE;
            case TRUNCATED -> DeadLetterReason.TRUNCATED_IMAGE;
            case UNSUPPORTED_FORMAT -> DeadLetterReason.UNSUPPORTED_FORMAT;
            case OVERSIZED_DIMENSIONS -> DeadLetterReason.OVERSIZED_DIMENSIONS;
            case EMPTY -> DeadLetterReason.NO_IMAGE;
        };
    }
}
