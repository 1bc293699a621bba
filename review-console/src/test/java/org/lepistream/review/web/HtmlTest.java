package org.lepistream.review.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {

    static final List<String> ODD_IDS = List.of("a b", "a+b", "50%", "a/b", "a#b", "a?b", "été-蝶", "x&y=z", "..a");

    @Test
    void anIdBecomesOnePathSegmentThatDecodesBackToItself() {
        for (String id : ODD_IDS) {
            String path = Html.sightingPath(id, "photo");
            URI uri = URI.create("http://console" + path);
            assertEquals(null, uri.getRawQuery(), path);
            assertEquals(null, uri.getRawFragment(), path);
            String[] segments = uri.getRawPath().split("/");
            assertEquals(List.of("", "sightings", Html.segment(id), "photo"), List.of(segments), path);
            assertEquals("/sightings/" + id + "/photo", uri.getPath(), "decodes back: " + path);
            assertTrue(path.chars().allMatch(c -> c > 0x20 && c < 0x7f), path);
        }
        assertEquals("a%20b", Html.segment("a b"), "a space is %20 in a path, never '+'");
        assertEquals("a%2Bb", Html.segment("a+b"));
    }
}
