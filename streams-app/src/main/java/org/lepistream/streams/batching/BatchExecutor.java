package org.lepistream.streams.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic batcher for one model on one device, shared by every stream thread: requests from all threads are
 * coalesced into batches of at most {@code maxBatchSize}, and the first request of a batch waits at most
 * {@code maxQueueDelay} for the batch to fill (Triton's max_batch_size and max_queue_delay).
 *
 * <p>All inference runs on one worker thread, so the model behind {@link BatchFunction} is thread-confined (DJL
 * predictors are not thread-safe) and a model swap between two batches needs no locking.
 */
public final class BatchExecutor<I, O> implements AutoCloseable {

    /** The batched computation; called only from the executor's worker thread. */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        /** Returns one output per input, in order. */
        List<O> apply(List<I> batch) throws Exception;
    }

    /** Observes each batch (for metrics). */
    public interface BatchListener {
        BatchListener NONE = (size, oldestWaitNanos, computeNanos, failed) -> { };

        void onBatch(int size, long oldestWaitNanos, long computeNanos, boolean failed);
    }

    private record Request<I, O>(I input, long enqueuedNanos, CompletableFuture<O> result) {}

    private static final Logger LOG = LoggerFactory.getLogger(BatchExecutor.class);

    private final int maxBatchSize;
    private final long maxQueueDelayNanos;
    private final BatchFunction<I, O> function;
    private final BatchListener listener;
    private final BlockingQueue<Request<I, O>> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;

    public BatchExecutor(String name, int maxBatchSize, Duration maxQueueDelay, BatchFunction<I, O> function,
            BatchListener listener) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, got " + maxBatchSize);
        }
        if (maxQueueDelay.isNegative()) {
            throw new IllegalArgumentException("max queue delay must not be negative, got " + maxQueueDelay);
        }
        this.maxBatchSize = maxBatchSize;
        this.maxQueueDelayNanos = maxQueueDelay.toNanos();
        this.function = function;
        this.listener = listener;
        this.worker = new Thread(this::run, "batch-executor-" + name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Queues one input; the future completes (on the worker thread) when its batch has run. */
    public CompletableFuture<O> submit(I input) {
        CompletableFuture<O> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(new IllegalStateException("batch executor is closed"));
            return result;
        }
        queue.add(new Request<>(input, System.nanoTime(), result));
        return result;
    }

    /** Requests waiting for a batch. */
    public int queued() {
        return queue.size();
    }

    private void run() {
        List<Request<I, O>> batch = new ArrayList<>(maxBatchSize);
        while (running) {
            try {
                Request<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = first.enqueuedNanos() + maxQueueDelayNanos;
                queue.drainTo(batch, maxBatchSize - batch.size());
                while (batch.size() < maxBatchSize) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Request<I, O> next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    queue.drainTo(batch, maxBatchSize - batch.size());
                }
                execute(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                // Whatever went wrong, the requests must complete: a stream task is waiting on each of them.
                LOG.error("batch executor failed unexpectedly", t);
                batch.forEach(r -> r.result().completeExceptionally(t));
            } finally {
                batch.clear();
            }
        }
        Request<I, O> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("batch executor closed"));
        }
    }

    private void execute(List<Request<I, O>> batch) {
        long oldestWait = System.nanoTime() - batch.get(0).enqueuedNanos();
        long start = System.nanoTime();
        List<O> outputs;
        try {
            outputs = function.apply(inputs(batch));
            if (outputs.size() != batch.size()) {
                throw new IllegalStateException("batch function returned " + outputs.size() + " results for "
                        + batch.size() + " inputs");
            }
        } catch (Exception e) {
            listener.onBatch(batch.size(), oldestWait, System.nanoTime() - start, true);
            isolateFailure(batch, e);
            return;
        }
        listener.onBatch(batch.size(), oldestWait, System.nanoTime() - start, false);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(outputs.get(i));
        }
    }

    /**
     * One poisonous input must not fail its batch-mates: rerun each alone so only the culprit fails. Single-item
     * batches fail straight away.
     */
    private void isolateFailure(List<Request<I, O>> batch, Exception cause) {
        if (batch.size() == 1) {
            batch.get(0).result().completeExceptionally(cause);
            return;
        }
        LOG.warn("batch of {} failed ({}); retrying one by one to isolate the bad input", batch.size(), cause.toString());
        for (Request<I, O> r : batch) {
            try {
                List<O> one = function.apply(List.of(r.input()));
                r.result().complete(one.get(0));
            } catch (Exception e) {
                r.result().completeExceptionally(e);
            }
        }
    }

    private static <I, O> List<I> inputs(List<Request<I, O>> batch) {
        List<I> in = new ArrayList<>(batch.size());
        for (Request<I, O> r : batch) {
            in.add(r.input());
        }
        return in;
    }

    @Override
    public void close() {
        // Let the batch in progress finish (interrupting a native inference call helps nobody); queued ones fail.
        running = false;
        try {
            worker.join(30_000);
            if (worker.isAlive()) {
                worker.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
