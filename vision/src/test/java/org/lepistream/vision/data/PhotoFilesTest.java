package org.lepistream.vision.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoFilesTest {

    @Test
    void jpegAndPngFilesByNameInOrderAndNothingElse(@TempDir Path dir) throws Exception {
        for (String name : List.of("d.jpeg", "b.png", "a.JPG", "c.txt", "e.png.bak")) {
            Files.writeString(dir.resolve(name), "x");
        }
        assertEquals(List.of(dir.resolve("a.JPG"), dir.resolve("b.png"), dir.resolve("d.jpeg")), PhotoFiles.in(dir));
        assertEquals(List.of(), PhotoFiles.in(Files.createDirectories(dir.resolve("empty"))));
    }
}
