package org.lepistream.vision.data;

import java.awt.image.BufferedImage;

/**
 * The EXIF orientation tag of a JPEG (1–8) and how to apply it. Phones store photos sideways and set this
 * tag; ImageIO ignores it, so without it a portrait butterfly reaches the classifier rotated by 90°.
 * Malformed EXIF is ignored (orientation 1) rather than rejecting an otherwise good photo.
 */
enum ExifOrientation {
    NORMAL, FLIP_HORIZONTAL, ROTATE_180, FLIP_VERTICAL, TRANSPOSE, ROTATE_90_CW, TRANSVERSE, ROTATE_90_CCW;

    private static final int TAG_ORIENTATION = 0x0112;

    /** EXIF value 1..8 → orientation; anything else is NORMAL. */
    static ExifOrientation of(int exifValue) {
        return exifValue >= 1 && exifValue <= 8 ? values()[exifValue - 1] : NORMAL;
    }

    boolean swapsAxes() {
        return ordinal() >= TRANSPOSE.ordinal();
    }

    /** Finds the orientation tag in a JPEG's APP1 Exif segment (before the first scan). */
    static ExifOrientation read(byte[] jpeg) {
        try {
            int pos = 2;
            while (pos + 4 <= jpeg.length) {
                if ((jpeg[pos] & 0xFF) != 0xFF) {
                    return NORMAL;
                }
                int marker = jpeg[pos + 1] & 0xFF;
                if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0xFF) {
                    pos += marker == 0xFF ? 1 : 2; // stand-alone markers and fill bytes carry no length
                    continue;
                }
                if (marker == 0xDA || marker == 0xD9) {
                    return NORMAL;
                }
                int length = u16(jpeg, pos + 2, false);
                int data = pos + 4;
                if (marker == 0xE1 && length >= 8 && data + 6 <= jpeg.length && jpeg[data] == 'E'
                        && jpeg[data + 1] == 'x' && jpeg[data + 2] == 'i' && jpeg[data + 3] == 'f'
                        && jpeg[data + 4] == 0 && jpeg[data + 5] == 0) {
                    return fromTiff(jpeg, data + 6, Math.min(jpeg.length, pos + 2 + length));
                }
                pos += 2 + length;
            }
        } catch (IndexOutOfBoundsException e) {
            return NORMAL;
        }
        return NORMAL;
    }

    private static ExifOrientation fromTiff(byte[] b, int tiff, int end) {
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        long ifd = u32(b, tiff + 4, little);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return NORMAL;
        }
        int entries = tiff + (int) ifd;
        int count = u16(b, entries, little);
        for (int i = 0; i < count; i++) {
            int entry = entries + 2 + 12 * i;
            if (entry + 12 > end) {
                return NORMAL;
            }
            if (u16(b, entry, little) == TAG_ORIENTATION) {
                return of(u16(b, entry + 8, little));
            }
        }
        return NORMAL;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int x = b[at] & 0xFF;
        int y = b[at + 1] & 0xFF;
        return little ? x | y << 8 : x << 8 | y;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return hi << 16 | lo;
    }

    /** Returns the upright image (a new one unless NORMAL). */
    static BufferedImage apply(BufferedImage src, ExifOrientation o) {
        if (o == NORMAL) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        int[] in = src.getRGB(0, 0, w, h, null, 0, w);
        int dw = o.swapsAxes() ? h : w;
        int dh = o.swapsAxes() ? w : h;
        int[] out = new int[in.length];
        for (int sy = 0; sy < h; sy++) {
            for (int sx = 0; sx < w; sx++) {
                int dx;
                int dy;
                switch (o) {
                    case FLIP_HORIZONTAL -> { dx = w - 1 - sx; dy = sy; }
                    case ROTATE_180 -> { dx = w - 1 - sx; dy = h - 1 - sy; }
                    case FLIP_VERTICAL -> { dx = sx; dy = h - 1 - sy; }
                    case TRANSPOSE -> { dx = sy; dy = sx; }
                    case ROTATE_90_CW -> { dx = h - 1 - sy; dy = sx; }
                    case TRANSVERSE -> { dx = h - 1 - sy; dy = w - 1 - sx; }
                    default -> { dx = sy; dy = w - 1 - sx; } // ROTATE_90_CCW
                }
                out[dy * dw + dx] = in[sy * w + sx];
            }
        }
        BufferedImage dst = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        dst.setRGB(0, 0, dw, dh, out, 0, dw);
        return dst;
    }
}
