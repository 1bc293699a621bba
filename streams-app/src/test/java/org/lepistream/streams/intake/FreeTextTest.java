package org.lepistream.streams.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FreeTextTest {

    @Test
    void ordinaryTextIsKeptAsItIs() {
        String text = "Zoë Müller-Łukasz 観察者 <b>&</b> 🦋";
        assertFalse(FreeText.hasUnsafe(text));
        assertSame(text, FreeText.clean(text));
    }

    @Test
    void everyBidiControlAndInvisibleCharacterIsEscaped() {
        String[] unsafe = {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068",
                "\u2069", "\u200E", "\u200F", "\u061C", "\u200B", "\uFEFF", "\u0000", "\u0008", "\u001B", "\u007F",
                "\u0085", "\u2028", "\u2029", "\r", "\t"};
        for (String c : unsafe) {
            String cleaned = FreeText.clean("a" + c + "b");
            assertTrue(FreeText.hasUnsafe("a" + c + "b"));
            assertEquals("a" + String.format("\\u%04x", (int) c.charAt(0)) + "b", cleaned);
            assertFalse(FreeText.hasUnsafe(cleaned));
        }
    }
}
