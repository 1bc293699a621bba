package org.lepistream.streams.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Serves /health (process alive and streams not failed), /ready (model loaded and streams running) and /metrics. */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    /**
     * @param host interface to bind (0.0.0.0 for a container, 127.0.0.1 for a laptop)
     * @param port 0 picks a free port
     */
    public HealthServer(String host, int port, BooleanSupplier healthy, BooleanSupplier ready,
            Supplier<String> status, Metrics metrics) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/health", ex -> respond(ex, healthy.getAsBoolean() ? 200 : 503,
                "text/plain; charset=utf-8", status.get() + "\n"));
        server.createContext("/ready", ex -> respond(ex, ready.getAsBoolean() ? 200 : 503,
                "text/plain; charset=utf-8", status.get() + "\n"));
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.render()));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "health-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            if ("HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(status, -1);
                return;
            }
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
