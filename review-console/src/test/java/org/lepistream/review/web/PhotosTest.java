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
        assertTrue(Photos.check(ByteBuffer.wrap("<html>".getBytes()), "photo").problem().contains("not a JPEG"));
        byte[] jpeg = Fixtures.photo(2);
        Photos.Picture cut = Photos.check(ByteBuffer.wrap(Arrays.copyOf(jpeg, 40)), "photo");
        assertFalse(cut.ok(), "a JPEG cut after its header");
        String svg = Photos.placeholderSvg("the photo is <corrupt>");
        assertTrue(svg.contains("Photo unavailable") && svg.contains("&lt;corrupt&gt;"), svg);
    }
}
