package org.lepistream.review.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.lepistream.review.Fixtures;
import org.lepistream.schemas.Heatmap;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;

class HeatmapsTest {

    @Test
    void theAttentionGridIsDrawnRedWhereTheClassifierLookedAndSeeThroughEverywhere() throws Exception {
        Photos.Picture p = Heatmaps.attention(Fixtures.disc(8, 0.3));
        assertTrue(p.ok(), p.problem());
        assertEquals("image/png", p.mimeType());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.bytes()));
        assertEquals(256, img.getWidth());
        assertEquals(256, img.getHeight());
        int centre = img.getRGB(128, 128);
        int corner = img.getRGB(2, 2);
        // The ramp ends in dark red (the jet colour map): red, no green, no blue.
        assertTrue(((centre >> 16) & 0xFF) > 100, "red where the attention is highest");
        assertEquals(0, (centre >> 8) & 0xFF);
        assertEquals(0, centre & 0xFF, "no blue there");
        assertEquals(0, (corner >> 16) & 0xFF, "no red where it is lowest");
        assertTrue((corner & 0xFF) > 100, "blue there");
        int alpha = centre >>> 24;
        assertTrue(alpha > 0 && alpha < 255, "the photo shows through: alpha " + alpha);
    }

    @Test
    void theMaskGridIsAGreyPictureAtItsOwnResolution() throws Exception {
        Photos.Picture p = Heatmaps.mask(Fixtures.disc(16, 0.35));
        assertTrue(p.ok(), p.problem());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.bytes()));
        assertEquals(16, img.getWidth());
        assertEquals(255, img.getRaster().getSample(8, 8, 0), "white on the butterfly");
        assertEquals(0, img.getRaster().getSample(0, 0, 0), "black off it");
    }

    @Test
    void requestsFromEarlierServicesKeepTheirOwnPictures() {
        ReviewRequest grids = Fixtures.request("s-1", "Vanessa cardui", ReviewReason.LOW_OVERLAP, 0.2, "m1",
                Instant.now(), Fixtures.photo(1));
        ReviewRequest pictures = Fixtures.withPictures(grids);
        byte[] overlay = new byte[pictures.getAttentionOverlayPng().remaining()];
        pictures.getAttentionOverlayPng().duplicate().get(overlay);
        assertArrayEquals(overlay, ConsoleWeb.pictureOf(pictures, "attention").bytes(), "served as it came");
        assertTrue(ConsoleWeb.pictureOf(pictures, "mask").ok());
        assertEquals(Heatmaps.attention(grids.getAttention()).bytes().length,
                ConsoleWeb.pictureOf(grids, "attention").bytes().length, "drawn from the grid");
        assertTrue(ConsoleWeb.pictureOf(grids, "mask").ok());
        assertTrue(ConsoleWeb.pictureOf(grids, "photo").ok());
    }

    @Test
    void aGridThatDoesNotAddUpIsAPlaceholderWithTheReasonNotAnError() {
        Heatmap short_ = Heatmap.newBuilder().setHeight(4).setWidth(4).setValues(ByteBuffer.wrap(new byte[15])).build();
        assertTrue(Heatmaps.attention(short_).problem().contains("15 values for 4x4 cells"));
        Heatmap negative = Heatmap.newBuilder().setHeight(-1).setWidth(4).setValues(ByteBuffer.wrap(new byte[0])).build();
        assertTrue(Heatmaps.mask(negative).problem().contains("impossible size"));
        assertEquals("no mask in the review request", Heatmaps.mask(null).problem());
        assertNull(Heatmaps.mask(null).bytes());
    }
}
