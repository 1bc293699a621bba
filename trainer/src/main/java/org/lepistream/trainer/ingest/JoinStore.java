package org.lepistream.trainer.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.lepistream.schemas.Identification;
import org.lepistream.trainer.store.DatasetStore;

/**
 * What the trainer has seen of each sighting before its label arrives: the photo (from {@code sightings} or the
 * review request) and the service's identification (from {@code identifications} or the review request), one file
 * each per sighting under {@code join/}. A durable local table rather than a Kafka Streams join: labels can come
 * weeks after the sighting, and the dataset store must be written (fsynced) before the label's offset is committed,
 * which a plain consumer with manual commits expresses directly.
 */
public final class JoinStore {

    /** A photo and its MIME type ("" when unknown). */
    public record Photo(byte[] bytes, String contentType) {
    }

    private final Path dir;

    public JoinStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    public void putPhoto(String sightingId, byte[] bytes, String contentType) {
        String key = DatasetStore.keyOf(sightingId);
        write(key + ".type", (contentType == null ? "" : contentType).getBytes(StandardCharsets.UTF_8));
        write(key + ".photo", bytes);
    }

    /** The photo's URI, for a sighting whose photo did not travel inline (fetched when its label arrives). */
    public void putPhotoUri(String sightingId, String uri) {
        write(DatasetStore.keyOf(sightingId) + ".uri", uri.getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> photoUri(String sightingId) {
        byte[] bytes = read(DatasetStore.keyOf(sightingId) + ".uri");
        return bytes == null ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    public void putIdentification(String sightingId, Identification identification) {
        try {
            ByteBuffer buf = identification.toByteBuffer();
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            write(DatasetStore.keyOf(sightingId) + ".identification", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the identification of " + sightingId, e);
        }
    }

    public Optional<Photo> photo(String sightingId) {
        String key = DatasetStore.keyOf(sightingId);
        byte[] bytes = read(key + ".photo");
        if (bytes == null) {
            return Optional.empty();
        }
        byte[] type = read(key + ".type");
        return Optional.of(new Photo(bytes, type == null ? "" : new String(type, StandardCharsets.UTF_8)));
    }

    public Optional<Identification> identification(String sightingId) {
        byte[] bytes = read(DatasetStore.keyOf(sightingId) + ".identification");
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Identification.fromByteBuffer(ByteBuffer.wrap(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt identification file for " + sightingId, e);
        }
    }

    private void write(String name, byte[] bytes) {
        try {
            // Durable before the record's offset is committed, like the examples themselves.
            DatasetStore.writeAtomically(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    private byte[] read(String name) {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(name), e);
        }
    }
}
