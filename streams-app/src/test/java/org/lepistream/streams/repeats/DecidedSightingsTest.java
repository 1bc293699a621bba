package org.lepistream.streams.repeats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repeat window on a real (RocksDB) window store, driven through a topology without a broker. */
class DecidedSightingsTest {

    private static final Duration WINDOW = Duration.ofHours(1);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** Decides each id it has not decided within the window: what the service's decision step does. */
    private static final class DecideOnce implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private Optional<DecidedSightings> decided;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.decided = RepeatWindow.of(WINDOW).open(context);
        }

        @Override
        public void process(Record<String, String> r) {
            long offset = context.recordMetadata().orElseThrow().offset();
            if (decided.orElseThrow().seen(r.key(), r.timestamp(), offset) == DecidedSightings.Seen.NEW) {
                context.forward(r);
                decided.get().remember(r.key(), r.timestamp(), offset);
            }
        }
    }

    private static Topology topology() {
        Topology t = new Topology();
        t.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "sightings");
        t.addProcessor("decide", DecideOnce::new, "in");
        t.addStateStore(DecidedSightings.storeBuilder(RepeatWindow.STORE, WINDOW), "decide");
        t.addSink("out", "decisions", Serdes.String().serializer(), Serdes.String().serializer(), "decide");
        return t;
    }

    private static Properties properties(Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "repeats-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    private static List<String> decide(Path stateDir, List<String> ids, List<Instant> sent) {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(), properties(stateDir))) {
            TestInputTopic<String, String> in = driver.createInputTopic("sightings", Serdes.String().serializer(),
                    Serdes.String().serializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("decisions",
                    Serdes.String().deserializer(), Serdes.String().deserializer());
            for (int i = 0; i < ids.size(); i++) {
                in.pipeInput(ids.get(i), "photo", sent.get(i));
            }
            return out.readKeyValuesToList().stream().map(kv -> kv.key).toList();
        }
    }

    @Test
    void aRepeatWithinTheWindowIsNotDecidedAgain(@TempDir Path dir) {
        List<String> out = decide(dir, List.of("a", "b", "a", "a", "b"), List.of(T0, T0.plusSeconds(1),
                T0.plusSeconds(30), T0.plusSeconds(1800), T0.plusSeconds(3500)));
        assertEquals(List.of("a", "b"), out);
    }

    @Test
    void aRepeatAfterTheWindowIsDecidedAfresh(@TempDir Path dir) {
        List<String> out = decide(dir, List.of("a", "a"), List.of(T0, T0.plus(WINDOW).plusSeconds(60)));
        assertEquals(List.of("a", "a"), out);
    }

    /** A retry whose record timestamp is older than the first copy's (clocks differ between uploaders). */
    @Test
    void aRepeatStampedEarlierIsStillRecognised(@TempDir Path dir) {
        List<String> out = decide(dir, List.of("a", "a", "c"), List.of(T0, T0.minusSeconds(600),
                T0.minusSeconds(600)));
        assertEquals(List.of("a", "c"), out);
    }

    /**
     * The same record read a second time (its group's offsets went back) is told apart from the same sighting sent
     * again as a new record, and from an id decided outside the window.
     */
    @Test
    void aRecordReadAgainIsToldApartFromASightingSentAgain(@TempDir Path dir) {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(), properties(dir))) {
            DecidedSightings decided = new DecidedSightings(driver.getWindowStore(RepeatWindow.STORE), WINDOW);
            long t = T0.toEpochMilli();
            assertEquals(DecidedSightings.Seen.NEW, decided.seen("a", t, 41));
            decided.remember("a", t, 41);
            assertEquals(DecidedSightings.Seen.REREAD, decided.seen("a", t, 41));
            assertEquals(DecidedSightings.Seen.RESENT, decided.seen("a", t + 5_000, 97));
            assertEquals(DecidedSightings.Seen.NEW, decided.seen("b", t, 41));
            assertEquals(DecidedSightings.Seen.NEW, decided.seen("a", t + WINDOW.toMillis() + 60_000, 41));
            // A store written before offsets were kept holds decision times: such an entry is a repeat, never a re-read.
            decided.remember("c", t, 1_764_590_400_000L);
            assertEquals(DecidedSightings.Seen.RESENT, decided.seen("c", t, 12));
        }
    }

    @Test
    void aZeroWindowTurnsDetectionOff() {
        assertEquals(false, RepeatWindow.of(Duration.ZERO).enabled());
        assertEquals(true, RepeatWindow.of(WINDOW).enabled());
    }
}
