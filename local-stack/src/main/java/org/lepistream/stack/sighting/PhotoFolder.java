package org.lepistream.stack.sighting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The photos of one folder, in file-name order: only the folder's own regular files (no recursion, so a folder of
 * masks or thumbnails beside the photos is not sent by accident); anything else is reported, never silently dropped.
 */
public final class PhotoFolder {

    /** Photos above this are refused: the broker and producer are configured for records up to 16 MiB. */
    public static final long MAX_PHOTO_BYTES = 15L * 1024 * 1024;

    private final Path dir;

    private PhotoFolder(Path dir) {
        this.dir = dir;
    }

    /** The folder at {@code dir}; fails clearly when it is not a readable folder. */
    public static PhotoFolder of(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder");
        }
        if (!Files.isReadable(dir)) {
            throw new IllegalArgumentException(dir + " is not readable");
        }
        return new PhotoFolder(dir);
    }

    /** Every entry of the folder, sorted by name. */
    public List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** One folder entry read as a photo, or the reason it is not one. */
    public static Entry read(Path file) {
        if (Files.isDirectory(file)) {
            return Entry.skipped(file, "is a folder (produce does not recurse)");
        }
        if (!Files.isRegularFile(file)) {
            return Entry.skipped(file, "is not a regular file");
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                return Entry.skipped(file, "is empty");
            }
            if (size > MAX_PHOTO_BYTES) {
                return Entry.skipped(file, "is " + size + " bytes, over the " + MAX_PHOTO_BYTES + "-byte limit");
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(ImageType.SNIFF_LENGTH);
            }
            Optional<ImageType> type = ImageType.sniff(head);
            if (type.isEmpty()) {
                return Entry.skipped(file, "is not an image (unrecognised content; JPEG, PNG, GIF, WebP, BMP, TIFF, "
                        + "HEIC accepted)");
            }
            return new Entry(file, Files.readAllBytes(file), type.get(), null);
        } catch (IOException e) {
            return Entry.skipped(file, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * A folder entry: a photo ({@code bytes} and {@code type} set) or a skipped file ({@code skipReason} set).
     */
    public record Entry(Path file, byte[] bytes, ImageType type, String skipReason) {

        static Entry skipped(Path file, String reason) {
            return new Entry(file, null, null, reason);
        }

        /** Whether this entry is a photo to send. */
        public boolean isPhoto() {
            return skipReason == null;
        }
    }
}
