package org.lepistream.review.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Decides where sign-in may send a reviewer afterwards: only a path of this console. A crafted {@code ?next=} must
 * not lead to another site, and browsers are lenient — they drop tabs and newlines inside URLs and read a backslash
 * as a slash, so {@code /<TAB>/evil.example} or {@code /\evil.example} would mean {@code //evil.example}, another
 * host. Accepted: a single '/' followed by a character that is not '/', '\' or a control character, checked on the
 * value as given and after every round of percent-decoding, and the whole value printable ASCII (our own links are
 * percent-encoded). Anything else becomes "/".
 */
final class NextTarget {

    private static final int MAX_DECODING_ROUNDS = 5;
    private static final int MAX_LENGTH = 2048;

    private NextTarget() {
    }

    static String safe(String next) {
        if (next == null || next.isEmpty() || next.length() > MAX_LENGTH || !printableAscii(next)) {
            return "/";
        }
        String s = next;
        for (int round = 0; round <= MAX_DECODING_ROUNDS; round++) {
            if (!localPath(s)) {
                return "/";
            }
            String decoded;
            try {
                decoded = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // A malformed escape: in the value as given, nothing we would have made; after a round of
                // decoding, a literal '%' of an id (what is left cannot decode into anything else).
                return round == 0 ? "/" : next;
            }
            if (decoded.equals(s)) {
                return next;
            }
            s = decoded;
        }
        return "/"; // still changing after several rounds: encoded only to hide something
    }

    /** "/" alone, or "/" then a character that cannot start a host; no backslash or control character anywhere. */
    private static boolean localPath(String s) {
        if (s.isEmpty() || s.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.isWhitespace(c) && c != ' ') {
                return false;
            }
        }
        return s.length() == 1 || s.charAt(1) != '/';
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
