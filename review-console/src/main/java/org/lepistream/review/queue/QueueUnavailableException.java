package org.lepistream.review.queue;

/** The queue's stores cannot be read right now (restoring after a restart, or rebalancing). */
public final class QueueUnavailableException extends RuntimeException {
    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
