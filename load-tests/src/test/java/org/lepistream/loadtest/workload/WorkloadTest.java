package org.lepistream.loadtest.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.Sighting;

class WorkloadTest {

    @Test
    void cyclesThePoolWithRunUniqueIds() {
        Workload w = new Workload("two", List.of(new Workload.Photo("a", new byte[] {1, 2}, "image/jpeg"),
                new Workload.Photo("b", new byte[] {3, 4}, "image/png")), 0);
        Sighting s0 = w.sighting("run1", 0);
        Sighting s2 = w.sighting("run1", 2);
        assertEquals("run1-0", s0.getSightingId());
        assertEquals("run1-2", s2.getSightingId());
        assertArrayEquals(new byte[] {1, 2}, bytes(s2.getImage()));
        assertEquals("image/png", w.sighting("run1", 1).getContentType());
        assertEquals("b", w.sighting("run1", 3).getMetadata().get("fileName"));
    }

    @Test
    void everyNthPhotoIsTruncated() {
        byte[] photo = new byte[100];
        Workload w = new Workload("one", List.of(new Workload.Photo("a", photo, "image/jpeg")), 3);
        assertFalse(w.isBad(0));
        assertFalse(w.isBad(1));
        assertTrue(w.isBad(2));
        assertTrue(w.isBad(5));
        assertEquals(50, bytes(w.sighting("r", 2).getImage()).length);
        assertEquals(100, bytes(w.sighting("r", 3).getImage()).length);
    }

    @Test
    void emptyPoolsAndNegativeBadEveryAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Workload("none", List.of(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Workload("x", List.of(new Workload.Photo("a", new byte[1], "image/jpeg")), -1));
    }

    @Test
    void syntheticPhotosAreDecodableJpegsOfTheAskedSize() throws Exception {
        Workload w = Workloads.synthetic(3, 96, 1, 0);
        assertEquals(3, w.poolSize());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes(w.sighting("r", 1).getImage())));
        assertNotNull(img);
        assertEquals(96, img.getWidth());
    }

    @Test
    void folderWorkloadSkipsNonImages(@TempDir Path dir) throws Exception {
        Workload synthetic = Workloads.synthetic(2, 64, 2, 0);
        Files.write(dir.resolve("a.jpg"), bytes(synthetic.sighting("r", 0).getImage()));
        Files.write(dir.resolve("b.jpg"), bytes(synthetic.sighting("r", 1).getImage()));
        Files.writeString(dir.resolve("notes.txt"), "not a photo");
        Workload w = Workloads.folder(dir, 0, 0);
        assertEquals(2, w.poolSize());
        assertTrue(w.description().contains("1 non-images skipped"), w.description());
    }

    @Test
    void leedsPhotosLoadWhenPresent() throws Exception {
        Path leeds = Path.of(System.getProperty("leeds.dir", "../shared/data/leeds-butterflies"), "images");
        Assumptions.assumeTrue(Files.isDirectory(leeds), "Leeds photos absent: " + leeds);
        Workload w = Workloads.folder(leeds, 20, 0);
        assertEquals(20, w.poolSize());
        assertEquals("image/jpeg", w.sighting("r", 0).getContentType());
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
