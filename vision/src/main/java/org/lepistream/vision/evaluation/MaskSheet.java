package org.lepistream.vision.evaluation;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;

/**
 * A contact sheet of the segmenter's masks: each photo beside itself with the predicted butterfly tinted and the
 * background dimmed, so a person can judge at a glance whether masks made for data without hand masks are good
 * enough to guide attention.
 */
public final class MaskSheet {
    private static final int TILE = 128;
    private static final int LABEL = 14;

    private MaskSheet() {
    }

    /** Writes a sheet of the first {@code count} samples (chosen by the caller) to {@code png}. */
    public static void write(ModelBundle bundle, List<Sample> samples, int count, int columns, Path png)
            throws IOException {
        if (!bundle.hasSegmenter()) {
            throw new IllegalArgumentException("the bundle has no segmenter, so there are no masks to show");
        }
        List<Sample> shown = samples.subList(0, Math.min(count, samples.size()));
        ImageDecoder decoder = new ImageDecoder();
        List<BufferedImage> photos = new ArrayList<>();
        for (Sample s : shown) {
            photos.add(decoder.decode(s.image()));
        }
        List<ImageAnalysis> analyses = new ArrayList<>();
        try (Identifier identifier = bundle.newIdentifier()) {
            for (int from = 0; from < photos.size(); from += 32) {
                analyses.addAll(identifier.analyse(photos.subList(from, Math.min(photos.size(), from + 32))));
            }
        }
        int rows = (shown.size() + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * 2 * TILE, rows * (TILE + LABEL), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i < shown.size(); i++) {
            int x = (i % columns) * 2 * TILE;
            int y = (i / columns) * (TILE + LABEL);
            BufferedImage photo = bundle.manifest().preprocessing().crop(photos.get(i));
            g.drawImage(photo, x, y, TILE, TILE, null);
            g.drawImage(overlay(photo, analyses.get(i).mask(), analyses.get(i).maskSize()), x + TILE, y, TILE, TILE,
                    null);
            g.setColor(Color.DARK_GRAY);
            String name = bundle.taxonomy().name(bundle.taxonomy().depth() - 1, shown.get(i).leaf());
            g.drawString(name.length() > 40 ? name.substring(0, 40) : name, x + 2, y + TILE + LABEL - 3);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", png.toFile());
    }

    /** The photo at tile size with the mask's inside tinted orange and its outside dimmed. */
    static BufferedImage overlay(BufferedImage photo, float[] mask, int maskSize) {
        BufferedImage tile = new BufferedImage(TILE, TILE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = tile.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, 0, 0, TILE, TILE, null);
        g.dispose();
        for (int y = 0; y < TILE; y++) {
            for (int x = 0; x < TILE; x++) {
                boolean inside = mask[(y * maskSize / TILE) * maskSize + x * maskSize / TILE] >= 0.5f;
                int p = tile.getRGB(x, y);
                int r = (p >> 16) & 0xFF;
                int gr = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                if (inside) {
                    r = (r + 255) / 2;
                    gr = (gr + 140) / 2;
                    b = b / 2;
                } else {
                    r /= 4;
                    gr /= 4;
                    b /= 4;
                }
                tile.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return tile;
    }
}
