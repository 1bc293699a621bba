package org.lepistream.loadtest.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.lepistream.loadtest.measure.Timeline;

/** The two charts of a load report: throughput over time and the latency percentile curve. */
public final class Plots {

    /** Percentiles drawn on the latency chart (the x axis spaces them by their "nines"). */
    static final double[] PERCENTILES = {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
    private static final Color SENT = new Color(120, 120, 120);
    private static final Color DONE = new Color(31, 119, 180);

    private Plots() {
    }

    /** Sightings sent and results seen per second. */
    public static LineChart throughput(String title, Timeline timeline) {
        long[] sent = timeline.sentPerSecond();
        long[] done = timeline.completedPerSecond();
        double[] x = new double[timeline.seconds()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new LineChart(title, "seconds since start", "sightings per second")
                .add(new LineChart.Series("sent / s", SENT, x, toDouble(sent)))
                .add(new LineChart.Series("results / s", new Color(158, 202, 225), x, toDouble(done)))
                .add(new LineChart.Series("results / s, 5 s mean", DONE, x, movingMean(done, 5)));
    }

    /** Mean of the last {@code window} values at each position (results arrive in batches: per-second counts spike). */
    static double[] movingMean(long[] values, int window) {
        double[] out = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
            if (i >= window) {
                sum -= values[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    /** Latency (ms) at each percentile, x = log10(1 / (1 - p)) so that 90, 99, 99.9 are evenly spaced. */
    public static LineChart latency(String title, Histogram micros) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        if (micros.getTotalCount() > 0) {
            for (double p : PERCENTILES) {
                xs.add(nines(p));
                ys.add(micros.getValueAtPercentile(p) / 1000.0);
            }
        }
        double[] ticks = {nines(0), nines(90), nines(99), nines(99.9), nines(99.99)};
        return new LineChart(title, "percentile", "latency, ms (sent → result visible)")
                .add(new LineChart.Series("latency", DONE, unbox(xs), unbox(ys)))
                .xTicks(ticks, Plots::percentileLabel);
    }

    /** Position of percentile {@code p} on the chart's x axis. */
    static double nines(double p) {
        return Math.log10(100.0 / (100.0 - Math.min(p, 99.99)));
    }

    static String percentileLabel(double x) {
        double p = 100 - 100 / Math.pow(10, x);
        return p < 0.5 ? "min" : "p" + java.math.BigDecimal.valueOf(Math.round(p * 100) / 100.0).stripTrailingZeros()
                .toPlainString();
    }

    private static double[] toDouble(long[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
