package org.lepistream.streams.repeats;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The sightingIds that got their decision (an identification or a review request) within the last window, so that a
 * sighting the source sends again — an upload retried after a timeout — gets no second decision.
 *
 * <p>Kept in a changelogged window store: the decision and the memory of it are written in the same transaction, so
 * a crash can lose neither alone, and entries expire with the store's segments instead of being swept. Only decisions
 * are remembered: a repeat of a dead-lettered sighting (say, a corrupt photo sent again, fixed) is processed afresh.
 * Repeats are recognised within a partition; the sightings topic is keyed by sightingId, so repeats share one.
 */
public final class DecidedSightings {

    private final WindowStore<String, Long> store;
    private final long windowMs;

    public DecidedSightings(WindowStore<String, Long> store, Duration window) {
        this.store = store;
        this.windowMs = window.toMillis();
    }

    /** The store, persistent (RocksDB) because a day of ids need not fit in the heap. */
    public static StoreBuilder<WindowStore<String, Long>> storeBuilder(String name, Duration window) {
        // Retention is the window itself: an id is forgotten once no record within the window can still repeat it.
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, window, window, false),
                Serdes.String(), Serdes.Long());
    }

    /** Whether this id was decided within the window either side of {@code timestampMs} (retries may be reordered). */
    public boolean decided(String sightingId, long timestampMs) {
        long from = Math.max(0, timestampMs - windowMs);
        long to = timestampMs > Long.MAX_VALUE - windowMs ? Long.MAX_VALUE : timestampMs + windowMs;
        try (WindowStoreIterator<Long> it = store.fetch(sightingId, from, to)) {
            return it.hasNext();
        }
    }

    /** Remembers that this id got its decision now; call in the step that forwards the decision. */
    public void remember(String sightingId, long timestampMs) {
        store.put(sightingId, System.currentTimeMillis(), Math.max(0, timestampMs));
    }
}
