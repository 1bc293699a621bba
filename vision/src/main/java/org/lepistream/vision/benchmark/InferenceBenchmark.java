package org.lepistream.vision.benchmark;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.vision.bundle.ModelBundle;

/**
 * Measures the service's inference path ({@link Identifier#analyse}: resize, classifier, segmenter, copies out) on
 * decoded photos, so decoding and Kafka stay out of the numbers. Runs on the calling thread with one Identifier, as a
 * stream thread does; not thread-safe.
 */
public final class InferenceBenchmark implements AutoCloseable {
    /** Untimed batches before each measurement: the first passes at a new shape pay for allocator and kernel setup. */
    public static final int WARMUP_BATCHES = 3;

    /** Throughput of one engine at one batch size; batch times in milliseconds. */
    public record Throughput(String engine, int batch, int batches, int images, double seconds, double medianMs, double p90Ms) {
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    /** Memory after {@code images} soak inferences. */
    public record RssSample(int images, long rssKib, long heapUsedBytes) {
    }

    /** A long run at one batch size with its memory series; the first sample is taken after warm-up. */
    public record Soak(int batch, int images, double seconds, List<RssSample> series) {
        public Soak {
            series = List.copyOf(series);
        }

        /** Last minus first resident size, in KiB. */
        public long growthKib() {
            return series.get(series.size() - 1).rssKib() - series.get(0).rssKib();
        }

        public long peakKib() {
            return series.stream().mapToLong(RssSample::rssKib).max().orElseThrow();
        }
    }

    private final List<BufferedImage> pool;
    private final Identifier identifier;
    private final String engine;
    private final java.util.function.Predicate<double[][]> needsMask;
    private int cursor;

    /**
     * @param pool decoded photos, reused round-robin (a batch larger than the pool repeats photos)
     * @throws IllegalArgumentException for an empty pool
     */
    public InferenceBenchmark(ModelBundle bundle, List<BufferedImage> pool) {
        this(bundle, pool, p -> true);
    }

    /** @param needsMask the cascade's choice of photos to segment, as the service makes it */
    public InferenceBenchmark(ModelBundle bundle, List<BufferedImage> pool,
            java.util.function.Predicate<double[][]> needsMask) {
        this.needsMask = needsMask;
        if (pool == null || pool.isEmpty()) {
            throw new IllegalArgumentException("the benchmark needs at least one decoded photo");
        }
        this.pool = List.copyOf(pool);
        this.identifier = bundle.newIdentifier();
        this.engine = bundle.engine().configName();
    }

    /** Warms up, then runs batches of {@code batch} photos until {@code seconds} have passed (at least one batch). */
    public Throughput measure(int batch, double seconds) {
        requirePositive(batch, "batch size");
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds per size must be positive, got " + seconds);
        }
        warmUp(batch);
        List<Double> times = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long now = start;
        while (times.isEmpty() || now < deadline) {
            List<BufferedImage> photos = next(batch);
            long t0 = System.nanoTime();
            identifier.analyse(photos, needsMask);
            now = System.nanoTime();
            times.add((now - t0) / 1e6);
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Throughput(engine, batch, sorted.length, sorted.length * batch, (now - start) / 1e9, median(sorted),
                percentile(sorted, 0.9));
    }

    /**
     * Runs {@code images} photos through at {@code batch}, sampling memory after warm-up, whenever another
     * {@code every} photos are done, and at the end.
     */
    public Soak soak(int images, int batch, int every, Consumer<RssSample> progress) {
        requirePositive(images, "soak inferences");
        requirePositive(batch, "soak batch size");
        requirePositive(every, "RSS sampling interval");
        warmUp(batch);
        List<RssSample> series = new ArrayList<>();
        series.add(sample(0));
        long start = System.nanoTime();
        int done = 0;
        while (done < images) {
            int n = Math.min(batch, images - done);
            identifier.analyse(next(n), needsMask);
            int before = done;
            done += n;
            if (done / every > before / every || done == images) {
                series.add(sample(done));
                progress.accept(series.get(series.size() - 1));
            }
        }
        return new Soak(batch, images, (System.nanoTime() - start) / 1e9, series);
    }

    /** Analyses photos with this benchmark's identifier (to compare engines on the same photos). */
    public List<ImageAnalysis> analyse(List<BufferedImage> photos) {
        return identifier.analyse(photos, needsMask);
    }

    /**
     * Largest absolute differences between two engines' analyses of the same photos: probabilities at every rank,
     * attention maps, mask; one line for the report.
     */
    public static String agreement(String engineA, List<ImageAnalysis> a, String engineB, List<ImageAnalysis> b) {
        double p = 0;
        double att = 0;
        double mask = 0;
        int sameTop = 0;
        for (int i = 0; i < a.size(); i++) {
            ImageAnalysis x = a.get(i);
            ImageAnalysis y = b.get(i);
            for (int r = 0; r < x.rankProbabilities().length; r++) {
                for (int k = 0; k < x.rankProbabilities()[r].length; k++) {
                    p = Math.max(p, Math.abs(x.rankProbabilities()[r][k] - y.rankProbabilities()[r][k]));
                }
            }
            for (int l = 0; l < x.attention().size(); l++) {
                float[] u = x.attention().get(l).values();
                float[] v = y.attention().get(l).values();
                for (int k = 0; k < u.length; k++) {
                    att = Math.max(att, Math.abs(u[k] - v[k]));
                }
            }
            if (x.mask() != null) {
                for (int k = 0; k < x.mask().length; k++) {
                    mask = Math.max(mask, Math.abs(x.mask()[k] - y.mask()[k]));
                }
            }
            int leaf = x.rankProbabilities().length - 1;
            sameTop += x.top(leaf) == y.top(leaf) ? 1 : 0;
        }
        return String.format(Locale.ROOT, "%s vs %s on %d photos: max |Δ| probability %.2g, attention %.2g, mask %.2g;"
                + " same top species %d/%d", engineB, engineA, a.size(), p, att, mask, sameTop, a.size());
    }

    private void warmUp(int batch) {
        for (int i = 0; i < WARMUP_BATCHES; i++) {
            identifier.analyse(next(batch), needsMask);
        }
    }

    private List<BufferedImage> next(int n) {
        List<BufferedImage> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(pool.get(cursor));
            cursor = (cursor + 1) % pool.size();
        }
        return batch;
    }

    private static RssSample sample(int images) {
        Runtime rt = Runtime.getRuntime();
        return new RssSample(images, ProcessMemory.residentKib(), rt.totalMemory() - rt.freeMemory());
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + value);
        }
    }

    @Override
    public void close() {
        identifier.close();
    }
}
