package org.lepistream.streams.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.lepistream.streams.intake.Origin;

class PendingSightingTest {

    @Test
    void roundTripsThroughTheStoreSerde() {
        var serde = PendingSighting.serde();
        for (String key : new String[] {"s-1", null}) {
            PendingSighting p = new PendingSighting(new Origin("sightings", 3, 12345L, 999L, key), new byte[] {0, 1, 2, 3});
            PendingSighting back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", p));
            assertEquals(p.origin(), back.origin());
            assertArrayEquals(p.raw(), back.raw());
        }
    }

    @Test
    void newEntriesAreReferencesOfTensOfBytes() {
        var serde = PendingSighting.serde();
        PendingSighting ref = PendingSighting.reference(new Origin("sightings", 3, 12345L, 999L, "s-1"));
        byte[] bytes = serde.serializer().serialize("t", ref);
        assertTrue(bytes.length < 64, "a reference, not a photo: " + bytes.length + " bytes");
        PendingSighting back = serde.deserializer().deserialize("t", bytes);
        assertEquals(ref.origin(), back.origin());
        assertNull(back.raw());
    }

    @Test
    void entriesWithTheirBytesFromEarlierVersionsAreStillRead() {
        // Format 1 as written before references: topic, partition, offset, timestamp, key, then the raw record.
        byte[] legacy = {1, 0, 1, 's', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 3, 4, 5,
            6};
        PendingSighting back = PendingSighting.serde().deserializer().deserialize("t", legacy);
        assertEquals(new Origin("s", 2, 7L, 9L, null), back.origin());
        assertArrayEquals(new byte[] {4, 5, 6}, back.raw());
    }

    @Test
    void corruptEntriesFailWithAClearError() {
        var serde = PendingSighting.serde();
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {9, 0}));
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {1, 0}));
    }
}
