package org.lepistream.streams.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchExecutorTest {

    @Test
    void requestsWaitingTogetherAreBatchedUpToTheMaximumSize() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        try (BatchExecutor<Integer, Integer> ex = new BatchExecutor<>("t", 4, Duration.ofMillis(200), batch -> {
            gate.await(); // hold the worker until everything is queued, so batching is deterministic
            sizes.add(batch.size());
            return batch.stream().map(i -> i * 10).toList();
        }, BatchExecutor.BatchListener.NONE)) {
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(ex.submit(i));
            }
            gate.countDown();
            for (int i = 0; i < 10; i++) {
                assertEquals(i * 10, futures.get(i).get(5, TimeUnit.SECONDS));
            }
        }
        // The first request is taken before the gate closes on it: 1 alone, then full batches of 4, then the rest.
        assertEquals(10, sizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(sizes.stream().allMatch(s -> s <= 4), sizes.toString());
        assertTrue(sizes.size() <= 4, "expected the 10 requests in at most 4 batches, got " + sizes);
    }

    @Test
    void requestsFromManyThreadsShareBatches() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        try (BatchExecutor<Integer, Integer> ex = new BatchExecutor<>("t", 64, Duration.ofMillis(100), batch -> {
            sizes.add(batch.size());
            return batch;
        }, BatchExecutor.BatchListener.NONE)) {
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Integer>> futures = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 8; i++) {
                        futures.add(ex.submit(i));
                    }
                });
                threads.add(th);
                th.start();
            }
            start.countDown();
            for (Thread th : threads) {
                th.join();
            }
            for (CompletableFuture<Integer> f : futures) {
                f.get(5, TimeUnit.SECONDS);
            }
        }
        assertEquals(32, sizes.stream().mapToInt(Integer::intValue).sum());
        // 32 requests arriving within a few ms of each other, a 100 ms window and room for 64: far fewer than 32
        // batches (typically one or two).
        assertTrue(sizes.size() <= 4, "requests were not coalesced: " + sizes);
    }

    @Test
    void aLoneRequestWaitsAtMostTheQueueDelay() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        try (BatchExecutor<Integer, Integer> ex = new BatchExecutor<>("t", 8, Duration.ofMillis(60), batch -> {
            sizes.add(batch.size());
            return batch;
        }, BatchExecutor.BatchListener.NONE)) {
            long start = System.nanoTime();
            assertEquals(5, ex.submit(5).get(5, TimeUnit.SECONDS));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 55, "batch ran before the queue delay: " + ms + " ms");
            assertTrue(ms < 2000, "batch waited far past the queue delay: " + ms + " ms");
        }
        assertEquals(List.of(1), sizes);
    }

    @Test
    void oneBadInputFailsAloneAndItsBatchMatesSucceed() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (BatchExecutor<Integer, Integer> ex = new BatchExecutor<>("t", 8, Duration.ofMillis(50), batch -> {
            gate.await();
            if (batch.contains(-1)) {
                throw new IllegalArgumentException("poison");
            }
            return batch;
        }, BatchExecutor.BatchListener.NONE)) {
            CompletableFuture<Integer> a = ex.submit(1);
            CompletableFuture<Integer> bad = ex.submit(-1);
            CompletableFuture<Integer> c = ex.submit(3);
            gate.countDown();
            assertEquals(1, a.get(5, TimeUnit.SECONDS));
            assertEquals(3, c.get(5, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
            assertEquals("poison", e.getCause().getMessage());
        }
    }

    @Test
    void listenerSeesEveryBatch() throws Exception {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        try (BatchExecutor<Integer, Integer> ex = new BatchExecutor<>("t", 2, Duration.ZERO, batch -> batch,
                (size, wait, compute, failed) -> seen.add(size))) {
            ex.submit(1).get(5, TimeUnit.SECONDS);
            ex.submit(2).get(5, TimeUnit.SECONDS);
        }
        assertEquals(List.of(1, 1), seen);
    }

    @Test
    void closedExecutorRefusesWork() {
        BatchExecutor<Integer, Integer> ex = new BatchExecutor<>("t", 2, Duration.ZERO, batch -> batch,
                BatchExecutor.BatchListener.NONE);
        ex.close();
        assertThrows(ExecutionException.class, () -> ex.submit(1).get(5, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> new BatchExecutor<Integer, Integer>("t", 0,
                Duration.ZERO, b -> b, BatchExecutor.BatchListener.NONE));
    }
}
