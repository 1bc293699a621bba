package org.lepistream.streams.intake;

/**
 * Producer-supplied text that reaches people (review requests, the console): control characters, bidi overrides
 * and other invisible format characters are made visible as {@code \\uXXXX} instead of being copied verbatim, so a
 * crafted observer id can neither reorder what a reviewer reads nor hide text. HTML escaping stays the job of
 * whoever renders HTML.
 */
public final class FreeText {

    private FreeText() {}

    /** True when the text holds a character {@link #clean} would escape. */
    public static boolean hasUnsafe(String text) {
        return text.codePoints().anyMatch(FreeText::unsafe);
    }

    public static String clean(String text) {
        if (text == null || !hasUnsafe(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (unsafe(cp)) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static boolean unsafe(int cp) {
        return switch (Character.getType(cp)) {
            // Cc (C0/C1 controls, newlines, ESC), Cf (bidi overrides and isolates, zero-width characters), line and
            // paragraph separators, lone surrogates, unassigned and private-use code points.
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
