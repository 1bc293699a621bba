package org.lepistream.streams.intake;

import org.lepistream.vision.data.ImageFetcher;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Sighting;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.ImageRejectedException;

/**
 * Checks a sighting and decodes its photo, or says precisely why it cannot be processed. Dimensions are read from
 * the header before any pixel is decoded, so a decompression bomb is refused without allocating its pixels.
 *
 * <p>Two steps, so that no network wait happens on a stream thread: {@link #screen} (field limits, inline photo,
 * URI allow-list; no network) and, for a photo given by URI, {@link #fetch} (on the {@link FetchPool}).
 */
public final class SightingIntake {

    private final ImageDecoder decoder;
    private final ImageFetcher fetcher;
    private final FetchPool pool;
    private final SightingLimits limits;
    private final long maxImageBytes;
    private final int decodeMinSide;

    /**
     * @param decoder safe decoder with the pixel limit
     * @param pool fetcher with the URI allow-list, its concurrency limits and deadline
     * @param limits the largest each field may be
     * @param maxImageBytes largest inline or fetched photo
     * @param decodeMinSide the model's input size: large photos are subsampled while decoding, keeping at least twice
     *     this on the short side (0 = full resolution)
     */
    public SightingIntake(ImageDecoder decoder, ImageFetcher fetcher, FetchPool pool, SightingLimits limits,
            long maxImageBytes, int decodeMinSide) {
        this.decoder = decoder;
        this.fetcher = fetcher;
        this.pool = pool;
        this.limits = limits;
        this.maxImageBytes = maxImageBytes;
        this.decodeMinSide = decodeMinSide;
    }

    /** The largest a valid sighting can be on the wire: its photo plus every other field at its limit. */
    public long maxSightingBytes() {
        return maxImageBytes + limits.fieldBudgetBytes();
    }

    /**
     * The first field over its limit, else a record larger than any valid sighting (fields of a newer schema that
     * the limits do not know must not smuggle a huge record past intake either).
     */
    public Optional<Admission.Rejected> tooLarge(Sighting s, int wireBytes) {
        Optional<Admission.Rejected> field = limits.check(s);
        if (field.isPresent() || wireBytes <= maxSightingBytes()) {
            return field;
        }
        return Optional.of(new Admission.Rejected(DeadLetterReason.OVERSIZED_PAYLOAD, "validate", "sighting record is "
                + wireBytes + " bytes, over the limit of " + maxSightingBytes()));
    }

    /**
     * Everything that needs no network: field limits, the inline photo (decoded), the URI against the allow-list.
     * Cleans the sighting in place: producer text that reaches reviewers is escaped ({@link FreeText}), and the
     * content type becomes the one detected from the bytes.
     */
    public Admission screen(Sighting s) {
        if (s.getSightingId() == null || s.getSightingId().isBlank()) {
            return new Admission.Rejected(DeadLetterReason.INVALID_RECORD, "validate", "sightingId is empty");
        }
        Optional<Admission.Rejected> tooLarge = limits.check(s);
        if (tooLarge.isPresent()) {
            return tooLarge.get();
        }
        if (FreeText.hasUnsafe(s.getSightingId())) {
            // The id is the key every later record joins on: it is refused, not rewritten.
            return new Admission.Rejected(DeadLetterReason.INVALID_RECORD, "validate",
                    "sightingId contains control or invisible format characters");
        }
        if (s.getObserverId() == null || s.getObserverId().isBlank()) {
            return new Admission.Rejected(DeadLetterReason.INVALID_RECORD, "validate",
                    "observerId is empty for sighting " + s.getSightingId());
        }
        s.setObserverId(FreeText.clean(s.getObserverId()));
        s.setSource(FreeText.clean(s.getSource()));
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
            byte[] bytes = new byte[inline.remaining()];
            inline.duplicate().get(bytes);
            return decoded(s, bytes, false);
        }
        if (s.getImageUri() != null && !s.getImageUri().isBlank()) {
            try {
                ImageFetcher.Target target = fetcher.check(s.getImageUri());
                // What reviewers are shown is the URI as given, in ASCII: no invisible characters survive.
                s.setImageUri(java.net.URI.create(s.getImageUri().trim()).toASCIIString());
                return new Admission.Fetch(s, target);
            } catch (ImageFetcher.FetchException e) {
                return fetchRejected(e);
            }
        }
        return new Admission.Rejected(DeadLetterReason.NO_IMAGE, "validate",
                "sighting " + s.getSightingId() + " has neither an inline image nor an imageUri");
    }

    /**
     * Fetches and decodes the photo of a screened sighting, off the calling thread; the future always completes
     * normally, with {@link Admission.Admitted} or {@link Admission.Rejected}.
     */
    public CompletableFuture<Admission> fetch(Admission.Fetch f) {
        return pool.fetch(f.target()).handle((bytes, failure) -> {
            if (failure == null) {
                return decoded(f.sighting(), bytes, true);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            return cause instanceof ImageFetcher.FetchException e ? fetchRejected(e)
                    : new Admission.Rejected(DeadLetterReason.URI_UNREACHABLE, "fetch",
                            "fetch failed: " + cause.getClass().getSimpleName());
        });
    }

    /** Screen and, for a URI, fetch, waiting for it (tools and tests; the service never waits on a stream thread). */
    public Admission admit(Sighting s) {
        Admission a = screen(s);
        return a instanceof Admission.Fetch f ? fetch(f).join() : a;
    }

    /** Decodes bytes that were admitted before (used again after a restart restores the batching buffer). */
    public BufferedImage decode(byte[] bytes) throws ImageRejectedException {
        return decoder.decode(bytes, decodeMinSide);
    }

    private Admission decoded(Sighting s, byte[] bytes, boolean fetched) {
        try {
            BufferedImage image = decode(bytes);
            s.setContentType(contentType(decoder.probe(bytes).format()));
            return new Admission.Admitted(s, bytes, image);
        } catch (ImageRejectedException e) {
            // A fetched file that is no image may be anything the server holds: say what it is not, never what it is.
            String message = fetched && e.reason() == ImageRejectedException.Reason.UNSUPPORTED_FORMAT
                    ? "the " + bytes.length + " bytes fetched are not an image in a supported format"
                    : e.getMessage();
            return new Admission.Rejected(reasonFor(e.reason()), "decode", message);
        }
    }

    /** The MIME type of a format the decoder recognised ("jpeg" → image/jpeg). */
    static String contentType(String format) {
        return "image/" + format.toLowerCase(Locale.ROOT);
    }

    private static Admission.Rejected fetchRejected(ImageFetcher.FetchException e) {
        DeadLetterReason reason = switch (e.failure()) {
            case NOT_ALLOWED -> DeadLetterReason.URI_NOT_ALLOWED;
            case UNREACHABLE -> DeadLetterReason.URI_UNREACHABLE;
            case OVERSIZED -> DeadLetterReason.OVERSIZED_PAYLOAD;
        };
        return new Admission.Rejected(reason, "fetch", e.getMessage());
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
