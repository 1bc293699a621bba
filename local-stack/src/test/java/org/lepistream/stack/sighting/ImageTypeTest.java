package org.lepistream.stack.sighting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ImageTypeTest {

    @Test
    void recognisesEachSignature() {
        assertEquals(Optional.of(ImageType.JPEG), ImageType.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10)));
        assertEquals(Optional.of(ImageType.PNG), ImageType.sniff(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0)));
        assertEquals(Optional.of(ImageType.GIF), ImageType.sniff("GIF89a...".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.of(ImageType.WEBP), ImageType.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.of(ImageType.BMP), ImageType.sniff("BM\0\0\0\0".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.of(ImageType.TIFF), ImageType.sniff(bytes('I', 'I', 0x2A, 0, 8, 0)));
        assertEquals(Optional.of(ImageType.TIFF), ImageType.sniff(bytes('M', 'M', 0, 0x2A, 0, 8)));
        assertEquals(Optional.of(ImageType.HEIC), ImageType.sniff("\0\0\0\u0018ftypheic\0\0\0\0".getBytes(
                StandardCharsets.ISO_8859_1)));
    }

    @Test
    void rejectsTextTruncatedAndLookalikes() {
        assertTrue(ImageType.sniff("hello, butterflies".getBytes(StandardCharsets.US_ASCII)).isEmpty());
        assertTrue(ImageType.sniff(new byte[0]).isEmpty());
        assertTrue(ImageType.sniff(bytes(0xFF, 0xD8)).isEmpty(), "two bytes are not a JPEG header");
        assertTrue(ImageType.sniff(bytes(0x89, 'P', 'N', 'G')).isEmpty(), "truncated PNG signature");
        assertTrue(ImageType.sniff("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).isEmpty(), "a WAV file");
        assertTrue(ImageType.sniff("\0\0\0\u0018ftypmp42\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1)).isEmpty(),
                "an MP4 video");
    }

    @Test
    void realLeedsPhotoAndMaskAreJpegAndPng() throws IOException {
        Path leeds = Paths.get(System.getProperty("leeds.dir", "../../shared/data/leeds-butterflies"));
        Assumptions.assumeTrue(Files.isDirectory(leeds), "Leeds dataset not present");
        assertEquals(Optional.of(ImageType.JPEG), ImageType.sniff(head(leeds.resolve("images/0010001.jpg"))));
        assertEquals(Optional.of(ImageType.PNG), ImageType.sniff(head(leeds.resolve("masks/0010001.png"))));
        assertEquals("image/jpeg", ImageType.JPEG.contentType());
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(ImageType.SNIFF_LENGTH);
        }
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
