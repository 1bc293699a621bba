package org.lepistream.schemas.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count, optionally split by one label; rendered in the Prometheus text format. */
public final class Counter {
    private final String name;
    private final String help;
    private final String label;
    private final Map<String, LongAdder> values = new ConcurrentSkipListMap<>();

    /** {@code label} null: one unlabelled series, shown as 0 before the first increment. */
    public Counter(String name, String help, String label) {
        this.name = name;
        this.help = help;
        this.label = label;
    }

    public void inc() {
        inc("", 1);
    }

    public void inc(String labelValue) {
        inc(labelValue, 1);
    }

    public void inc(String labelValue, long n) {
        values.computeIfAbsent(labelValue, k -> new LongAdder()).add(n);
    }

    public long get(String labelValue) {
        LongAdder a = values.get(labelValue);
        return a == null ? 0 : a.sum();
    }

    public long total() {
        return values.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public void render(StringBuilder out) {
        PrometheusText.header(out, name, help, "counter");
        if (values.isEmpty() && label == null) {
            out.append(name).append(" 0\n");
        }
        values.forEach((k, v) -> out.append(name)
                .append(label == null ? "" : "{" + label + "=\"" + PrometheusText.escape(k) + "\"}")
                .append(' ').append(v.sum()).append('\n'));
    }
}
