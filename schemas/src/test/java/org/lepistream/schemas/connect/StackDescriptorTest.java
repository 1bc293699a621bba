package org.lepistream.schemas.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackDescriptorTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackWithAttributes() throws IOException {
        Path file = dir.resolve("nested/home/stack.properties");
        StackDescriptor written = new StackDescriptor("127.0.0.1:9092", "http://127.0.0.1:8081/apis/ccompat/v7",
                Map.of("pid", "4242", "data.dir", "/tmp/stack"));
        written.write(file);
        assertEquals(written, StackDescriptor.read(file));
        assertTrue(Files.readString(file).contains("bootstrap.servers=127.0.0.1\\:9092"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void defaultLocationHonoursLepistreamHome() {
        assertEquals(Path.of("/opt/lepi/stack.properties"),
                StackDescriptor.defaultLocation(Map.of("LEPISTREAM_HOME", "/opt/lepi"), "/home/ann"));
        assertEquals(Path.of("/home/ann/.lepistream/stack.properties"),
                StackDescriptor.defaultLocation(Map.of(), "/home/ann"));
        assertEquals(Path.of("/home/ann/.lepistream/stack.properties"),
                StackDescriptor.defaultLocation(Map.of("LEPISTREAM_HOME", " "), "/home/ann"));
    }

    @Test
    void absentFileIsEmptyAndIncompleteFileIsAnError() throws IOException {
        assertEquals(Optional.empty(), StackDescriptor.readIfPresent(dir.resolve("absent")));
        Path partial = Files.writeString(dir.resolve("stack.properties"), "bootstrap.servers=a:1\n");
        IOException e = assertThrows(IOException.class, () -> StackDescriptor.read(partial));
        assertTrue(e.getMessage().contains("lacks schema.registry.url"), e.getMessage());
    }
}
