package org.lepistream.vision.bundle;

/** A model bundle cannot be read, written or used; the message names the bundle and what is wrong. */
public final class BundleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
