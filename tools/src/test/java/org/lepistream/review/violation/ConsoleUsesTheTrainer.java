package org.lepistream.review.violation;

/** Breaks a rule on purpose, for ArchitectureTest: one service calling into another instead of a topic. */
public final class ConsoleUsesTheTrainer {
    public static Class<?> trainer() {
        return org.lepistream.trainer.TrainerService.class;
    }
}
