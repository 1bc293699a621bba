package org.lepistream.vision.data;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects an HTTP body up to a byte limit, without a thread waiting on it, and can be aborted at any moment
 * (cancelling the subscription closes the connection): how a fetch's total deadline stops a server that trickles.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final long maxBytes;
    private final String what;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;
    private volatile boolean aborted;

    LimitedBody(long maxBytes, String what) {
        this.maxBytes = maxBytes;
        this.what = what;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (aborted) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer b : buffers) {
            if (bytes.size() + (long) b.remaining() > maxBytes) {
                fail(new ImageFetcher.FetchException(ImageFetcher.Failure.OVERSIZED, "image at " + what
                        + " exceeds the limit of " + maxBytes + " bytes"));
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
        if (!aborted) {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(new ImageFetcher.FetchException(ImageFetcher.Failure.UNREACHABLE,
                "image URI " + what + " failed while sending its body: " + t.getClass().getSimpleName()));
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    /** Stops reading and closes the transfer; the body fails with {@code why}. */
    void fail(ImageFetcher.FetchException why) {
        aborted = true;
        result.completeExceptionally(why);
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
