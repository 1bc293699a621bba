package org.lepistream.streams.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProgressCheckTest {

    private static final TopicPartition P0 = new TopicPartition("sightings", 0);
    private static final TopicPartition P1 = new TopicPartition("sightings", 1);

    private final ProgressCheck check = new ProgressCheck(Duration.ofSeconds(10), Duration.ofSeconds(30));

    private ProgressCheck.Verdict at(long seconds, boolean broker, long committed0, long end0) {
        return check.observe(new ProgressCheck.Observation(seconds * 1000, broker, true,
                Map.of(P0, committed0, P1, 5L), Map.of(P0, end0, P1, 5L)));
    }

    private ProgressCheck.Verdict brokerDown(long seconds) {
        return check.observe(new ProgressCheck.Observation(seconds * 1000, false, true, Map.of(), Map.of()));
    }

    @Test
    void withoutPartitionsOfItsOwnAnInstanceAnswersForTheGroupAndSaysSo() {
        // RUNNING with nothing assigned: the group's partitions are watched, and a dead member holding them stalls it.
        check.observe(new ProgressCheck.Observation(0, true, true, Map.of(P0, 7L), Map.of(P0, 7L), true));
        ProgressCheck.Verdict stalled = check.observe(new ProgressCheck.Observation(11_000, true, true,
                Map.of(P0, 7L), Map.of(P0, 19L), true));
        assertFalse(stalled.ready());
        assertTrue(stalled.reason().startsWith("no progress for 11 s with 12 records waiting in the group (no"
                + " partition is assigned to this instance"), stalled.reason());
        ProgressCheck.Verdict own = check.observe(new ProgressCheck.Observation(12_000, true, true, Map.of(P0, 8L),
                Map.of(P0, 19L), false));
        assertTrue(own.ready(), "the partition came to this instance and moved: " + own);
    }

    @Test
    void anIdleServiceWithoutBacklogStaysReady() {
        for (long t = 0; t <= 120; t += 5) {
            ProgressCheck.Verdict v = at(t, true, 100, 100);
            assertTrue(v.ready() && v.live(), "t=" + t + " " + v);
        }
    }

    @Test
    void aBacklogThatMovesIsProgressHoweverLongItIs() {
        for (long t = 0; t <= 120; t += 5) {
            ProgressCheck.Verdict v = at(t, true, t, 1000);
            assertTrue(v.ready(), "t=" + t + " " + v);
        }
    }

    @Test
    void aStuckBacklogTurnsReadyRedThenHealthRedAndRecovers() {
        at(0, true, 50, 50);
        at(1, true, 50, 80); // records arrive, nothing is committed from here on
        assertTrue(at(10, true, 50, 90).ready(), "10 s since the last moment without backlog: within the bound");
        ProgressCheck.Verdict notReady = at(11, true, 50, 95);
        assertFalse(notReady.ready());
        assertTrue(notReady.live());
        assertEquals("no progress for 11 s with 45 records waiting", notReady.reason());
        ProgressCheck.Verdict dead = at(31, true, 50, 95);
        assertFalse(dead.ready());
        assertFalse(dead.live(), "over the liveness bound");
        ProgressCheck.Verdict back = at(32, true, 51, 95);
        assertTrue(back.ready() && back.live(), "one committed record is progress again: " + back);
        assertEquals("", back.reason());
    }

    @Test
    void noBrokerTurnsReadyRedThenHealthRedAndRecovers() {
        at(0, true, 10, 10);
        assertTrue(brokerDown(5).ready());
        assertTrue(brokerDown(10).ready());
        ProgressCheck.Verdict down = brokerDown(11);
        assertFalse(down.ready());
        assertTrue(down.live());
        assertEquals("no broker reachable for 11 s", down.reason());
        assertFalse(brokerDown(31).live());
        // Back, with the backlog that built up meanwhile being worked off.
        ProgressCheck.Verdict back = at(32, true, 15, 40);
        assertTrue(back.ready() && back.live(), back.toString());
    }

    @Test
    void aBacklogFoundWhenTheBrokerReturnsCountsFromTheLastProgress() {
        at(0, true, 10, 10);
        brokerDown(8);
        // The broker answers again but the stream does not move: stalled since the last progress at t=0.
        ProgressCheck.Verdict v = at(11, true, 10, 40);
        assertFalse(v.ready(), v.toString());
        assertTrue(v.reason().startsWith("no progress for 11 s"), v.reason());
    }

    @Test
    void aStreamThatIsNotRunningIsUnhealthyAfterTheLongerBound() {
        check.observe(new ProgressCheck.Observation(0, true, false, Map.of(), Map.of()));
        ProgressCheck.Verdict v = check.observe(new ProgressCheck.Observation(31_000, true, false, Map.of(), Map.of()));
        assertFalse(v.live());
        assertTrue(v.reason().contains("stream not RUNNING for 31 s"), v.reason());
    }

    @Test
    void beforeAnyObservationAllIsWell() {
        assertTrue(check.verdict().ready() && check.verdict().live());
    }
}
