package org.lepistream.schemas.connect;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The one properties-file convention of every lepistream process: keys under the process's own prefix are its
 * settings; every other key (bootstrap.servers, security.protocol, schema.registry.url, …) passes through to the
 * Kafka clients and the serde untouched.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /** Reads a properties file; a missing or unreadable file is a clear error. */
    public static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    /**
     * Splits trimmed values into the keys under the process's prefix (prefix removed) and the rest; an own key that
     * {@code keys} does not declare is refused with the nearest known key suggested.
     */
    public static Settings split(Properties props, SettingKeys keys) {
        String prefix = keys.prefix();
        keys.checkRetired(props.stringPropertyNames());
        Map<String, String> own = new TreeMap<>();
        Map<String, Object> clients = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            String value = props.getProperty(name).trim();
            if (name.startsWith(prefix)) {
                own.put(name.substring(prefix.length()), value);
            } else {
                clients.put(name, value);
            }
        }
        return new Settings(keys, own, clients);
    }
}
