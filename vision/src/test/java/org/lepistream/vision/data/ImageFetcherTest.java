package org.lepistream.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFetcherTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/photos/ok.jpg", ex -> {
            requests.incrementAndGet();
            byte[] body = {1, 2, 3};
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/photos/big.jpg", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, 0); // chunked: no content-length, the limit must hold while streaming
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[5000]);
            }
        });
        server.createContext("/photos/redirect.jpg", ex -> {
            requests.incrementAndGet();
            ex.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/secret", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/private/x.jpg", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private ImageFetcher fetcher(String... allowed) {
        return new ImageFetcher(List.of(allowed), 1000, Duration.ofSeconds(2));
    }

    private static ImageFetcher.Failure failure(ImageFetcher f, String uri) {
        return assertThrows(ImageFetcher.FetchException.class, () -> f.fetch(uri)).failure();
    }

    @Test
    void emptyAllowListRefusesEverythingWithoutContactingAnyone() {
        ImageFetcher deny = ImageFetcher.denyAll();
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(deny, base + "/photos/ok.jpg"));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(deny, "file:/etc/passwd"));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(deny, "ftp://example.org/x.jpg"));
        assertEquals(0, requests.get());
    }

    @Test
    void allowedHostIsFetched() throws Exception {
        assertArrayEquals(new byte[] {1, 2, 3}, fetcher(base + "/photos").fetch(base + "/photos/ok.jpg"));
        assertEquals(1, requests.get());
    }

    @Test
    void otherPathsPortsHostsAndCredentialsAreRefusedBeforeConnecting() {
        ImageFetcher f = fetcher(base + "/photos");
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, base + "/private/x.jpg"));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, "http://localhost:" + server.getAddress().getPort()
                + "/photos/ok.jpg"));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, "http://127.0.0.1:1/photos/ok.jpg"));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, "http://u:p@127.0.0.1:"
                + server.getAddress().getPort() + "/photos/ok.jpg"));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, base + "/photos/../private/x.jpg"));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, "not a uri at all"));
        assertEquals(0, requests.get());
    }

    @Test
    void redirectsAreNotFollowed() {
        assertEquals(ImageFetcher.Failure.UNREACHABLE, failure(fetcher(base + "/photos"), base + "/photos/redirect.jpg"));
        assertEquals(1, requests.get());
    }

    @Test
    void sizeLimitHoldsWithoutContentLength() {
        assertEquals(ImageFetcher.Failure.OVERSIZED, failure(fetcher(base + "/photos"), base + "/photos/big.jpg"));
    }

    @Test
    void allowedButClosedPortIsUnreachable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String uri = "http://127.0.0.1:" + closed;
        assertEquals(ImageFetcher.Failure.UNREACHABLE, failure(fetcher(uri), uri + "/x.jpg"));
    }

    @Test
    void filesOnlyInsideAllowedDirectories(@TempDir Path dir) throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.write(photos.resolve("a.jpg"), new byte[] {9});
        Files.write(dir.resolve("secret.txt"), new byte[] {7});
        Files.createSymbolicLink(photos.resolve("link.jpg"), dir.resolve("secret.txt"));
        ImageFetcher f = fetcher(photos.toUri().toString());
        assertArrayEquals(new byte[] {9}, assertDoesNotThrow(f, photos.resolve("a.jpg").toUri().toString()));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, dir.resolve("secret.txt").toUri().toString()));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, photos.toUri() + "../secret.txt"));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, photos.resolve("link.jpg").toUri().toString()));
        assertEquals(ImageFetcher.Failure.UNREACHABLE, failure(f, photos.resolve("missing.jpg").toUri().toString()));
    }

    @Test
    void badAllowListEntriesFailAtStartUp() {
        var e = assertThrows(IllegalArgumentException.class, () -> fetcher("ftp://example.org"));
        assertTrue(e.getMessage().contains("only http, https and file"));
    }

    private static byte[] assertDoesNotThrow(ImageFetcher f, String uri) {
        try {
            return f.fetch(uri);
        } catch (ImageFetcher.FetchException e) {
            throw new AssertionError("fetch of " + uri + " failed: " + e.getMessage(), e);
        }
    }

    @Test
    void encodedTraversalIsRefusedWithoutAnyRequest() {
        ImageFetcher f = fetcher(base + "/photos/");
        List<String> attacks = List.of(
                "/photos/%2e%2e/secret", "/photos/%2E%2E/secret", "/photos/.%2e/secret", "/photos/%2e./secret",
                "/photos/..%2fsecret", "/photos/..%2Fsecret", "/photos/%2fsecret", "/photos/..%5csecret",
                "/photos/..%5Csecret", "/photos/%252e%252e/secret", "/photos/%252fsecret", "/photos/..%252fsecret",
                "/photos/..;/secret", "/photos/.;/../secret", "/photos/ok.jpg%00.png", "/photos/..\\secret",
                "/photos/%2e%2e%2fsecret");
        for (String attack : attacks) {
            ImageFetcher.FetchException e = assertThrows(ImageFetcher.FetchException.class,
                    () -> f.check(base + attack), attack);
            assertEquals(ImageFetcher.Failure.NOT_ALLOWED, e.failure(), attack);
        }
        assertEquals(0, requests.get(), "no request reached the server");
    }

    @Test
    void aPrefixAllowsOnlyItsOwnDirectory() throws Exception {
        ImageFetcher f = fetcher(base + "/photos");
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, base + "/photos-private/x.jpg"));
        assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, base + "/photosx.jpg"));
        assertEquals(0, requests.get());
        assertArrayEquals(new byte[] {1, 2, 3}, f.fetch(base + "/photos/ok.jpg"));
        // Ordinary percent-encoding (a space) is still fine.
        assertEquals("/photos/my photo.jpg", f.check(base + "/photos/my%20photo.jpg").uri().getPath());
    }

    @Test
    void encodedTraversalInFileUrisIsRefused(@TempDir Path dir) throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.write(dir.resolve("secret.txt"), new byte[] {7});
        ImageFetcher f = fetcher(photos.toUri().toString());
        for (String attack : List.of("%2e%2e/secret.txt", "..%2fsecret.txt", "%252e%252e/secret.txt")) {
            assertEquals(ImageFetcher.Failure.NOT_ALLOWED, failure(f, photos.toUri() + attack), attack);
        }
    }
}
