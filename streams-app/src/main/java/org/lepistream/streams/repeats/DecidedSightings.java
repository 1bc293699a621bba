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
 *
 * <p>Each entry keeps the input offset of the record that was decided. Streams keeps one store per input partition,
 * so that offset names the record. It separates the two ways a decided id comes back: the source sent it again (a new
 * record, {@link Seen#RESENT}), or the same record is read a second time ({@link Seen#REREAD}). Exactly-once commits
 * a record's input offset no later than its decision, so a re-read means the group's committed offsets went back
 * behind a committed decision: an offset reset, or the broker fault of issue 16. The store absorbs it either way.
 */
public final class DecidedSightings {

    /** What the store knows of a sighting about to be processed. */
    public enum Seen {
        /** Not decided within the window. */
        NEW,
        /** Decided from another record: the source sent the sighting again. */
        RESENT,
        /** Decided from this very record: it is being read again, because committed offsets went back. */
        REREAD
    }

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

    /**
     * Whether this id was decided within the window either side of {@code timestampMs} (retries may be reordered),
     * and if so whether from the record at {@code offset} itself.
     */
    public Seen seen(String sightingId, long timestampMs, long offset) {
        long from = Math.max(0, timestampMs - windowMs);
        long to = timestampMs > Long.MAX_VALUE - windowMs ? Long.MAX_VALUE : timestampMs + windowMs;
        Seen seen = Seen.NEW;
        try (WindowStoreIterator<Long> it = store.fetch(sightingId, from, to)) {
            while (it.hasNext()) {
                // Entries written before offsets were kept hold a wall-clock time, which no offset reaches.
                if (it.next().value == offset) {
                    return Seen.REREAD;
                }
                seen = Seen.RESENT;
            }
        }
        return seen;
    }

    /** Remembers that the record at {@code offset} got its decision; call in the step that forwards the decision. */
    public void remember(String sightingId, long timestampMs, long offset) {
        store.put(sightingId, offset, Math.max(0, timestampMs));
    }
}
