package org.lepistream.review.web;

/** A request refused with an HTTP status and a message for the person (rendered as a page or as JSON). */
final class WebError extends RuntimeException {
    final int status;

    WebError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
