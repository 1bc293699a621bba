package org.lepistream.schemas.metrics;

import java.util.Locale;

/**
 * Pieces of the Prometheus text exposition format (0.0.4). The service and the trainer expose a handful of counters,
 * gauges and histograms each; writing the format by hand keeps a metrics library out of both.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** The HELP and TYPE lines that precede a metric family. */
    public static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Whole values without a decimal point, others with six significant digits. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A label value with backslash, quote and newline escaped, as the format requires. */
    public static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
