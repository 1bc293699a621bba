package org.lepistream.vision.training;

/** A named bundle of defaults: {@code quick} for minutes-long smoke runs on synthetic data, {@code full} for Leeds. */
public enum Preset {
    QUICK("quick"),
    FULL("full");

    private final String label;

    Preset(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses {@code quick|full}, case-insensitively. */
    public static Preset parse(String text) {
        return Variant.Labels.parse(Preset.class, values(), Preset::label, text);
    }

    @Override
    public String toString() {
        return label;
    }
}
