package org.lepistream.streams.repeats;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/** How long a decided sightingId is remembered, and in which store; a zero window turns repeat detection off. */
public record RepeatWindow(String store, Duration window) {

    public static final String STORE = "decided-sightings";

    public static RepeatWindow of(Duration window) {
        return new RepeatWindow(STORE, window);
    }

    public boolean enabled() {
        return !window.isZero() && !window.isNegative();
    }

    /** The decided ids as a processor connected to the store sees them; empty when detection is off. */
    public Optional<DecidedSightings> open(ProcessingContext context) {
        return enabled() ? Optional.of(new DecidedSightings(context.getStateStore(store), window)) : Optional.empty();
    }
}
