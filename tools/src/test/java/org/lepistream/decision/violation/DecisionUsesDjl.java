package org.lepistream.decision.violation;

/** Breaks a rule on purpose, for ArchitectureTest: the decision core touching the deep-learning runtime. */
public final class DecisionUsesDjl {
    public static Class<?> array() {
        return ai.djl.ndarray.NDArray.class;
    }
}
