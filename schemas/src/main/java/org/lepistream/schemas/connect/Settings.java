package org.lepistream.schemas.connect;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One process's configuration after {@link ConfigFile#split}: its own keys (prefix removed) with typed getters whose
 * errors name the full key, and the pass-through entries for the Kafka clients and the serde. The service, the
 * trainer and the review console read their settings through this, so a bad value reads the same everywhere.
 */
public final class Settings {

    private final String prefix;
    private final SettingKeys keys;
    private final Map<String, String> own;
    private final Map<String, Object> clients;

    /** Refuses own keys that {@code keys} does not declare (a typo would otherwise be ignored). */
    Settings(SettingKeys keys, Map<String, String> own, Map<String, Object> clients) {
        keys.check(own);
        this.prefix = keys.prefix();
        this.keys = keys;
        this.own = new TreeMap<>(own);
        this.clients = new LinkedHashMap<>(clients);
    }

    /** The process's own keys, prefix removed, sorted. */
    public Map<String, String> own() {
        return Map.copyOf(own);
    }

    /** A fresh, mutable copy of the Kafka client and serde entries. */
    public Map<String, Object> clients() {
        return new HashMap<>(clients);
    }

    /** Own entries whose key starts with {@code start} (kept whole, e.g. {@code weight.wrong}). */
    public Map<String, String> startingWith(String start) {
        if (!keys.declaresStart(start)) {
            throw undeclared(start + "*");
        }
        Map<String, String> out = new TreeMap<>();
        own.forEach((k, v) -> {
            if (k.startsWith(start)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Back to one properties object (own keys with their prefix again). */
    public Properties toProperties() {
        Properties p = new Properties();
        clients.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        own.forEach((k, v) -> p.setProperty(prefix + k, v));
        return p;
    }

    /** The brokers, required by every process; the error says where to set them. */
    public String bootstrapServers() {
        Object v = clients.get("bootstrap.servers");
        if (v == null || v.toString().isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is not set (in the config file or --bootstrap)");
        }
        return v.toString();
    }

    /** A set, non-blank value. */
    public Optional<String> optional(String key) {
        if (!keys.declares(key)) {
            throw undeclared(key);
        }
        String v = own.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        return optional(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(prefix + key + " must be true or false, got '" + v + "'");
        }).orElse(fallback);
    }

    /** A whole number in [min, max]. */
    public long whole(String key, long fallback, long min, long max) {
        long v = optional(key).map(s -> parseWhole(key, s)).orElse(fallback);
        if (v < min || v > max) {
            throw new IllegalArgumentException(prefix + key + (max == Long.MAX_VALUE ? " must be at least " + min
                    : " must be between " + min + " and " + max) + ", got " + v);
        }
        return v;
    }

    /** A whole number in [min, max] that fits an int. */
    public int integer(String key, int fallback, int min, int max) {
        return (int) whole(key, fallback, min, max);
    }

    public double number(String key, double fallback) {
        return optional(key).map(s -> {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(prefix + key + " must be a number, got '" + s + "'");
            }
        }).orElse(fallback);
    }

    /** A share in [0, 1] (a probability, a fraction of the frame, of the traffic). */
    public double fraction(String key, double fallback) {
        double v = number(key, fallback);
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(prefix + key + " must be between 0 and 1, got " + v);
        }
        return v;
    }

    /** A comma-separated list, each entry trimmed, empty entries dropped; empty when the key is absent. */
    public List<String> list(String key) {
        return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList()).orElse(List.of());
    }

    /** An ISO-8601 duration such as PT10M or PT24H. */
    public Duration duration(String key, Duration fallback) {
        return optional(key).map(v -> {
            try {
                return Duration.parse(v);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(prefix + key + " must be an ISO-8601 duration like PT10M or PT24H,"
                        + " got '" + v + "'");
            }
        }).orElse(fallback);
    }

    /** One of an enum's constants, written in any case. */
    public <E extends Enum<E>> E choice(Class<E> type, String key, E fallback) {
        return optional(key).map(v -> {
            try {
                return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + key + " must be one of "
                        + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got '" + v + "'");
            }
        }).orElse(fallback);
    }

    private IllegalStateException undeclared(String key) {
        return new IllegalStateException("reads " + prefix + key + ", which its SettingKeys does not declare");
    }

    private long parseWhole(String key, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix + key + " must be a whole number, got '" + v + "'");
        }
    }
}
