package org.lepistream.schemas.connect;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Masks credentials in client configurations and URLs before they are logged or printed. */
public final class Secrets {
    public static final String MASK = "[redacted]";

    // Substrings of config keys whose values are credentials (SASL JAAS lines embed passwords, basic.auth.user.info is user:pass).
    private static final String[] SECRET_KEY_PARTS = {
        "password", "secret", "jaas", "user.info", "userinfo", "token", "apikey", "api.key",
        "keystore.key", "private.key", "credentials"
    };
    private static final Pattern URL_USERINFO = Pattern.compile("(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s,]+@");

    private Secrets() {
    }

    /** True when the value of this config key is a credential. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.endsWith("credentials.source")) {
            return false; // names where credentials come from (USER_INFO, URL), not a credential itself
        }
        for (String part : SECRET_KEY_PARTS) {
            if (k.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** A sorted copy of the config with credential values masked and user:password removed from URLs. */
    public static Map<String, Object> redact(Map<String, ?> config) {
        Map<String, Object> out = new TreeMap<>();
        config.forEach((key, value) -> out.put(key, redact(key, value)));
        return out;
    }

    /** The value to show for one config entry. */
    public static Object redact(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (isSecret(key)) {
            return MASK;
        }
        return value instanceof String s ? redactUrl(s) : value;
    }

    /** Removes user:password@ from every URL in the text (works on comma-separated URL lists). */
    public static String redactUrl(String text) {
        return text == null ? null : URL_USERINFO.matcher(text).replaceAll("${scheme}" + MASK + "@");
    }
}
