package org.lepistream.trainer.violation;

/** Breaks a rule on purpose, for ArchitectureTest: one service calling into another instead of a topic. */
public final class TrainerUsesTheService {
    public static Class<?> service() {
        return org.lepistream.streams.IdentificationService.class;
    }
}
