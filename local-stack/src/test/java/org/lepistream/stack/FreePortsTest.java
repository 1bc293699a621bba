package org.lepistream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aTakenPortIsReplacedByAFreeOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertFalse(FreePorts.isFree(port));
            int chosen = FreePorts.preferred(port);
            assertNotEquals(port, chosen);
            assertTrue(FreePorts.isFree(chosen));
        }
    }

    @Test
    void anExplicitTakenPortFailsNamingItsUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StackException e = assertThrows(StackException.class,
                    () -> FreePorts.requireFree(taken.getLocalPort(), "Kafka"));
            assertTrue(e.getMessage().contains(taken.getLocalPort() + " on 127.0.0.1, wanted for Kafka"), e.getMessage());
        }
        FreePorts.requireFree(0, "Kafka");
        FreePorts.requireFree(FreePorts.any(), "Kafka");
    }

    @Test
    void aFreePreferredPortIsKept() {
        int free = FreePorts.any();
        assertTrue(FreePorts.isFree(free));
        assertEquals(free, FreePorts.preferred(free));
    }
}
