package org.lepistream.vision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The JPEG and PNG files of a folder, by name: how commands take "a folder of photos". */
public final class PhotoFiles {

    private PhotoFiles() {
    }

    /** Every {@code .jpg}, {@code .jpeg} or {@code .png} directly in {@code dir}, sorted; empty when there is none. */
    public static List<Path> in(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)$"))
                    .sorted().toList();
        }
    }
}
