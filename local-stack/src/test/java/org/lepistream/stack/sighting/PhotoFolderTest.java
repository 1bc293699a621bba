package org.lepistream.stack.sighting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoFolderTest {

    @TempDir
    Path dir;

    @Test
    void listsOnlyTheFoldersOwnEntriesInNameOrder() throws IOException {
        Files.write(dir.resolve("b.jpg"), ImageTypeTest.bytes(0xFF, 0xD8, 0xFF, 0xE0));
        Files.write(dir.resolve("a.png"), ImageTypeTest.bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A));
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/c.jpg"), ImageTypeTest.bytes(0xFF, 0xD8, 0xFF, 0xE0));

        List<Path> entries = PhotoFolder.of(dir).entries();

        assertEquals(List.of(dir.resolve("a.png"), dir.resolve("b.jpg"), dir.resolve("sub")), entries);
    }

    @Test
    void readsAPhotoWithItsBytesAndSniffedType() throws IOException {
        byte[] jpeg = ImageTypeTest.bytes(0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5);
        // The extension lies: content decides.
        Path file = Files.write(dir.resolve("photo.png"), jpeg);

        PhotoFolder.Entry entry = PhotoFolder.read(file);

        assertTrue(entry.isPhoto());
        assertEquals(ImageType.JPEG, entry.type());
        assertArrayEquals(jpeg, entry.bytes());
    }

    @Test
    void skipsNonImagesWithAReason() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not a photo", StandardCharsets.UTF_8);
        Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        Path sub = Files.createDirectories(dir.resolve("sub"));

        assertSkipped(PhotoFolder.read(text), "not an image");
        assertSkipped(PhotoFolder.read(empty), "empty");
        assertSkipped(PhotoFolder.read(sub), "folder");
    }

    @Test
    void skipsPhotosOverTheSizeLimit() throws IOException {
        Path big = dir.resolve("huge.jpg");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.write(ImageTypeTest.bytes(0xFF, 0xD8, 0xFF, 0xE0));
            file.setLength(PhotoFolder.MAX_PHOTO_BYTES + 1);
        }
        assertSkipped(PhotoFolder.read(big), "limit");
    }

    @Test
    void refusesSomethingThatIsNotAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("x.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhotoFolder.of(file));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PhotoFolder.of(dir.resolve("missing")));
    }

    private static void assertSkipped(PhotoFolder.Entry entry, String reasonPart) {
        assertFalse(entry.isPhoto());
        assertTrue(entry.skipReason().contains(reasonPart), entry.skipReason());
    }
}
