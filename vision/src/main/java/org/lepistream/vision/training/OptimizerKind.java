package org.lepistream.vision.training;

/** The update rule: SGD with momentum (best on Leeds in calibration) or Adam. */
public enum OptimizerKind {
    SGD("sgd"),
    ADAM("adam");

    private final String label;

    OptimizerKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses {@code sgd|adam}, case-insensitively. */
    public static OptimizerKind parse(String text) {
        return Variant.Labels.parse(OptimizerKind.class, values(), OptimizerKind::label, text);
    }

    @Override
    public String toString() {
        return label;
    }
}
