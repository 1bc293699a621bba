package org.lepistream.decision.taxonomy;

/** A taxonomy that cannot be built: inconsistent tree, blank names, or unreadable JSON. */
public class TaxonomyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TaxonomyException(String message) {
        super(message);
    }

    public TaxonomyException(String message, Throwable cause) {
        super(message, cause);
    }
}
