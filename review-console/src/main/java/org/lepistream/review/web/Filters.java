package org.lepistream.review.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.lepistream.review.queue.QueueFilter;

/** The queue filters as they travel in query strings (reason, taxon, model, age) and become a {@link QueueFilter}. */
record Filters(String reason, String taxon, String model, String age) {

    static final Map<String, String> AGES = new LinkedHashMap<>();

    static {
        AGES.put("", "any age");
        AGES.put("lt1h", "under 1 hour");
        AGES.put("lt24h", "under 1 day");
        AGES.put("gt24h", "over 1 day");
        AGES.put("gt7d", "over 7 days");
    }

    static Filters from(Function<String, String> param) {
        return new Filters(clean(param.apply("reason")), clean(param.apply("taxon")), clean(param.apply("model")),
                clean(param.apply("age")));
    }

    QueueFilter toQueueFilter() {
        Duration min = null;
        Duration max = null;
        switch (age) {
            case "lt1h" -> max = Duration.ofHours(1);
            case "lt24h" -> max = Duration.ofDays(1);
            case "gt24h" -> min = Duration.ofDays(1);
            case "gt7d" -> min = Duration.ofDays(7);
            case "" -> { }
            default -> throw new IllegalArgumentException("unknown age filter '" + age + "'");
        }
        return new QueueFilter(reason, taxon, model, min, max);
    }

    /** "reason=..&taxon=.." without the leading '?', empty when no filter is set. */
    String query() {
        StringBuilder q = new StringBuilder();
        add(q, "reason", reason);
        add(q, "taxon", taxon);
        add(q, "model", model);
        add(q, "age", age);
        return q.toString();
    }

    private static void add(StringBuilder q, String key, String value) {
        if (!value.isEmpty()) {
            q.append(q.length() == 0 ? "" : "&").append(key).append('=').append(Html.url(value));
        }
    }

    private static String clean(String v) {
        return v == null ? "" : v.trim();
    }
}
