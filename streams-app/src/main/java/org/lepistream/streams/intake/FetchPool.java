package org.lepistream.streams.intake;

import org.lepistream.vision.data.ImageFetcher;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches photos off the stream threads, so a slow image server delays only its own sightings.
 *
 * <p>At most {@code maxConcurrent} fetches run at once and at most {@code maxPerHost} of them against one host:
 * one host that trickles its answers can hold only its own slots, never all of them. Every fetch has a total
 * deadline from the moment it starts (connection, headers and body); at the deadline its future fails with
 * {@link ImageFetcher.Failure#UNREACHABLE} and the transfer is aborted (the connection closed). Fetches
 * waiting for a slot start in submission order, each as soon as its host and the pool have room.
 */
public final class FetchPool implements AutoCloseable {

    private final ImageFetcher fetcher;
    private final int maxConcurrent;
    private final int maxPerHost;
    private final Duration deadline;
    /** Reads file URIs (http needs no thread of its own: the client's I/O is asynchronous). */
    private final ExecutorService files;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final Map<String, Integer> runningPerHost = new HashMap<>();
    private int running;

    private static final class Job {
        final ImageFetcher.Target target;
        final CompletableFuture<byte[]> result = new CompletableFuture<>();

        Job(ImageFetcher.Target target) {
            this.target = target;
        }
    }

    public FetchPool(ImageFetcher fetcher, int maxConcurrent, int maxPerHost, Duration deadline) {
        if (maxConcurrent < 1 || maxPerHost < 1) {
            throw new IllegalArgumentException("fetch concurrency limits must be positive");
        }
        this.fetcher = fetcher;
        this.maxConcurrent = maxConcurrent;
        this.maxPerHost = Math.min(maxPerHost, maxConcurrent);
        this.deadline = deadline;
        AtomicInteger n = new AtomicInteger();
        this.files = Executors.newFixedThreadPool(Math.min(maxConcurrent, 4),
                r -> daemon(r, "image-file-read-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "image-fetch-deadline"));
    }

    /**
     * The photo's bytes, or a {@link ImageFetcher.FetchException} as the failure. Cancelling the future drops a
     * waiting fetch and aborts a running one.
     */
    public CompletableFuture<byte[]> fetch(ImageFetcher.Target target) {
        Job job = new Job(target);
        synchronized (this) {
            waiting.add(job);
        }
        drain();
        return job.result;
    }

    /** Fetches running now (for the metrics). */
    public synchronized int running() {
        return running;
    }

    /** Fetches waiting for a slot (for the metrics). */
    public synchronized int waiting() {
        return waiting.size();
    }

    public Duration deadline() {
        return deadline;
    }

    private void drain() {
        List<Job> ready = new ArrayList<>();
        synchronized (this) {
            Iterator<Job> it = waiting.iterator();
            while (running < maxConcurrent && it.hasNext()) {
                Job job = it.next();
                if (job.result.isDone()) {
                    it.remove(); // cancelled while waiting
                    continue;
                }
                int onHost = runningPerHost.getOrDefault(job.target.host(), 0);
                if (onHost >= maxPerHost) {
                    continue;
                }
                it.remove();
                running++;
                runningPerHost.put(job.target.host(), onHost + 1);
                ready.add(job);
            }
        }
        // Started outside the lock: a fetch that fails at once releases its slot (and drains) from this thread.
        ready.forEach(this::start);
    }

    private void start(Job job) {
        CompletableFuture<byte[]> transfer;
        try {
            transfer = fetcher.fetchAsync(job.target, files);
        } catch (RuntimeException e) {
            transfer = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<byte[]> started = transfer;
        long ms = deadline.toMillis();
        ScheduledFuture<?> expiry = timer.schedule(() -> job.result.completeExceptionally(
                new ImageFetcher.FetchException(ImageFetcher.Failure.UNREACHABLE, "no complete answer from "
                        + job.target.host() + " within the fetch deadline of " + ms + " ms")),
                ms, TimeUnit.MILLISECONDS);
        started.whenComplete((bytes, failure) -> {
            if (failure == null) {
                job.result.complete(bytes);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                job.result.completeExceptionally(cause instanceof ImageFetcher.FetchException ? cause
                        : new ImageFetcher.FetchException(ImageFetcher.Failure.UNREACHABLE,
                                "fetch failed: " + cause.getClass().getSimpleName()));
            }
        });
        // However it ends (done, failed, deadline, cancelled by its task): stop the transfer and free the slot.
        job.result.whenComplete((bytes, failure) -> {
            expiry.cancel(false);
            started.cancel(true);
            release(job);
        });
    }

    private void release(Job job) {
        synchronized (this) {
            running--;
            runningPerHost.computeIfPresent(job.target.host(), (h, c) -> c <= 1 ? null : c - 1);
        }
        drain();
    }

    @Override
    public void close() {
        files.shutdownNow();
        timer.shutdownNow();
        synchronized (this) {
            waiting.forEach(j -> j.result.cancel(false));
            waiting.clear();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
