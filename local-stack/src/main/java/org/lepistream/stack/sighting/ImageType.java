package org.lepistream.stack.sighting;

import java.util.Arrays;
import java.util.Optional;

/** Photo formats recognised from their first bytes (file names and extensions are not trusted). */
public enum ImageType {
    JPEG("image/jpeg", bytes(0xFF, 0xD8, 0xFF)),
    PNG("image/png", bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)),
    GIF("image/gif", bytes('G', 'I', 'F', '8')),
    WEBP("image/webp", null),
    BMP("image/bmp", bytes('B', 'M')),
    TIFF("image/tiff", null),
    HEIC("image/heic", null);

    /** Enough leading bytes for every signature here. */
    public static final int SNIFF_LENGTH = 16;

    private final String contentType;
    private final byte[] prefix;

    ImageType(String contentType, byte[] prefix) {
        this.contentType = contentType;
        this.prefix = prefix;
    }

    /** The MIME type carried in {@code Sighting.contentType}. */
    public String contentType() {
        return contentType;
    }

    /** The format whose signature {@code head} starts with, if any. */
    public static Optional<ImageType> sniff(byte[] head) {
        for (ImageType type : values()) {
            if (type.matches(head)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    private boolean matches(byte[] head) {
        switch (this) {
            case WEBP:
                return startsWith(head, 0, bytes('R', 'I', 'F', 'F')) && startsWith(head, 8, bytes('W', 'E', 'B', 'P'));
            case TIFF:
                return startsWith(head, 0, bytes('I', 'I', 0x2A, 0x00)) || startsWith(head, 0, bytes('M', 'M', 0x00, 0x2A));
            case HEIC:
                // ISO base media file: "ftyp" box at offset 4, then a HEIF brand.
                return startsWith(head, 4, bytes('f', 't', 'y', 'p'))
                        && (startsWith(head, 8, bytes('h', 'e', 'i', 'c')) || startsWith(head, 8, bytes('h', 'e', 'i', 'x'))
                        || startsWith(head, 8, bytes('m', 'i', 'f', '1')) || startsWith(head, 8, bytes('h', 'e', 'i', 'f')));
            default:
                return startsWith(head, 0, prefix);
        }
    }

    private static boolean startsWith(byte[] data, int offset, byte[] expected) {
        return data.length >= offset + expected.length
                && Arrays.equals(data, offset, offset + expected.length, expected, 0, expected.length);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
