package org.lepistream.review.violation;

/** Breaks a rule on purpose, for ArchitectureTest: the console pulling in the deep-learning runtime. */
public final class ConsoleUsesVision {
    public static Class<?> identifier() {
        return org.lepistream.vision.bundle.Identifier.class;
    }
}
