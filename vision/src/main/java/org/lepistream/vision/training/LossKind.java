package org.lepistream.vision.training;

/** The classification objective: species-only cross-entropy, weighted hierarchical CE, or the asymptotic parent loss. */
public enum LossKind {
    FLAT("flat"),
    WCE("wce"),
    ASYMPTOTIC("asymptotic");

    private final String label;

    LossKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses {@code flat|wce|asymptotic}, case-insensitively. */
    public static LossKind parse(String text) {
        return Variant.Labels.parse(LossKind.class, values(), LossKind::label, text);
    }

    @Override
    public String toString() {
        return label;
    }
}
