package org.lepistream.streams.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import org.lepistream.schemas.metrics.Counter;
import static org.lepistream.schemas.metrics.PrometheusText.escape;
import static org.lepistream.schemas.metrics.PrometheusText.header;
import static org.lepistream.schemas.metrics.PrometheusText.number;

/**
 * The service's operational numbers, rendered in the Prometheus text exposition format (version 0.0.4) without a
 * metrics library: counters, labelled counters, histograms and gauges are all this service needs.
 */
public final class Metrics {

    /** Key under which the service passes its Metrics to the exception handlers through the Streams config. */
    public static final String CONFIG_KEY = "lepistream.metrics";

    /** Cumulative buckets, sum and count, as Prometheus histograms expect. */
    public static final class Histogram {
        private final String name;
        private final String help;
        private final double[] bounds;
        private final LongAdder[] buckets;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        Histogram(String name, String help, double... bounds) {
            this.name = name;
            this.help = help;
            this.bounds = bounds.clone();
            this.buckets = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        public void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    buckets[i].increment();
                }
            }
            sum.add(value);
            count.increment();
        }

        public long count() {
            return count.sum();
        }

        public double sum() {
            return sum.sum();
        }

        void render(StringBuilder out) {
            header(out, name, help, "histogram");
            for (int i = 0; i < bounds.length; i++) {
                out.append(name).append("_bucket{le=\"").append(number(bounds[i])).append("\"} ")
                        .append(buckets[i].sum()).append('\n');
            }
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n');
            out.append(name).append("_sum ").append(number(sum.sum())).append('\n');
            out.append(name).append("_count ").append(count.sum()).append('\n');
        }
    }

    /** Sightings per second over the last few seconds, for humans (Prometheus users take rate() of the counter). */
    public static final class Throughput {
        private static final int SLOTS = 10;
        private final long[] counts = new long[SLOTS];
        private final long[] seconds = new long[SLOTS];

        public synchronized void mark(long n) {
            long now = System.currentTimeMillis() / 1000;
            int i = (int) (now % SLOTS);
            if (seconds[i] != now) {
                seconds[i] = now;
                counts[i] = 0;
            }
            counts[i] += n;
        }

        /** Mean over the last five complete seconds. */
        public synchronized double perSecond() {
            long now = System.currentTimeMillis() / 1000;
            long total = 0;
            for (int back = 1; back <= 5; back++) {
                int i = (int) ((now - back) % SLOTS);
                if (seconds[i] == now - back) {
                    total += counts[i];
                }
            }
            return total / 5.0;
        }
    }

    public final Counter sightings = new Counter("lepistream_sightings_total",
            "Sightings read from the sightings topic (including undecodable ones).", null);
    public final Counter outputs = new Counter("lepistream_outputs_total",
            "Records produced, by route (identified, review, dead_letter).", "route");
    public final Counter reviewReasons = new Counter("lepistream_review_reasons_total",
            "Reasons sightings were sent to expert review.", "reason");
    public final Counter deadLetters = new Counter("lepistream_dead_letters_total",
            "Dead letters written, by reason code.", "reason");
    public final Counter repeats = new Counter("lepistream_repeated_sightings_total",
            "Sightings sent again after their decision (same sightingId within the repeat window), dropped at"
                    + " intake or, when the first was still in flight, at the decision.", "stage");
    public final Counter rereads = new Counter("lepistream_reread_sightings_total",
            "Records read a second time after their decision was committed (the group's committed offsets went"
                    + " back: an offset reset or a broker fault), dropped at intake or at the decision.", "stage");
    public final Counter modelLoadFailures = new Counter("lepistream_model_load_failures_total",
            "Model releases rejected because they failed to load or validate.", null);
    public final Counter modelSwaps = new Counter("lepistream_model_swaps_total",
            "Models put into service (including the first).", null);
    public final Histogram batchSize = new Histogram("lepistream_batch_size",
            "Images per inference batch.", 1, 2, 4, 8, 16, 32, 64, 128, 256);
    public final Histogram queueDelaySeconds = new Histogram("lepistream_batch_queue_delay_seconds",
            "How long the oldest request of a batch waited for the batch to form.",
            0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2);
    public final Histogram inferenceSeconds = new Histogram("lepistream_inference_seconds",
            "Segmenter plus classifier time per batch.", 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10);
    public final Histogram endToEndSeconds = new Histogram("lepistream_end_to_end_seconds",
            "From the sighting's record timestamp until its output was forwarded.",
            0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60);
    public final Throughput throughput = new Throughput();
    private final AtomicReference<String> modelVersion = new AtomicReference<>("");
    private final AtomicLong modelSince = new AtomicLong();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();

    public void modelInService(String version) {
        modelVersion.set(version);
        modelSince.set(System.currentTimeMillis());
        modelSwaps.inc();
    }

    public String modelVersion() {
        return modelVersion.get();
    }

    /** Registers a gauge read at scrape time (e.g. queue length). */
    public void gauge(String name, DoubleSupplier supplier) {
        gauges.put(name, supplier);
    }

    /** The whole exposition, ready to serve as text/plain; version=0.0.4. */
    public String render() {
        StringBuilder out = new StringBuilder(4096);
        sightings.render(out);
        outputs.render(out);
        reviewReasons.render(out);
        deadLetters.render(out);
        repeats.render(out);
        rereads.render(out);
        modelLoadFailures.render(out);
        modelSwaps.render(out);
        batchSize.render(out);
        queueDelaySeconds.render(out);
        inferenceSeconds.render(out);
        endToEndSeconds.render(out);
        header(out, "lepistream_sightings_per_second", "Sightings processed per second over the last 5 s.", "gauge");
        out.append("lepistream_sightings_per_second ").append(number(throughput.perSecond())).append('\n');
        header(out, "lepistream_model_info", "The model in service (value is when it went into service, ms).", "gauge");
        if (!modelVersion.get().isEmpty()) {
            out.append("lepistream_model_info{version=\"").append(escape(modelVersion.get())).append("\"} ")
                    .append(modelSince.get()).append('\n');
        }
        new java.util.TreeMap<>(gauges).forEach((name, supplier) -> {
            header(out, name, name.replace('_', ' '), "gauge");
            out.append(name).append(' ').append(number(supplier.getAsDouble())).append('\n');
        });
        return out.toString();
    }
}
