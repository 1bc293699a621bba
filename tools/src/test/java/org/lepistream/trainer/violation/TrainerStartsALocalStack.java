package org.lepistream.trainer.violation;

/** Breaks a rule on purpose, for ArchitectureTest: a production process starting the development stack. */
public final class TrainerStartsALocalStack {
    public static Class<?> stack() {
        return org.lepistream.stack.LocalStack.class;
    }
}
