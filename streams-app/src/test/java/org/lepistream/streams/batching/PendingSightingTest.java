package org.lepistream.streams.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void corruptEntriesFailWithAClearError() {
        var serde = PendingSighting.serde();
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {9, 0}));
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {1, 0}));
    }
}
