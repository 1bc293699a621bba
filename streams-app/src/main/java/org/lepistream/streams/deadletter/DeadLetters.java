package org.lepistream.streams.deadletter;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.streams.intake.FreeText;

/** Builds dead letters: where the record came from, which stage refused it, why, and its original bytes. */
public final class DeadLetters {

    /** Messages are for humans; a pathological exception text must not bloat the DLQ. */
    static final int MAX_MESSAGE_CHARS = 2000;
    /**
     * A dead letter must itself fit under the broker's default 1 MB message limit, or the DLQ write would fail and
     * take the stream thread with it; larger originals are cut (the schema documents that they may be).
     */
    public static final int MAX_ORIGINAL_BYTES = 900 * 1024;

    private DeadLetters() {}

    public static DeadLetter of(String topic, int partition, long offset, String stage, DeadLetterReason reason,
            String message, byte[] key, byte[] originalValue) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic == null ? "unknown" : topic)
                .setPartition(partition)
                .setOffset(offset)
                .setStage(stage)
                .setReasonCode(reason)
                .setMessage(truncate(message == null ? reason.name() : message))
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(originalValue == null ? null
                        : ByteBuffer.wrap(originalValue, 0, Math.min(originalValue.length, MAX_ORIGINAL_BYTES)))
                .setFailedAt(Instant.now())
                .build();
    }

    /** Cut to size, with control and bidi characters (which may come from a producer's URI or id) escaped. */
    static String truncate(String s) {
        String cut = s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "…";
        return FreeText.clean(cut);
    }
}
