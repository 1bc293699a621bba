package org.lepistream.schemas.violation;

/** Breaks a rule on purpose, for ArchitectureTest#everyRuleFailsOnADeliberateViolation: contracts using our code. */
public final class SchemasUseTheDecisionCore {
    public static Object taxonomy() {
        return org.lepistream.decision.taxonomy.Taxonomy.DEFAULT_RANKS;
    }
}
