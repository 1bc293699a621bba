package org.lepistream.streams.intake;

import org.lepistream.vision.data.ImageFetcher;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fetch pool against real local HTTP servers: one that trickles a byte a second, one that answers at once. */
class FetchPoolTest {

    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private HttpServer slow;
    private HttpServer fast;
    private final AtomicInteger slowStarted = new AtomicInteger();
    private final AtomicInteger slowAborted = new AtomicInteger();
    private FetchPool pool;

    @BeforeEach
    void startServers() throws IOException {
        slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/", ex -> {
            slowStarted.incrementAndGet();
            ex.sendResponseHeaders(200, 1000);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 1000; i++) {
                    out.write(0xFF);
                    out.flush();
                    Thread.sleep(1000);
                }
            } catch (IOException | InterruptedException e) {
                slowAborted.incrementAndGet(); // the client hung up
            }
        });
        slow.setExecutor(serverThreads);
        slow.start();
        fast = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fast.createContext("/", ex -> {
            byte[] body = {4, 5, 6};
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        fast.setExecutor(serverThreads);
        fast.start();
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        slow.stop(0);
        fast.stop(0);
        serverThreads.shutdownNow();
    }

    private static String base(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    private FetchPool pool(int maxConcurrent, int maxPerHost, Duration deadline) {
        ImageFetcher fetcher = new ImageFetcher(List.of(base(slow), base(fast)), 1_000_000, Duration.ofSeconds(30));
        pool = new FetchPool(fetcher, maxConcurrent, maxPerHost, deadline);
        return pool;
    }

    private CompletableFuture<byte[]> fetch(FetchPool p, String uri) throws ImageFetcher.FetchException {
        ImageFetcher fetcher = new ImageFetcher(List.of(base(slow), base(fast)), 1_000_000, Duration.ofSeconds(30));
        return p.fetch(fetcher.check(uri));
    }

    @Test
    void aTricklingBodyFailsAtTheTotalDeadline() throws Exception {
        FetchPool p = pool(4, 2, Duration.ofMillis(1500));
        long t0 = System.nanoTime();
        CompletableFuture<byte[]> f = fetch(p, base(slow) + "/a.jpg");
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ImageFetcher.FetchException cause = assertInstanceOf(ImageFetcher.FetchException.class, e.getCause());
        assertEquals(ImageFetcher.Failure.UNREACHABLE, cause.failure());
        assertTrue(cause.getMessage().contains("deadline of 1500 ms"), cause.getMessage());
        // The headers came at once and bytes kept arriving: only a total deadline stops this fetch.
        assertTrue(ms >= 1400 && ms < 10_000, "failed after " + ms + " ms");
        // The transfer is really aborted (its slot is free again), not left running in the background.
        awaitTrue(() -> p.running() == 0, "the slow fetch's slot was released");
        awaitTrue(() -> slowAborted.get() == 1, "the server saw the client hang up");
    }

    @Test
    void aSlowHostTakesOnlyItsOwnSlots() throws Exception {
        FetchPool p = pool(3, 2, Duration.ofSeconds(20));
        List<CompletableFuture<byte[]>> slowOnes = List.of(fetch(p, base(slow) + "/1.jpg"),
                fetch(p, base(slow) + "/2.jpg"), fetch(p, base(slow) + "/3.jpg"));
        awaitTrue(() -> slowStarted.get() == 2, "two slow fetches running");
        assertEquals(1, p.waiting(), "the third fetch to the slow host waits for one of the host's slots");
        // The pool has room for 3, the slow host may use 2: another host is served at once.
        byte[] fastBytes = fetch(p, base(fast) + "/x.jpg").get(10, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {4, 5, 6}, fastBytes);
        assertTrue(slowOnes.stream().noneMatch(CompletableFuture::isDone));
        // Cancelling a running fetch aborts it and gives its slot to the waiting one.
        slowOnes.get(0).cancel(false);
        awaitTrue(() -> slowStarted.get() == 3, "the waiting fetch started after a cancel");
        assertFalse(slowOnes.get(2).isDone());
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
