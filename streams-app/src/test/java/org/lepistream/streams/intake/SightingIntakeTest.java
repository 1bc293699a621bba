package org.lepistream.streams.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Sighting;
import org.lepistream.streams.TestImages;
import org.lepistream.vision.data.ImageDecoder;

class SightingIntakeTest {

    private final SightingIntake intake = new SightingIntake(new ImageDecoder(10_000_000),
            new ImageFetcher(List.of(), 50_000, Duration.ofSeconds(1)), 50_000, 64);

    static Sighting.Builder sighting(String id) {
        return Sighting.newBuilder().setSightingId(id).setObserverId("obs").setObservedAt(Instant.EPOCH)
                .setSource("test");
    }

    private DeadLetterReason rejected(Sighting s) {
        Admission a = intake.admit(s);
        return assertInstanceOf(Admission.Rejected.class, a, "expected a rejection").reason();
    }

    private static Sighting inline(byte[] bytes) {
        return sighting("s").setImage(ByteBuffer.wrap(bytes)).build();
    }

    @Test
    void goodPhotosAreDecoded() {
        for (byte[] bytes : List.of(TestImages.jpeg(80, 60, 1), TestImages.png(40, 40, 2))) {
            Admission.Admitted a = assertInstanceOf(Admission.Admitted.class, intake.admit(inline(bytes)));
            assertTrue(a.image().getWidth() > 0);
            assertEquals(bytes.length, a.imageBytes().length);
        }
    }

    @Test
    void everyKindOfBadInputHasItsOwnReason() {
        assertEquals(DeadLetterReason.NO_IMAGE, rejected(sighting("s").build()));
        assertEquals(DeadLetterReason.NO_IMAGE, rejected(inline(new byte[0])));
        assertEquals(DeadLetterReason.CORRUPT_IMAGE, rejected(inline(TestImages.corruptJpeg())));
        assertEquals(DeadLetterReason.TRUNCATED_IMAGE, rejected(inline(TestImages.truncatedJpeg())));
        assertEquals(DeadLetterReason.UNSUPPORTED_FORMAT, rejected(inline(TestImages.heic())));
        assertEquals(DeadLetterReason.UNSUPPORTED_FORMAT, rejected(inline("just text".getBytes())));
        assertEquals(DeadLetterReason.OVERSIZED_DIMENSIONS, rejected(inline(TestImages.pngBomb(100_000))));
        assertEquals(DeadLetterReason.OVERSIZED_PAYLOAD, rejected(inline(new byte[60_000])));
        assertEquals(DeadLetterReason.URI_NOT_ALLOWED,
                rejected(sighting("s").setImageUri("http://169.254.169.254/latest/meta-data").build()));
        assertEquals(DeadLetterReason.INVALID_RECORD, rejected(sighting(" ").setImage(ByteBuffer.wrap(
                TestImages.jpeg(8, 8, 1))).build()));
        assertEquals(DeadLetterReason.INVALID_RECORD, rejected(sighting("s").setObserverId("").setImage(
                ByteBuffer.wrap(TestImages.jpeg(8, 8, 1))).build()));
    }

    @Test
    void rejectionsSayWhichStageRefused() {
        Admission.Rejected r = (Admission.Rejected) intake.admit(inline(TestImages.pngBomb(100_000)));
        assertEquals("decode", r.stage());
        assertTrue(r.message().contains("100000"), r.message());
        Admission.Rejected f = (Admission.Rejected) intake.admit(sighting("s").setImageUri("file:/etc/passwd").build());
        assertEquals("fetch", f.stage());
    }
}
