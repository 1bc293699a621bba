package org.lepistream.schemas.serde;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Configuration keys of the serde and registry client; names and defaults are Confluent's, so swapping is a dependency change. */
public final class SerdeConfig {
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    /** How long a "latest version" lookup is reused; negative means for the life of the serializer (Confluent's default). */
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Older Confluent spelling of {@link #BASIC_AUTH_USER_INFO}, still accepted by Confluent clients. */
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";

    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final long DEFAULT_RETRIES_WAIT_MS = 1_000;
    public static final long DEFAULT_RETRIES_MAX_WAIT_MS = 20_000;
    // Shorter than Confluent's 60 s: a CLI pointed at a dead registry should say so quickly.
    public static final long DEFAULT_HTTP_CONNECT_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_HTTP_READ_TIMEOUT_MS = 30_000;

    private SerdeConfig() {
    }

    static String string(Map<String, ?> config, String key, String fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Class<?> type) {
            return type.getName();
        }
        String text = value.toString().trim();
        return text.isEmpty() ? fallback : text;
    }

    static boolean bool(Map<String, ?> config, String key, boolean fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim().toLowerCase();
        if (text.equals("true")) {
            return true;
        }
        if (text.equals("false")) {
            return false;
        }
        throw new ConfigException(key, value, "expected true or false");
    }

    static long number(Map<String, ?> config, String key, long fallback, long min) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        long parsed;
        if (value instanceof Number n) {
            parsed = n.longValue();
        } else {
            try {
                parsed = Long.parseLong(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key, value, "expected a whole number");
            }
        }
        if (parsed < min) {
            throw new ConfigException(key, value, "must be at least " + min);
        }
        return parsed;
    }

    /** Only Confluent's default TopicNameStrategy is implemented; refusing others beats silently using the wrong subject. */
    static void requireTopicNameStrategy(Map<String, ?> config, boolean isKey) {
        String key = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
        String strategy = string(config, key, null);
        if (strategy != null && !strategy.endsWith("TopicNameStrategy")) {
            throw new ConfigException(key, strategy, "only TopicNameStrategy (<topic>-key / <topic>-value) is supported");
        }
    }

    /** Subject under which a topic's key or value schema is registered (Confluent's TopicNameStrategy). */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
