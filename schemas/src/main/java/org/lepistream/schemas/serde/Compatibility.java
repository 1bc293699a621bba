package org.lepistream.schemas.serde;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Schema registry compatibility levels. lepistream's subjects use FULL_TRANSITIVE (see {@code Topics}); the global
 * default of a registry we run is BACKWARD, for subjects outside the catalogue.
 */
public enum Compatibility {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /** Parses a level name case-insensitively, with an error listing the valid names. */
    public static Compatibility parse(String level) {
        try {
            return valueOf(level.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Unknown compatibility level '" + level + "'; expected one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }
}
