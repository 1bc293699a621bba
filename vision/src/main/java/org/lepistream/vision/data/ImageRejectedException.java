package org.lepistream.vision.data;

import java.io.IOException;

/**
 * An image that {@link ImageDecoder} refuses, with a machine-readable {@link Reason} (dead-letter routing
 * keys on it). Checked on purpose: every caller decides what happens to a bad photo instead of crashing.
 */
public class ImageRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why an image was refused. */
    public enum Reason {
        /** Recognised format, but the data cannot be decoded. */
        CORRUPT,
        /** The data ends before the image does. */
        TRUNCATED,
        /** Not a format we decode (HEIC/HEIF, AVIF, video, unknown bytes) or an unsupported variant of one. */
        UNSUPPORTED_FORMAT,
        /** The header announces more pixels than allowed (or a zero/negative size); nothing was decoded. */
        OVERSIZED_DIMENSIONS,
        /** No bytes at all. */
        EMPTY
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /** Why the image was refused. */
    public Reason reason() {
        return reason;
    }
}
