package org.lepistream.vision.evaluation;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;

/**
 * Builds the background-swap test: each butterfly, cut out by its hand mask, is pasted onto the background of a photo
 * of another species. A classifier that looks at the butterfly keeps its answer; one that learned "yellow flowers mean
 * Painted Lady" changes it.
 *
 * <p>The donor photo's own butterfly is removed by inpainting (onion-peel diffusion of the surrounding colours, then a
 * blur) rather than by cropping a region outside its mask: Leeds butterflies often fill most of the frame, so a
 * butterfly-free crop would be tiny and upscaled to mush. The donor mask is dilated a few pixels first because hand
 * masks are tight and leave a coloured fringe of wing that would leak the donor's species.
 */
public final class BackgroundSwap {
    private BackgroundSwap() {
    }

    /**
     * Chooses, for each target, a donor from the pool of a different species, seeded so runs are repeatable.
     *
     * @param targetSpecies species (leaf index) of each image to re-background
     * @param poolSpecies species of each candidate donor photo (all must have masks)
     * @return donor index into the pool per target
     * @throws IllegalArgumentException when some target has no donor of another species
     */
    public static int[] pickDonors(int[] targetSpecies, int[] poolSpecies, long seed) {
        Random rng = new Random(seed);
        int[] donors = new int[targetSpecies.length];
        for (int i = 0; i < targetSpecies.length; i++) {
            int others = 0;
            for (int s : poolSpecies) {
                if (s != targetSpecies[i]) {
                    others++;
                }
            }
            if (others == 0) {
                throw new IllegalArgumentException("background swap needs photos of another species than "
                        + targetSpecies[i] + ", but the pool has none");
            }
            int pick = rng.nextInt(others);
            for (int j = 0; j < poolSpecies.length; j++) {
                if (poolSpecies[j] != targetSpecies[i] && pick-- == 0) {
                    donors[i] = j;
                    break;
                }
            }
        }
        return donors;
    }

    /**
     * The swapped image: the butterfly's own pixels where its mask is set, the (butterfly-free) donor background
     * elsewhere, at the butterfly photo's size.
     */
    public static BufferedImage composite(BufferedImage butterfly, BufferedImage butterflyMask, BufferedImage donor,
            BufferedImage donorMask) {
        int w = butterfly.getWidth();
        int h = butterfly.getHeight();
        boolean[] fg = foreground(butterflyMask, w, h);
        BufferedImage background = cover(eraseSubject(donor, donorMask), w, h);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, fg[y * w + x] ? butterfly.getRGB(x, y) : background.getRGB(x, y));
            }
        }
        return out;
    }

    /**
     * Each photo with its butterfly erased ({@link #eraseSubject}; every photo needs a hand mask), written to
     * {@code dir} as {@code <id>.png}: photos without a butterfly, as an expert's NOT_A_BUTTERFLY photos would be.
     *
     * @return the files, in the photos' order
     */
    public static List<Path> writeErased(List<Sample> photos, Path dir) throws IOException {
        Files.createDirectories(dir);
        ImageDecoder decoder = new ImageDecoder();
        List<Path> files = new ArrayList<>();
        for (Sample s : photos) {
            if (s.mask() == null) {
                throw new IllegalArgumentException("photo " + s.id() + " has no hand mask: its butterfly cannot be erased");
            }
            Path f = dir.resolve(s.id() + ".png");
            ImageIO.write(eraseSubject(decoder.decode(s.image()), decoder.decode(s.mask())), "png", f.toFile());
            files.add(f);
        }
        return files;
    }

    /** The photo with the masked subject (dilated) replaced by colours diffused in from its surroundings. */
    public static BufferedImage eraseSubject(BufferedImage photo, BufferedImage mask) {
        int w = photo.getWidth();
        int h = photo.getHeight();
        boolean[] hole = dilate(foreground(mask, w, h), w, h, Math.max(2, Math.min(w, h) / 80));
        float[][] rgb = new float[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = photo.getRGB(x, y);
                int i = y * w + x;
                rgb[0][i] = (p >> 16) & 0xFF;
                rgb[1][i] = (p >> 8) & 0xFF;
                rgb[2][i] = p & 0xFF;
            }
        }
        boolean[] known = new boolean[w * h];
        int unknown = 0;
        for (int i = 0; i < known.length; i++) {
            known[i] = !hole[i];
            if (hole[i]) {
                unknown++;
            }
        }
        if (unknown == known.length) {
            // Nothing of the background is visible: grey is the least informative fill.
            for (float[] c : rgb) {
                java.util.Arrays.fill(c, 128f);
            }
        } else {
            peel(rgb, known, w, h);
            for (int pass = 0; pass < 3; pass++) {
                blurInside(rgb, hole, w, h);
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            out.setRGB(i % w, i / w, rgb(rgb[0][i], rgb[1][i], rgb[2][i]));
        }
        return out;
    }

    /** Foreground pixels of a mask, scaled (nearest neighbour) to {@code w × h}; white/bright = butterfly. */
    public static boolean[] foreground(BufferedImage mask, int w, int h) {
        boolean[] fg = new boolean[w * h];
        int mw = mask.getWidth();
        int mh = mask.getHeight();
        for (int y = 0; y < h; y++) {
            int my = (int) ((long) y * mh / h);
            for (int x = 0; x < w; x++) {
                int p = mask.getRGB((int) ((long) x * mw / w), my);
                int luminance = (((p >> 16) & 0xFF) + ((p >> 8) & 0xFF) + (p & 0xFF)) / 3;
                fg[y * w + x] = luminance > 127;
            }
        }
        return fg;
    }

    // Fills unknown pixels layer by layer from the outside in, each with the mean of its known 8-neighbours.
    private static void peel(float[][] rgb, boolean[] known, int w, int h) {
        ArrayDeque<Integer> frontier = new ArrayDeque<>();
        boolean[] queued = new boolean[w * h];
        for (int i = 0; i < known.length; i++) {
            if (!known[i] && hasKnownNeighbour(known, i, w, h)) {
                frontier.add(i);
                queued[i] = true;
            }
        }
        while (!frontier.isEmpty()) {
            int layer = frontier.size();
            int[] filled = new int[layer];
            for (int k = 0; k < layer; k++) {
                int i = frontier.poll();
                int x = i % w;
                int y = i / w;
                float r = 0;
                float g = 0;
                float b = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if ((dx != 0 || dy != 0) && nx >= 0 && ny >= 0 && nx < w && ny < h && known[ny * w + nx]) {
                            int j = ny * w + nx;
                            r += rgb[0][j];
                            g += rgb[1][j];
                            b += rgb[2][j];
                            n++;
                        }
                    }
                }
                rgb[0][i] = r / n;
                rgb[1][i] = g / n;
                rgb[2][i] = b / n;
                filled[k] = i;
            }
            // Mark the whole layer known only after it is computed, so fill order within a layer cannot bias it.
            for (int i : filled) {
                known[i] = true;
            }
            for (int i : filled) {
                int x = i % w;
                int y = i / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                            int j = ny * w + nx;
                            if (!known[j] && !queued[j]) {
                                queued[j] = true;
                                frontier.add(j);
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean hasKnownNeighbour(boolean[] known, int i, int w, int h) {
        int x = i % w;
        int y = i / w;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < w && ny < h && known[ny * w + nx]) {
                    return true;
                }
            }
        }
        return false;
    }

    // A 3x3 box blur applied only inside the filled region, to soften the streaks that peeling leaves.
    private static void blurInside(float[][] rgb, boolean[] region, int w, int h) {
        for (float[] channel : rgb) {
            float[] src = channel.clone();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    if (!region[i]) {
                        continue;
                    }
                    float sum = 0;
                    int n = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int nx = x + dx;
                            int ny = y + dy;
                            if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                                sum += src[ny * w + nx];
                                n++;
                            }
                        }
                    }
                    channel[i] = sum / n;
                }
            }
        }
    }

    private static boolean[] dilate(boolean[] mask, int w, int h, int radius) {
        boolean[] out = mask.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!mask[y * w + x]) {
                    continue;
                }
                for (int dy = -radius; dy <= radius; dy++) {
                    for (int dx = -radius; dx <= radius; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h && dx * dx + dy * dy <= radius * radius) {
                            out[ny * w + nx] = true;
                        }
                    }
                }
            }
        }
        return out;
    }

    // Scales to cover w×h keeping the aspect ratio, then centre-crops, so donor backgrounds are not distorted.
    private static BufferedImage cover(BufferedImage img, int w, int h) {
        double scale = Math.max((double) w / img.getWidth(), (double) h / img.getHeight());
        int sw = (int) Math.ceil(img.getWidth() * scale);
        int sh = (int) Math.ceil(img.getHeight() * scale);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, (w - sw) / 2, (h - sh) / 2, sw, sh, null);
        g.dispose();
        return out;
    }

    private static int rgb(float r, float g, float b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
