package org.lepistream.review.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lepistream.review.Fixtures;

class PhotosTest {

    @Test
    void aRealJpegIsServedAsIs() {
        byte[] jpeg = Fixtures.photo(1);
        Photos.Picture p = Photos.check(ByteBuffer.wrap(jpeg), "photo");
        assertTrue(p.ok(), p.problem());
        assertEquals("image/jpeg", p.mimeType());
        assertEquals(jpeg.length, p.bytes().length);
    }

    @Test
    void missingGarbageAndTruncatedPhotosGetAReason() {
        assertTrue(Photos.check(null, "photo").problem().contains("no photo"));
        assertTrue(Photos.check(ByteBuffer.wrap("<html>".getBytes()), "photo").problem().contains("not an image"));
        byte[] jpeg = Fixtures.photo(2);
        Photos.Picture cut = Photos.check(ByteBuffer.wrap(Arrays.copyOf(jpeg, 40)), "photo");
        assertFalse(cut.ok(), "a JPEG cut after its header");
        String svg = Photos.placeholderSvg("the photo is <corrupt>");
        assertTrue(svg.contains("Photo unavailable") && svg.contains("&lt;corrupt&gt;"), svg);
    }

    @Test
    void formatsBrowsersShowAreServedAsTheyCameAndTiffAsPng() throws java.io.IOException {
        byte[] webp;
        try (var in = PhotosTest.class.getResourceAsStream("/photos/lossless.webp")) {
            webp = in.readAllBytes();
        }
        Photos.Picture w = Photos.check(ByteBuffer.wrap(webp), "photo");
        assertTrue(w.ok(), w.problem());
        assertEquals("image/webp", w.mimeType());
        assertEquals(webp.length, w.bytes().length);

        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(40, 30,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(5, 7, 0x3366cc);
        var tiff = new java.io.ByteArrayOutputStream();
        assertTrue(javax.imageio.ImageIO.write(image, "tiff", tiff));
        Photos.Picture t = Photos.check(ByteBuffer.wrap(tiff.toByteArray()), "photo");
        assertTrue(t.ok(), t.problem());
        assertEquals("image/png", t.mimeType(), "browsers other than Safari do not show TIFF");
        var back = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(t.bytes()));
        assertEquals(40, back.getWidth());
        assertEquals(0x3366cc, back.getRGB(5, 7) & 0xffffff);
    }
}
