package org.lepistream.streams.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.DeadLetterReason;

class DeadLettersTest {

    @Test
    void messagesAreCutAndCarryNoControlOrBidiCharacters() {
        DeadLetter d = DeadLetters.of("t", 0, 1, "fetch", DeadLetterReason.URI_UNREACHABLE,
                "image URI http://h/\u202Egpj.exe\u001b[2J unreachable", null, null);
        assertEquals("image URI http://h/\\u202egpj.exe\\u001b[2J unreachable", d.getMessage());
        String longOne = DeadLetters.of("t", 0, 1, "x", DeadLetterReason.INVALID_RECORD, "y".repeat(10_000), null,
                null).getMessage();
        assertTrue(longOne.length() <= DeadLetters.MAX_MESSAGE_CHARS + 1, "cut to " + longOne.length());
    }
}
