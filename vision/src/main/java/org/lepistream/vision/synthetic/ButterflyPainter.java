package org.lepistream.vision.synthetic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.lepistream.vision.synthetic.WingMarks.Mark;

/**
 * Paints one butterfly of a {@link SpeciesDesign} in a random pose (position, size, rotation, wings seen
 * at an angle) onto a clutter background, and rasterises the union of everything painted as the mask.
 */
final class ButterflyPainter {
    private static final Color BODY = new Color(35, 28, 24);
    private static final double[] VEIN_ANGLES_FORE = {-80, -55, -30, -5};
    private static final double[] VEIN_ANGLES_HIND = {10, 40, 70, 95};

    private ButterflyPainter() {
    }

    static Rendering render(SpeciesDesign design, int size, Random random) {
        BufferedImage background = Clutter.paint(size, random);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setData(background.getData());

        WingShape shape = design.shape().jittered(random);
        Color ground = design.colours().groundFor(random);
        Color margin = design.colours().margin();
        double scale = size * (0.24 + 0.12 * random.nextDouble());
        double angle = random.nextDouble() < 0.3 ? 2 * Math.PI * random.nextDouble()
                : Math.toRadians(45 * (2 * random.nextDouble() - 1));
        double reach = Math.min(size / 2.0, 1.35 * scale); // keep (almost) the whole butterfly in the frame
        double cx = reach + (size - 2 * reach) * random.nextDouble();
        double cy = reach + (size - 2 * reach) * random.nextDouble();
        AffineTransform pose = new AffineTransform();
        pose.translate(cx, cy);
        pose.rotate(angle);
        pose.scale(scale, scale);
        double[] squash = {0.72 + 0.28 * random.nextDouble(), 0.72 + 0.28 * random.nextDouble()};

        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Area silhouette = new Area();
        for (boolean fore : new boolean[] {false, true}) { // hindwings first: forewings overlap them
            for (int side = 0; side < 2; side++) {
                AffineTransform t = new AffineTransform(pose);
                t.scale((side == 0 ? -1 : 1) * squash[side], 1);
                silhouette.add(new Area(paintWing(g, t, shape, fore, ground, margin, design)));
            }
        }
        for (Shape part : bodyParts(pose)) {
            g.setColor(BODY);
            g.fill(part);
            silhouette.add(new Area(part));
        }
        g.dispose();

        BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D m = mask.createGraphics();
        m.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        m.setColor(Color.WHITE);
        m.fill(silhouette);
        m.dispose();
        // Wing-scale texture, only where the mask says butterfly so the background stays byte-identical.
        Clutter.addNoise(image, random, 4, maskBits(mask));
        return new Rendering(image, mask, background);
    }

    private static Shape paintWing(Graphics2D g, AffineTransform t, WingShape shape, boolean fore, Color ground,
            Color margin, SpeciesDesign design) {
        Path2D outline = fore ? shape.foreOutline(1) : shape.hindOutline(1);
        double innerFraction = 1 - design.colours().marginWidth();
        Shape outer = t.createTransformedShape(outline);
        Shape inner = t.createTransformedShape(fore ? shape.foreOutline(innerFraction) : shape.hindOutline(innerFraction));
        g.setColor(margin);
        g.fill(outer);
        g.setColor(ground);
        g.fill(inner);
        Shape savedClip = g.getClip();
        g.clip(outer);
        float unit = (float) Math.hypot(t.getShearX(), t.getScaleY()); // pixels per local unit along the body
        g.setColor(new Color(margin.getRed(), margin.getGreen(), margin.getBlue(), 110));
        g.setStroke(new BasicStroke(Math.max(0.6f, 0.012f * unit)));
        Point2D base = fore ? WingShape.FORE_BASE : WingShape.HIND_BASE;
        for (double veinDeg : fore ? VEIN_ANGLES_FORE : VEIN_ANGLES_HIND) {
            Point2D tip = shape.at(fore, Math.toRadians(veinDeg), 0.95);
            g.draw(t.createTransformedShape(new Line2D.Double(base, tip)));
        }
        for (Mark mark : design.marks().marks()) {
            if (mark.fore() == fore) {
                paintMark(g, t, shape, mark, unit);
            }
        }
        g.setClip(savedClip);
        return outer;
    }

    private static void paintMark(Graphics2D g, AffineTransform t, WingShape shape, Mark mark, float unit) {
        switch (mark.type()) {
            case SPOT -> {
                g.setColor(mark.colour());
                g.fill(t.createTransformedShape(circle(shape.at(mark.fore(), Math.toRadians(mark.angleDeg()),
                        mark.fraction()), mark.size())));
            }
            case EYESPOT -> {
                Point2D c = shape.at(mark.fore(), Math.toRadians(mark.angleDeg()), mark.fraction());
                g.setColor(mark.ring());
                g.fill(t.createTransformedShape(circle(c, mark.size())));
                g.setColor(mark.colour());
                g.fill(t.createTransformedShape(circle(c, mark.size() * 0.68)));
                g.setColor(Color.WHITE);
                g.fill(t.createTransformedShape(circle(c, mark.size() * 0.25)));
            }
            case BAND -> {
                double from = mark.fore() ? WingShape.FORE_FROM : WingShape.HIND_FROM;
                double to = mark.fore() ? WingShape.FORE_TO : WingShape.HIND_TO;
                Path2D.Double band = new Path2D.Double();
                for (int i = 0; i <= 24; i++) {
                    Point2D p = shape.at(mark.fore(), from + (to - from) * i / 24.0, mark.fraction());
                    if (i == 0) {
                        band.moveTo(p.getX(), p.getY());
                    } else {
                        band.lineTo(p.getX(), p.getY());
                    }
                }
                Shape stroked = new BasicStroke((float) mark.size(), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND)
                        .createStrokedShape(band);
                g.setColor(mark.colour());
                g.fill(t.createTransformedShape(stroked));
            }
            default -> throw new IllegalStateException("unknown mark " + mark.type());
        }
    }

    private static Ellipse2D circle(Point2D centre, double radius) {
        return new Ellipse2D.Double(centre.getX() - radius, centre.getY() - radius, 2 * radius, 2 * radius);
    }

    /** Abdomen, thorax, head and clubbed antennae, already posed. */
    private static Shape[] bodyParts(AffineTransform pose) {
        Path2D.Double antennae = new Path2D.Double();
        antennae.moveTo(-0.02, -0.27);
        antennae.quadTo(-0.08, -0.45, -0.17, -0.56);
        antennae.moveTo(0.02, -0.27);
        antennae.quadTo(0.08, -0.45, 0.17, -0.56);
        Area feelers = new Area(new BasicStroke(0.028f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                .createStrokedShape(antennae));
        feelers.add(new Area(circle(new Point2D.Double(-0.17, -0.56), 0.035)));
        feelers.add(new Area(circle(new Point2D.Double(0.17, -0.56), 0.035)));
        return new Shape[] {
            pose.createTransformedShape(new Ellipse2D.Double(-0.045, -0.18, 0.09, 0.62)),
            pose.createTransformedShape(new Ellipse2D.Double(-0.06, -0.2, 0.12, 0.22)),
            pose.createTransformedShape(circle(new Point2D.Double(0, -0.24), 0.05)),
            pose.createTransformedShape(feelers)
        };
    }

    static boolean[] maskBits(BufferedImage mask) {
        int w = mask.getWidth();
        int h = mask.getHeight();
        byte[] grey = new byte[w * h];
        mask.getRaster().getDataElements(0, 0, w, h, grey);
        boolean[] bits = new boolean[grey.length];
        for (int i = 0; i < grey.length; i++) {
            bits[i] = (grey[i] & 0xFF) >= 128;
        }
        return bits;
    }
}
