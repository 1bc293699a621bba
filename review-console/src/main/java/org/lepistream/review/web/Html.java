package org.lepistream.review.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Escaping for text and attribute values in server-rendered pages: everything from a record is untrusted. */
final class Html {
    private Html() {
    }

    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A query-string value (space as '+', as forms send it): only for what follows a '?'. */
    static String url(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /**
     * One path segment: every byte of the UTF-8 form except RFC 3986's unreserved characters is percent-encoded, so
     * an id with a space, '+', '%', '/', '#', '?' or non-ASCII letters stays one segment and decodes back to itself
     * (query encoding would turn a space into a '+', which a path keeps as a plus).
     */
    static String segment(String value) {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** The path of a sighting's page, or of one of its pictures or actions when {@code tail} is given. */
    static String sightingPath(String id, String tail) {
        return "/sightings/" + segment(id) + (tail == null ? "" : "/" + tail);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
