package org.lepistream.streams.intake;

import org.lepistream.vision.data.ImageFetcher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Sighting;
import org.lepistream.streams.TestImages;
import org.lepistream.vision.data.ImageDecoder;

class SightingIntakeTest {

    private static final SightingLimits LIMITS = new SightingLimits(40, 30, 64, 100, 3, 200);
    private final ImageFetcher denyAll = new ImageFetcher(List.of(), 50_000, Duration.ofSeconds(1));
    private final SightingIntake intake = new SightingIntake(new ImageDecoder(10_000_000), denyAll,
            new FetchPool(denyAll, 2, 1, Duration.ofSeconds(1)), LIMITS, 50_000, 64);

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

    @Test
    void everyOverLongFieldHasItsOwnReasonAndIsNotQuoted() {
        byte[] photo = TestImages.jpeg(8, 8, 1);
        String longText = "x".repeat(1000);
        Map<Sighting, DeadLetterReason> cases = new LinkedHashMap<>();
        cases.put(sighting(longText).build(), DeadLetterReason.SIGHTING_ID_TOO_LONG);
        cases.put(sighting("s1").setObserverId(longText).build(), DeadLetterReason.OBSERVER_ID_TOO_LONG);
        cases.put(sighting("s2").setSource(longText).build(), DeadLetterReason.SOURCE_TOO_LONG);
        cases.put(sighting("s3").setContentType("image/jpeg" + longText).build(), DeadLetterReason.CONTENT_TYPE_TOO_LONG);
        cases.put(sighting("s4").setImageUri("https://example.org/" + longText).build(), DeadLetterReason.URI_TOO_LONG);
        cases.put(sighting("s5").setMetadata(Map.of("a", "1", "b", "2", "c", "3", "d", "4")).build(),
                DeadLetterReason.METADATA_TOO_LARGE);
        cases.put(sighting("s6").setMetadata(Map.of("notes", longText)).build(), DeadLetterReason.METADATA_TOO_LARGE);
        cases.forEach((s, reason) -> {
            if (s.getImageUri() == null) {
                s.setImage(ByteBuffer.wrap(photo));
            }
            Admission.Rejected r = assertInstanceOf(Admission.Rejected.class, intake.screen(s), reason.name());
            assertEquals(reason, r.reason());
            assertFalse(r.message().contains(longText), "the over-long value is not copied into the message");
        });
        // Exactly at the limits is fine.
        assertInstanceOf(Admission.Admitted.class, intake.screen(sighting("i".repeat(40)).setObserverId("o".repeat(40))
                .setMetadata(Map.of("a", "b".repeat(100))).setImage(ByteBuffer.wrap(photo)).build()));
    }

    @Test
    void aRecordLargerThanAnyValidSightingIsOversized() {
        Sighting s = inline(TestImages.jpeg(8, 8, 1));
        assertTrue(intake.tooLarge(s, 1000).isEmpty());
        long max = intake.maxSightingBytes();
        assertEquals(50_000 + LIMITS.fieldBudgetBytes(), max);
        assertEquals(DeadLetterReason.OVERSIZED_PAYLOAD, intake.tooLarge(s, (int) max + 1).orElseThrow().reason());
        // A field over its limit is named even when the whole record is too large as well.
        Sighting huge = sighting("s").setMetadata(Map.of("x", "y".repeat(100_000))).build();
        assertEquals(DeadLetterReason.METADATA_TOO_LARGE, intake.tooLarge(huge, 100_100).orElseThrow().reason());
    }

    @Test
    void theStoredContentTypeIsTheDetectedOneNotTheClaim() {
        Sighting s = sighting("s").setContentType("image/jpeg<script>alert(1)</script>")
                .setImage(ByteBuffer.wrap(TestImages.png(16, 16, 3))).build();
        Admission.Admitted a = assertInstanceOf(Admission.Admitted.class, intake.screen(s));
        assertEquals("image/png", a.sighting().getContentType());
        Sighting unclaimed = inline(TestImages.jpeg(16, 16, 4));
        assertEquals("image/jpeg", ((Admission.Admitted) intake.screen(unclaimed)).sighting().getContentType());
    }

    @Test
    void controlAndBidiCharactersInObserverTextAreEscaped() {
        String observer = "eve\u202Egpj.exe\u0007\u001b[31m<script>";
        Sighting s = sighting("s").setObserverId(observer).setSource("app\u2066x\u2069\n")
                .setImage(ByteBuffer.wrap(TestImages.jpeg(8, 8, 1))).build();
        Admission.Admitted a = assertInstanceOf(Admission.Admitted.class, intake.screen(s));
        String cleaned = a.sighting().getObserverId();
        assertEquals("eve\\u202egpj.exe\\u0007\\u001b[31m<script>", cleaned);
        assertFalse(FreeText.hasUnsafe(cleaned));
        assertEquals("app\\u2066x\\u2069\\u000a", a.sighting().getSource());
        // A sighting id is a join key: refused rather than rewritten.
        assertEquals(DeadLetterReason.INVALID_RECORD, rejected(sighting("s\u202E1").setImage(
                ByteBuffer.wrap(TestImages.jpeg(8, 8, 1))).build()));
    }

    @Test
    void aFetchedFileThatIsNoImageIsNeverQuoted() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] secret = "SECRET=hunter2\nAPI_KEY=abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        server.createContext("/photos/", ex -> {
            ex.sendResponseHeaders(200, secret.length);
            try (var out = ex.getResponseBody()) {
                out.write(secret);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            ImageFetcher fetcher = new ImageFetcher(List.of(base + "/photos"), 50_000, Duration.ofSeconds(5));
            SightingIntake withFetch = new SightingIntake(new ImageDecoder(10_000_000), fetcher,
                    new FetchPool(fetcher, 2, 1, Duration.ofSeconds(5)), LIMITS, 50_000, 64);
            Admission.Rejected r = assertInstanceOf(Admission.Rejected.class,
                    withFetch.admit(sighting("s").setImageUri(base + "/photos/config.jpg").build()));
            assertEquals(DeadLetterReason.UNSUPPORTED_FORMAT, r.reason());
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                hex.append(String.format("%02x", secret[i]));
            }
            assertFalse(r.message().contains("SECRET") || r.message().toLowerCase().contains(hex), r.message());
            assertTrue(r.message().contains(secret.length + " bytes"), r.message());
        } finally {
            server.stop(0);
        }
    }
}
