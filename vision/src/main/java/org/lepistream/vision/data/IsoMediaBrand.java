package org.lepistream.vision.data;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What an ISO base media file ({@code ftyp} box: HEIF/HEIC, AVIF, MP4, QuickTime) holds, judged by its brands, so
 * that a refusal can tell the uploader what to do. No decoder for HEVC or AV1 stills runs on the JVM here.
 */
enum IsoMediaBrand {
    HEIF("HEIC/HEIF photos (the iPhone's default) cannot be read: send the photo as JPEG instead (on an iPhone, "
            + "Settings > Camera > Formats > Most Compatible takes JPEGs; sharing or exporting a photo as JPEG also works)"),
    AVIF("AVIF photos cannot be read: export the photo as JPEG or PNG and send it again"),
    VIDEO("this is a video (MP4/QuickTime), not a photo: send a still frame as JPEG or PNG");

    private static final Set<String> HEIF_BRANDS = Set.of(
            "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "mif2", "msf1");
    private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");

    private final String advice;

    IsoMediaBrand(String advice) {
        this.advice = advice;
    }

    /** The message for the uploader. */
    String advice() {
        return advice;
    }

    /**
     * Reads the major and compatible brands of the leading {@code ftyp} box. AVIF files often carry the generic HEIF
     * brand {@code mif1} too, so an AVIF brand anywhere wins.
     */
    static IsoMediaBrand of(byte[] b) {
        long boxSize = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        int end = (int) Math.min(Math.max(boxSize, 12), Math.min(b.length, 256));
        boolean heif = false;
        // Major brand at 8, minor version at 12, compatible brands from 16: each four ASCII bytes.
        for (int at = 8; at + 4 <= end; at += at == 8 ? 8 : 4) {
            String brand = new String(b, at, 4, StandardCharsets.ISO_8859_1);
            if (AVIF_BRANDS.contains(brand)) {
                return AVIF;
            }
            heif |= HEIF_BRANDS.contains(brand);
        }
        return heif ? HEIF : VIDEO;
    }
}
