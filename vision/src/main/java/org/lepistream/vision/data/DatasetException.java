package org.lepistream.vision.data;

/**
 * A dataset that cannot be used as a whole: missing labels.csv or columns, malformed rows, labels that
 * contradict the taxonomy. Unchecked because it aborts the command; per-image problems are not thrown but
 * counted in a {@link LoadReport}.
 */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
