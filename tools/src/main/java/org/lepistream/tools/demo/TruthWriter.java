package org.lepistream.tools.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The answers file the console's simulated reviewer reads: one {@code sighting_id,rank,taxon} line per labelled
 * sighting, written (and flushed) before the sighting is sent, so the answer is there when the request is.
 */
final class TruthWriter implements AutoCloseable {

    private final BufferedWriter out;

    TruthWriter(Path file) throws IOException {
        boolean fresh = !Files.exists(file);
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (fresh) {
            out.write("sighting_id,rank,taxon\n");
        }
    }

    void answer(String sightingId, String rank, String taxon) {
        try {
            out.write(field(sightingId) + "," + field(rank) + "," + field(taxon) + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String field(String v) {
        return v.matches("[^,\"\\r\\n]*") ? v : "\"" + v.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
