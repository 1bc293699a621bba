package org.lepistream.streams.models;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.lepistream.streams.batching.BatchExecutor;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch function behind the shared executor: runs the model in service on a batch, and swaps in a newly
 * offered model between two batches, so every batch is computed by exactly one model and none is interrupted.
 */
public final class ModelRunner implements BatchExecutor.BatchFunction<BufferedImage, ModelRunner.Output> {

    /** One image's analysis and the model that produced it. */
    public record Output(ImageAnalysis analysis, ServingModel model, long inferenceNanos, int batchSize,
            long finishedAtMillis) {}

    private static final Logger LOG = LoggerFactory.getLogger(ModelRunner.class);

    private final AtomicReference<ServingModel> offered = new AtomicReference<>();
    private final Consumer<ServingModel> onSwap;
    private volatile ServingModel current;
    private Identifier identifier; // confined to the executor's worker thread

    /** @param onSwap told (on the worker thread) each time a model goes into service */
    public ModelRunner(Consumer<ServingModel> onSwap) {
        this.onSwap = onSwap;
    }

    /** Puts a validated model into service before the next batch; an earlier offer not yet taken is discarded. */
    public void offer(ServingModel model) {
        ServingModel previous = offered.getAndSet(model);
        if (previous != null) {
            LOG.info("model {} was superseded by {} before serving", previous, model);
            previous.bundle().close();
        }
    }

    /** The model in service, or the one about to be. */
    public ServingModel latest() {
        ServingModel next = offered.get();
        return next != null ? next : current;
    }

    /** The model that computed the last batch (null before the first). */
    public ServingModel current() {
        return current;
    }

    public boolean hasModel() {
        return latest() != null;
    }

    @Override
    public List<Output> apply(List<BufferedImage> batch) {
        ServingModel next = offered.getAndSet(null);
        if (next != null) {
            swap(next);
        }
        ServingModel model = current;
        if (model == null) {
            throw new IllegalStateException("no model loaded yet");
        }
        long start = System.nanoTime();
        List<ImageAnalysis> analyses = identifier.analyse(batch, model::needsMask);
        long nanos = System.nanoTime() - start;
        long finished = System.currentTimeMillis();
        List<Output> out = new ArrayList<>(analyses.size());
        for (ImageAnalysis a : analyses) {
            out.add(new Output(a, model, nanos, batch.size(), finished));
        }
        return out;
    }

    private void swap(ServingModel next) {
        ServingModel old = current;
        Identifier oldIdentifier = identifier;
        identifier = next.bundle().newIdentifier();
        current = next;
        if (oldIdentifier != null) {
            oldIdentifier.close();
        }
        if (old != null) {
            old.bundle().close();
        }
        LOG.info("model {} now in service{}", next, old == null ? "" : " (replacing " + old + ")");
        onSwap.accept(next);
    }

    /** Frees the models; call after the executor has stopped. */
    public void close() {
        ServingModel next = offered.getAndSet(null);
        if (next != null) {
            next.bundle().close();
        }
        if (identifier != null) {
            identifier.close();
        }
        if (current != null) {
            current.bundle().close();
        }
    }
}
