package org.lepistream.review.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small JSON file in the console's state dir, rewritten whole after every change (to a temporary file, then moved
 * into place), so a restarted console finds what the last one knew. For human-paced state only: claims, opinions.
 *
 * @param what what the file holds, for messages ("the claims")
 */
public record JsonStateFile<T>(Path file, TypeReference<T> type, String what) {

    private static final Logger LOG = LoggerFactory.getLogger(JsonStateFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The value saved last; empty when the file does not exist yet. An unreadable file is an error, not "none". */
    public Optional<T> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " in " + file + " (move it away to start without"
                    + " them)", e);
        }
    }

    /** Replaces the saved value; a failure is logged (the state still holds in memory) and tried again next time. */
    public synchronized void save(T value) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.error("could not save {} to {}: they hold until a restart only", what, file, e);
        }
    }
}
