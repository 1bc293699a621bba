package org.lepistream.review.web;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decides whether a review request's picture can be shown: the bytes must decode as an image of sane size. A
 * picture that cannot is replaced by a placeholder saying why, and the sighting stays labellable. Formats every
 * browser shows (JPEG, PNG, GIF, WebP, BMP) are served as they came; others the service accepts (TIFF) are served as
 * PNG.
 */
final class Photos {

    /** A picture to serve, or the reason there is none. */
    record Picture(byte[] bytes, String mimeType, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private static final long MAX_PIXELS = 40_000_000L;
    /** ImageIO format names of what browsers render natively, with their MIME type. */
    private static final Map<String, String> BROWSER_FORMATS = Map.of("jpeg", "image/jpeg", "jpg", "image/jpeg",
            "png", "image/png", "gif", "image/gif", "webp", "image/webp", "bmp", "image/bmp");

    private Photos() {
    }

    static Picture check(ByteBuffer buffer, String what) {
        if (buffer == null) {
            return new Picture(null, null, "no " + what + " in the review request");
        }
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        if (bytes.length == 0) {
            return new Picture(null, null, "the " + what + " is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return new Picture(null, null, "the " + what + " is not an image (corrupt or unknown format)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    return new Picture(null, null, "the " + what + " is too large to show (" + pixels + " pixels)");
                }
                // Decoding it all finds truncated and damaged files that have a valid header.
                BufferedImage image = reader.read(0);
                if (image == null) {
                    return new Picture(null, null, "the " + what + " could not be decoded");
                }
                String mime = BROWSER_FORMATS.get(reader.getFormatName().toLowerCase(Locale.ROOT));
                return mime != null ? new Picture(bytes, mime, null) : new Picture(png(image), "image/png", null);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return new Picture(null, null, "the " + what + " is corrupt (" + e.getMessage() + ")");
        }
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A grey SVG panel with the reason, served in place of the photo. */
    static String placeholderSvg(String problem) {
        return "<svg xmlns='http://www.w3.org/2000/svg' width='480' height='360' viewBox='0 0 480 360'>"
                + "<rect width='480' height='360' fill='#eceae4'/>"
                + "<path d='M200 150 q40 -60 80 0 q-40 60 -80 0z' fill='none' stroke='#999' stroke-width='4'/>"
                + "<line x1='150' y1='90' x2='330' y2='270' stroke='#b33' stroke-width='6'/>"
                + "<text x='240' y='310' font-family='sans-serif' font-size='18' text-anchor='middle' fill='#333'>"
                + "Photo unavailable</text>"
                + "<text x='240' y='335' font-family='sans-serif' font-size='12' text-anchor='middle' fill='#555'>"
                + Html.esc(problem.length() > 70 ? problem.substring(0, 70) + "…" : problem) + "</text></svg>";
    }
}
