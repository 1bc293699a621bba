package org.lepistream.streams.repeats;

import java.util.concurrent.atomic.AtomicLong;
import org.lepistream.streams.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts a sighting dropped because it was decided already, and tells the operator when it was a re-read. */
public final class RepeatReport {

    private static final Logger LOG = LoggerFactory.getLogger(RepeatReport.class);
    private static final long WARN_EVERY_MS = 10_000;
    private static final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

    private RepeatReport() {
    }

    /**
     * @param stage where it was caught: "intake", or "decision" when the first copy was still in the batching buffer
     */
    public static void dropped(Metrics metrics, DecidedSightings.Seen seen, String stage, String sightingId,
            String topic, int partition, long offset) {
        if (seen == DecidedSightings.Seen.RESENT) {
            metrics.repeats.inc(stage);
            return;
        }
        metrics.rereads.inc(stage);
        // A re-read comes in runs (every record behind the rewound offset), so one line every few seconds is enough;
        // the counter has the full number.
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_MS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("sighting {} at {}-{}@{} was decided before and is being read again: the group's committed"
                    + " offsets went back behind a committed decision (an offset reset, or a broker fault). Dropped,"
                    + " its one output stands; lepistream_reread_sightings_total counts them all", sightingId, topic,
                    partition, offset);
        }
    }
}
