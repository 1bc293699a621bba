package org.lepistream.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds loopback ports for the stack's listeners. */
public final class FreePorts {

    private FreePorts() {
    }

    /** Whether nothing listens on {@code port} of 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Without SO_REUSEADDR a port in TIME_WAIT would look taken although the broker could bind it.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port the OS considers free on 127.0.0.1; another process could still take it before we bind it. */
    public static int any() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** Fails clearly, before anything starts, when an explicitly chosen port (not 0) is taken. */
    public static void requireFree(int port, String forWhat) {
        if (port > 0 && !isFree(port)) {
            throw new StackException("port " + port + " on 127.0.0.1, wanted for " + forWhat
                    + ", is already in use; choose another or 0 for any free port");
        }
    }

    /** {@code preferred} when it is free, otherwise any free port; 0 means "any". */
    public static int preferred(int preferred) {
        return preferred > 0 && isFree(preferred) ? preferred : any();
    }
}
