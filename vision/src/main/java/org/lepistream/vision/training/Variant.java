package org.lepistream.vision.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which classifier is trained: plain ResNet, ResNet with CBAM, or CBAM whose attention is guided by butterfly masks. */
public enum Variant {
    RESNET("resnet", false, false),
    CBAM("cbam", true, false),
    CBAM_GUIDED("cbam-guided", true, true);

    private final String label;
    private final boolean cbam;
    private final boolean guided;

    Variant(String label, boolean cbam, boolean guided) {
        this.label = label;
        this.cbam = cbam;
        this.guided = guided;
    }

    public String label() {
        return label;
    }

    /** True when the network has CBAM blocks (and therefore spatial attention maps). */
    public boolean cbam() {
        return cbam;
    }

    /** True when the guided-attention loss is added, which needs a mask per training image. */
    public boolean guided() {
        return guided;
    }

    /** Parses the command-line spelling ({@code resnet|cbam|cbam-guided}), case-insensitively. */
    public static Variant parse(String text) {
        return Labels.parse(Variant.class, values(), Variant::label, text);
    }

    @Override
    public String toString() {
        return label;
    }

    /** Shared parsing for the small option enums, so every one reports the accepted spellings the same way. */
    static final class Labels {
        private Labels() {
        }

        static <E> E parse(Class<?> type, E[] values, java.util.function.Function<E, String> label, String text) {
            if (text != null) {
                String wanted = text.trim().toLowerCase(Locale.ROOT);
                for (E value : values) {
                    if (label.apply(value).equals(wanted)) {
                        return value;
                    }
                }
            }
            String accepted = Arrays.stream(values).map(label).collect(Collectors.joining("|"));
            throw new IllegalArgumentException(
                    "unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " '" + text + "' (expected " + accepted
                            + ")");
        }
    }
}
