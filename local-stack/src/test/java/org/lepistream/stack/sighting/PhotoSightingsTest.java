package org.lepistream.stack.sighting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.Sighting;

class PhotoSightingsTest {

    @TempDir
    Path dir;

    @Test
    void buildsASightingFromAPhoto() throws IOException {
        byte[] png = ImageTypeTest.bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 7, 7);
        Path file = Files.write(dir.resolve("0010001.png"), png);
        Instant modified = Instant.parse("2024-06-01T10:15:30.123456Z");
        Files.setLastModifiedTime(file, FileTime.from(modified));

        Sighting sighting = new PhotoSightings("ann", "garden-app").of(PhotoFolder.read(file));

        assertEquals(UUID.fromString(sighting.getSightingId()).toString(), sighting.getSightingId());
        assertEquals("ann", sighting.getObserverId());
        assertEquals("garden-app", sighting.getSource());
        assertEquals("image/png", sighting.getContentType());
        assertEquals(Instant.parse("2024-06-01T10:15:30.123Z"), sighting.getObservedAt());
        assertEquals("0010001.png", sighting.getMetadata().get(PhotoSightings.FILE_NAME));
        assertNull(sighting.getLocation());
        ByteBuffer image = sighting.getImage();
        byte[] copy = new byte[image.remaining()];
        image.duplicate().get(copy);
        assertArrayEquals(png, copy);
    }

    @Test
    void idsAreStablePerObserverAndFileName() {
        PhotoSightings ann = new PhotoSightings("ann", "cli");
        assertEquals(ann.sightingId("a.jpg"), new PhotoSightings("ann", "other-source").sightingId("a.jpg"));
        assertNotEquals(ann.sightingId("a.jpg"), ann.sightingId("b.jpg"));
        assertNotEquals(ann.sightingId("a.jpg"), new PhotoSightings("bob", "cli").sightingId("a.jpg"));
    }

    @Test
    void refusesSkippedEntriesAndBlankNames() throws IOException {
        Path text = Files.writeString(dir.resolve("x.txt"), "text");
        PhotoSightings sightings = new PhotoSightings("ann", "cli");
        assertThrows(IllegalArgumentException.class, () -> sightings.of(PhotoFolder.read(text)));
        assertThrows(IllegalArgumentException.class, () -> new PhotoSightings(" ", "cli"));
        assertThrows(IllegalArgumentException.class, () -> new PhotoSightings("ann", ""));
    }
}
