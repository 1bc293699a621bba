package org.lepistream.review.simulated;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lepistream.decision.taxonomy.Csv;

/**
 * The answers a simulated reviewer gives: a CSV of {@code sighting_id,rank,taxon} that whoever produces the sightings
 * appends to as it sends them (the demo does). Read incrementally, so a file that grows while the console runs is
 * followed; an answer is forgotten once used.
 */
final class TruthFile {

    /** The correct taxon of one sighting, at the finest rank known. */
    record Answer(String rank, String taxon) {
    }

    private final Path file;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private long position;
    private boolean headerSeen;

    TruthFile(Path file) {
        this.file = file;
    }

    /** Reads the complete lines added since the last call; a half-written last line waits for the next. */
    synchronized void refresh() throws IOException {
        if (!Files.isRegularFile(file)) {
            return; // not written yet: the producer creates it with its first sighting
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (in.length() < position) {
                position = 0; // rewritten from the start
                headerSeen = false;
            }
            in.seek(position);
            byte[] fresh = new byte[(int) Math.min(in.length() - position, 8 << 20)];
            in.readFully(fresh);
            int end = lastNewline(fresh);
            if (end < 0) {
                return;
            }
            position += end + 1;
            String text = new String(fresh, 0, end + 1, StandardCharsets.UTF_8);
            for (Csv.Row row : Csv.read(new StringReader(text))) {
                var f = row.fields();
                if (!headerSeen && !f.isEmpty() && f.get(0).trim().equals("sighting_id")) {
                    headerSeen = true;
                    continue;
                }
                if (f.size() >= 3 && !f.get(0).isBlank() && !f.get(2).isBlank()) {
                    answers.put(f.get(0).trim(), new Answer(f.get(1).trim(), f.get(2).trim()));
                }
            }
        }
    }

    Optional<Answer> answer(String sightingId) {
        return Optional.ofNullable(answers.get(sightingId));
    }

    void forget(String sightingId) {
        answers.remove(sightingId);
    }

    int size() {
        return answers.size();
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
